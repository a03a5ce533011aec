"""Browser: the Model anatomy page (histogram and memory figure, French then English) and the
Score a text page (coloured tokens with hover titles, perplexity, in both languages)."""

from __future__ import annotations

import pytest

from tests.conftest import UI_TIMEOUT_MS, wait_app_idle

pytestmark = pytest.mark.browser


def choose(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label)
    box.click()
    page.get_by_role("option", name=option, exact=True).first.click()


def open_page(page, base: str, link: str) -> None:
    page.goto(base, wait_until="domcontentloaded")
    page.get_by_role("link", name=link).click()


def test_anatomy_page_french_then_english(app_server, page, tmp_path):
    open_page(page, app_server, "Anatomie d'un modèle")
    page.get_by_role("heading", name="Anatomie d'un modèle").wait_for(timeout=UI_TIMEOUT_MS)
    page.get_by_text("Quantification des tenseurs").first.wait_for(timeout=UI_TIMEOUT_MS)
    wait_app_idle(page)
    # the histogram: a bar chart and its table of ggml types
    page.locator('[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]').first.wait_for(
        timeout=UI_TIMEOUT_MS)
    table = page.locator('[data-testid="stTable"]').first
    table.wait_for(timeout=UI_TIMEOUT_MS)
    assert "Q4_1" in table.inner_text() and "F32" in table.inner_text()
    # the memory figure, French typography (decimal comma, narrow no-break space before the unit)
    ram = page.locator('[data-testid="stMetric"]').filter(has_text="Mémoire estimée").first
    ram.wait_for(timeout=UI_TIMEOUT_MS)
    value = ram.locator('[data-testid="stMetricValue"]').inner_text()
    assert value.endswith("\u00a0Mo") and value[0].isdigit(), value
    assert page.locator(".pg-ram").first.inner_text().startswith("poids")
    page.get_by_text("cache KV = couches").first.wait_for(timeout=UI_TIMEOUT_MS)
    formula = page.locator('[data-testid="stCode"]').filter(has_text="cache KV = couches").first
    assert "1,0625 (q8_0)" in formula.inner_text()  # French decimal comma in the formula too
    page.screenshot(path=str(tmp_path / "anatomy-fr.png"), full_page=True)

    wait_app_idle(page)
    choose(page, "Langue / Language", "English")
    page.get_by_role("heading", name="Model anatomy").wait_for(timeout=UI_TIMEOUT_MS)
    wait_app_idle(page)  # the English run is over: nothing below is redrawn under the checks
    page.get_by_text("Tensor quantization").first.wait_for(timeout=UI_TIMEOUT_MS)
    ram = page.locator('[data-testid="stMetric"]').filter(has_text="Estimated memory").first
    ram.wait_for(timeout=UI_TIMEOUT_MS)
    assert ram.locator('[data-testid="stMetricValue"]').inner_text().endswith("\u00a0MB")
    page.get_by_text("KV cache = layers").first.wait_for(timeout=UI_TIMEOUT_MS)


def test_score_page_french_then_english(app_server, page, tmp_path):
    open_page(page, app_server, "Noter un texte")
    page.get_by_role("heading", name="Noter un texte").wait_for(timeout=UI_TIMEOUT_MS)
    wait_app_idle(page)
    page.get_by_role("button", name="Noter").click()
    tok = page.locator(".pg-score .pg-score-tok")
    tok.nth(5).wait_for(timeout=UI_TIMEOUT_MS)
    wait_app_idle(page)
    n = tok.count()
    assert n > 10
    title = tok.nth(3).get_attribute("title")
    lines = title.splitlines()  # its probability and surprisal, then the model's top alternatives
    assert "\u202f%" in lines[0] and "bits" in lines[0] and len(lines) == 6, title
    assert all(line.endswith("\u202f%") for line in lines[1:]), title
    assert tok.nth(3).evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    ppl = page.locator('[data-testid="stMetric"]').filter(has_text="Perplexité").first
    value = ppl.locator('[data-testid="stMetricValue"]').inner_text()
    assert "," in value and float(value.replace("\u202f", "").replace(",", ".")) > 1, value
    page.get_by_text("Les tokens qui ont le plus surpris le modèle").wait_for(timeout=UI_TIMEOUT_MS)
    tok.nth(3).hover()
    page.screenshot(path=str(tmp_path / "score-fr.png"), full_page=True)

    wait_app_idle(page)
    choose(page, "Langue / Language", "English")
    page.get_by_role("heading", name="Score a text").wait_for(timeout=UI_TIMEOUT_MS)
    wait_app_idle(page)
    ppl = page.locator('[data-testid="stMetric"]').filter(has_text="Perplexity").first
    ppl.wait_for(timeout=UI_TIMEOUT_MS)
    assert "." in ppl.locator('[data-testid="stMetricValue"]').inner_text()
    assert page.locator(".pg-score .pg-score-tok").count() == n
    assert "%" in page.locator(".pg-score .pg-score-tok").nth(3).get_attribute("title")
    page.get_by_text("The tokens that surprised the model most").wait_for(timeout=UI_TIMEOUT_MS)
