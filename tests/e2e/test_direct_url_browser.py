"""A page opened by its own URL on a fresh server still runs inside app.py: navigation,
language switch and backend status are there (Streamlit's old pages/ mode is switched off)."""

import pytest
from conftest import UI_TIMEOUT_MS, streamlit_server

pytestmark = pytest.mark.browser


def test_direct_link_to_a_page_on_a_fresh_server(page, tmp_path):
    with streamlit_server(tmp_path) as url:
        page.goto(url + "/settings")
        page.get_by_text("Langue").first.wait_for(timeout=UI_TIMEOUT_MS)
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Comparer" in nav and "Réglages" in nav
        assert "app" not in nav.split()  # not Streamlit's file-name navigation
        assert page.get_by_role("heading", name="Réglages des backends").is_visible()
