"""Browser: the language a visitor chose survives "Reopen in Compare" and a reload (?lang= in the URL)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import UI_TIMEOUT_MS, streamlit_server

pytestmark = pytest.mark.browser
SMOL = "embedded/smollm2-135m-instruct"


def test_english_survives_reopen_in_compare_and_a_reload(browser, tmp_path):
    from playground.export import compare_record
    from playground.runner import Result
    from playground.store import HistoryStore
    from providers.base import ChatMessage, GenerationRequest

    db = tmp_path / "history.sqlite3"
    prompt = "The computer mouse is a"
    reqs = [GenerationRequest(model=SMOL, messages=(ChatMessage("user", prompt),), max_tokens=20)]
    rec = compare_record(reqs, [Result(model=SMOL, text="small pointing device", completion_tokens=3)])
    HistoryStore(db).save("compare", rec, title="mouse", models=[SMOL], prompt=prompt)
    with streamlit_server(tmp_path, {"PLAYGROUND_HISTORY_DB": str(db)}) as url:
        ctx = browser.new_context(viewport={"width": 1500, "height": 1100})
        page = ctx.new_page()
        try:
            page.goto(url)
            page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=UI_TIMEOUT_MS)
            page.get_by_role("combobox", name="Langue / Language").click()
            page.get_by_role("option", name="English", exact=True).click()
            page.get_by_role("heading", name="Compare models").wait_for(timeout=UI_TIMEOUT_MS)
            page.locator('[data-testid="stSidebarNav"]').get_by_text("History", exact=True).click()
            page.get_by_text("small pointing device").first.wait_for(timeout=UI_TIMEOUT_MS)
            page.get_by_role("button", name=re.compile("Reopen in Compare")).click()
            page.get_by_role("heading", name="Compare models").wait_for(timeout=UI_TIMEOUT_MS)
            page.wait_for_function("t => document.querySelector('textarea[aria-label=\"Prompt\"]')?.value === t",
                                   arg=prompt, timeout=UI_TIMEOUT_MS)
            assert page.get_by_role("heading", name="Comparer des modèles").count() == 0
            page.wait_for_url(re.compile(r"[?&]lang=en"), timeout=UI_TIMEOUT_MS)
            page.reload()
            page.get_by_role("heading", name="Compare models").wait_for(timeout=UI_TIMEOUT_MS)
        finally:
            ctx.close()
