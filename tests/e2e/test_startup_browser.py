"""Browser, fresh server: the Compare page is usable before any model's weights are loaded (the
Settings page still says none is), the first Run says it is loading the models, in French, and
its results carry the cold-load flag; afterwards the models are loaded (issue 11)."""

import re

import pytest
from conftest import UI_LONG_TIMEOUT_MS, UI_TIMEOUT_MS, streamlit_server, wait_app_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NONE_LOADED = "Aucun modèle intégré chargé pour l'instant."


def open_settings(page) -> None:
    page.get_by_role("link", name="Réglages").click()
    page.get_by_role("heading", name="Réglages des backends").wait_for(timeout=UI_TIMEOUT_MS)
    wait_app_idle(page)


def test_page_is_usable_before_the_weights_load_and_the_first_run_loads_them(page, tmp_path):
    with streamlit_server(tmp_path) as url:
        page.goto(url)
        run = page.get_by_role("button", name=re.compile(r"Lancer$"))
        expect(run).to_be_enabled(timeout=UI_TIMEOUT_MS)
        pickers = page.get_by_role("combobox", name="Modèle")
        expect(pickers).to_have_count(2, timeout=UI_TIMEOUT_MS)
        expect(pickers.nth(0)).to_have_value("SmolLM2 135M Instruct (chat, embarqué)")
        expect(pickers.nth(1)).to_have_value("Gemma 3 270M base (complétion, embarqué)")
        expect(page.get_by_text(re.compile(r"vocabulaire : 262\s144 tokens"))).to_be_visible()  # read from the header
        wait_app_idle(page)

        open_settings(page)
        expect(page.get_by_text(NONE_LOADED)).to_be_visible()  # the page above loaded no weights

        page.get_by_role("link", name="Comparer").click()
        expect(run).to_be_enabled(timeout=UI_TIMEOUT_MS)
        page.get_by_label("Prompt", exact=True).fill("La souris de l'ordinateur est un")
        wait_app_idle(page)
        run.click()
        # the first Run loads and calibrates the models: each waiting column says so
        expect(page.get_by_text(re.compile(r"Chargement de embedded/\S+ en mémoire")).first).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        metrics = page.locator(".pg-metrics").filter(has_text="Tokens générés")
        metrics.nth(1).wait_for(timeout=UI_LONG_TIMEOUT_MS)
        expect(page.get_by_text("chargement à froid").first).to_be_visible()
        wait_app_idle(page)

        open_settings(page)
        expect(page.get_by_text(NONE_LOADED)).to_have_count(0)  # now both models are loaded
