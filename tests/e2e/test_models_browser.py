"""Browser: the models page downloads a GGUF from a local hub (HF_ENDPOINT) with its progress
visible, then the new model is in Compare's picker in the same session; deleting asks first."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import streamlit_server
from support.hf_hub import LocalHub

from tests.conftest import UI_TIMEOUT_MS

pytestmark = pytest.mark.browser

REPO = "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF"
FILE = "smollm2-135m-instruct-q4_1.gguf"
LABEL = f"{FILE} ({REPO}, embarqué)"


def test_download_with_progress_then_pick_it_in_compare_then_delete(page, smollm2_path, tmp_path):
    served = tmp_path / FILE
    shutil.copyfile(smollm2_path, served)
    # a slow link (about 6 s for the file) so the progress bar is seen moving
    with LocalHub({(REPO, FILE): served}, pause_per_chunk=0.004) as hub, \
            streamlit_server(tmp_path, {"HF_ENDPOINT": hub.url, "HF_HUB_CACHE": str(tmp_path / "hf-cache")}) as url:
        page.goto(url + "/models")
        page.get_by_role("heading", name="Modèles", exact=True).wait_for(timeout=UI_TIMEOUT_MS)
        table = page.locator('[data-testid="stDataFrame"]')
        table.wait_for(timeout=UI_TIMEOUT_MS)
        page.get_by_role("tab", name="Hugging Face (GGUF embarqué)").click()
        spec = page.get_by_role("textbox", name="… ou n'importe quel fichier du hub")
        spec.fill(f"{REPO}/{FILE}")
        spec.press("Enter")
        page.get_by_role("button", name="Télécharger", exact=True).locator("visible=true").first.click(timeout=UI_TIMEOUT_MS)

        bar = page.locator('[data-testid="stProgress"]')
        bar.wait_for(timeout=UI_TIMEOUT_MS)
        # the bar moves: a byte count and a percentage above zero, written the French way
        progress = page.get_by_text(re.compile(r"téléchargement : [\d,]+\u00a0Mo sur 98,4\u00a0Mo \(([1-9]\d?)\u202f%\)"))
        progress.first.wait_for(timeout=UI_TIMEOUT_MS)
        assert f"hf:{REPO}/{FILE}" in progress.first.inner_text()
        page.get_by_text("embedded/smollm2-135m-instruct-q4_1 est installé").wait_for(timeout=UI_TIMEOUT_MS)
        bar.wait_for(state="detached", timeout=UI_TIMEOUT_MS)
        # the table (a canvas grid; its cells are in an accessible twin) lists the new model
        table.get_by_text("embedded/smollm2-135m-instruct-q4_1", exact=True).wait_for(state="attached",
                                                                                      timeout=UI_TIMEOUT_MS)

        # the same session, through the navigation: Compare's picker offers the new model
        page.get_by_role("link", name="Comparer").click()
        page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=UI_TIMEOUT_MS)
        picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="Modèle").first
        picker.wait_for(timeout=UI_TIMEOUT_MS)
        picker.click()
        page.get_by_role("option", name=LABEL, exact=True).wait_for(timeout=UI_TIMEOUT_MS)
        page.keyboard.press("Escape")

        # deleting asks for a confirmation, then the model is gone from the table
        page.get_by_role("link", name="Modèles").click()
        page.get_by_role("heading", name="Supprimer un modèle").wait_for(timeout=UI_TIMEOUT_MS)
        page.get_by_role("button", name="Supprimer…").click()
        page.get_by_text("Supprimer définitivement embedded/smollm2-135m-instruct-q4_1 ?").wait_for(timeout=UI_TIMEOUT_MS)
        page.get_by_role("button", name="Oui, supprimer").click()
        page.get_by_text("embedded/smollm2-135m-instruct-q4_1 est supprimé.").wait_for(timeout=UI_TIMEOUT_MS)
        assert not list((tmp_path / "hf-cache").rglob("*.gguf"))
