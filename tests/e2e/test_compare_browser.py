"""Browser: Chromium drives `streamlit run app.py`: two embedded columns, a French prompt,
outputs, metrics and chart visible; then the language switch."""

import os
import re
import shutil

import pytest
from conftest import UI_LONG_TIMEOUT_MS, UI_TIMEOUT_MS

pytestmark = pytest.mark.browser

PROMPT = "La souris de l'ordinateur est un"


def choose(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label)
    box.click()
    page.get_by_role("option", name=option, exact=True).first.click()


def test_compare_two_embedded_models_in_french_then_english(app_server, page, tmp_path):
    page.goto(app_server)
    page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=UI_TIMEOUT_MS)
    selects = page.locator('[data-testid="stSelectbox"]').filter(has_text="Modèle")
    selects.nth(1).wait_for(timeout=UI_TIMEOUT_MS)  # the second column drawn
    assert selects.count() == 2
    for i, label in enumerate(["SmolLM2 135M Instruct (chat, embarqué)", "Gemma 3 270M base (complétion, embarqué)"]):
        selects.nth(i).click()
        page.get_by_role("option", name=label, exact=True).click()
    prompt = page.get_by_label("Prompt", exact=True)
    prompt.fill(PROMPT)
    prompt.press("Control+Enter")
    page.get_by_role("button", name=re.compile(r"Lancer$")).click(timeout=UI_TIMEOUT_MS)  # a loaded machine may still be rerunning

    metrics = page.locator(".pg-metrics").filter(has_text="Tokens générés")
    metrics.nth(1).wait_for(timeout=UI_LONG_TIMEOUT_MS)
    page.locator('[data-testid="stPlotlyChart"] >> visible=true').first.wait_for(timeout=UI_TIMEOUT_MS)  # heatmap charts hide in expanders
    assert metrics.count() == 2
    for i in range(2):
        text = metrics.nth(i).inner_text()
        ttft = float(re.search(r"TTFT\s+([\d,]+)\s+s", text).group(1).replace(",", "."))
        total = float(re.search(r"Total\s+([\d,]+)\s+s", text).group(1).replace(",", "."))
        toks = int(re.search(r"Tokens générés\s+(\d+)", text).group(1))
        rate = float(re.search(r"tok/s\s+([\d,]+)", text).group(1).replace(",", "."))
        assert 0 < ttft <= total and toks > 0 and rate > 0
    outputs = page.locator('[data-testid="stMarkdownContainer"]')
    body = page.locator("body").inner_text()
    assert "embedded/smollm2-135m-instruct" in body and "embedded/gemma-3-270m" in body
    assert outputs.count() > 2
    assert page.locator('[data-testid="stPlotlyChart"] >> visible=true').locator(".main-svg").count() >= 1

    shot = tmp_path / "compare.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("PLAYGROUND_SCREENSHOT_OUT"):
        shutil.copy(shot, os.environ["PLAYGROUND_SCREENSHOT_OUT"])

    choose(page, "Langue / Language", "English")
    page.get_by_role("heading", name="Compare models").wait_for(timeout=UI_TIMEOUT_MS)
    page.locator(".pg-metrics").filter(has_text="Completion tokens").nth(1).wait_for(timeout=UI_TIMEOUT_MS)
    assert page.locator(".pg-metrics").filter(has_text="Completion tokens").count() == 2
    assert page.get_by_role("button", name=re.compile(r"Run$")).is_visible()


def test_stop_cancels_and_keeps_partial_output(app_server, page, tmp_path):
    page.goto(app_server)
    page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=UI_TIMEOUT_MS)
    ncols = page.get_by_label("Nombre de colonnes")
    ncols.fill("1")
    ncols.press("Enter")
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Modèle").nth(1).wait_for(state="detached", timeout=UI_TIMEOUT_MS)
    page.get_by_text("Paramètres", exact=True).first.click()
    max_tokens = page.get_by_label("Tokens max")
    max_tokens.fill("2000")
    max_tokens.press("Enter")
    prompt = page.get_by_label("Prompt", exact=True)
    prompt.fill("Écris une très longue histoire sur un chat qui voyage.")
    prompt.press("Control+Enter")
    page.get_by_role("button", name=re.compile(r"Lancer$")).click()
    # wait until some text streamed, then stop
    live = page.locator(".pg-metric-completion_tokens b")
    live.first.wait_for(timeout=UI_TIMEOUT_MS)
    page.wait_for_function(
        "() => { const b = document.querySelector('.pg-metric-completion_tokens b'); return b && parseInt(b.textContent) >= 5; }",
        timeout=UI_TIMEOUT_MS,
    )
    page.get_by_role("button", name=re.compile(r"Arrêter$")).click()
    page.screenshot(path=str(tmp_path / "after-stop.png"), full_page=True)
    page.get_by_text("Arrêté : le texte reçu jusqu'ici est conservé.").wait_for(timeout=UI_TIMEOUT_MS)
    final = page.locator(".pg-metrics").filter(has_text="Tokens générés")
    final.first.wait_for(timeout=UI_TIMEOUT_MS)
    text = final.first.inner_text()
    assert "annulé" in text
    kept = int(re.search(r"Tokens générés\s+(\d+)", text).group(1))
    assert 5 <= kept < 2000  # the partial output stays, with its metrics
    frame_text = page.locator('[data-testid="stDataFrame"]').first
    frame_text.wait_for(timeout=UI_TIMEOUT_MS)
