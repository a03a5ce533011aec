"""Browser: a comparison whose tab is closed mid-run is recorded at once as interrupted, with the
text that had streamed (it used to stay "running" for as long as the server lived)."""

from __future__ import annotations

import re
import time

import pytest

from playground.store import HistoryStore
from tests.conftest import UI_TIMEOUT_MS, streamlit_server

pytestmark = pytest.mark.browser


def test_closing_the_tab_mid_run_records_it_interrupted_with_its_partial_text(browser, tmp_path):
    db = tmp_path / "history.sqlite3"
    with streamlit_server(tmp_path, {"PLAYGROUND_HISTORY_DB": str(db)}) as url:
        ctx = browser.new_context(viewport={"width": 1500, "height": 1100})
        page = ctx.new_page()
        page.goto(url)
        page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=UI_TIMEOUT_MS)
        ncols = page.get_by_label("Nombre de colonnes")
        ncols.fill("1")
        ncols.press("Enter")
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Modèle").nth(1).wait_for(state="detached",
                                                                                               timeout=UI_TIMEOUT_MS)
        page.get_by_text("Paramètres", exact=True).first.click()
        max_tokens = page.get_by_label("Tokens max")
        max_tokens.fill("2000")
        max_tokens.press("Enter")
        prompt = page.get_by_label("Prompt", exact=True)
        prompt.fill("Écris une très longue histoire sur un chat qui voyage.")
        prompt.press("Control+Enter")
        page.get_by_role("button", name=re.compile("Lancer")).click(timeout=UI_TIMEOUT_MS)
        page.wait_for_function(
            "() => { const b = document.querySelector('.pg-metric-completion_tokens b');"
            " return b && parseInt(b.textContent) >= 5; }", timeout=UI_TIMEOUT_MS)
        ctx.close()  # the visitor closes the tab mid-run

        store = HistoryStore(db)
        deadline = time.monotonic() + 120
        row = None
        while time.monotonic() < deadline:
            [row] = store.list_runs(kind="compare")
            if row.status != "running":
                break
            time.sleep(0.5)
        assert row is not None and row.status == "interrupted"
        [result] = store.get(row.id).data["results"]
        assert result["finish_reason"] == "cancelled" and len(result["text"]) > 0
