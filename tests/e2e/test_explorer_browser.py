"""Browser: the next-token page driven like a presenter (slider, steps, undo, keyboard), and
hostile token strings rendered as text (no script runs, no dialog)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import streamlit_server

pytestmark = pytest.mark.browser

EVIL_TEXT = "<img src=x onerror=alert(1)> </div><script>alert(2)</script>"


def open_page(page, base: str, link: str) -> None:
    # through the sidebar, as a person would (a cold deep link can flash Streamlit's
    # "page not found" modal while the navigation registers)
    page.goto(base, wait_until="domcontentloaded")
    page.get_by_role("link", name=link).click()


def bar_texts(page) -> list[str]:
    # the first Plotly chart is the bar chart; its value labels are SVG text nodes
    return page.locator('[data-testid="stPlotlyChart"]').first.locator("text.bartext").evaluate_all(
        "els => els.map(e => e.textContent)")


def trail_steps(page) -> int:
    return page.locator(".pg-trail .pg-step").count()


def wait_steps(page, n: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('.pg-trail .pg-step').length === {n}", timeout=120_000)


def test_next_token_page_slider_steps_and_undo(app_server, page, tmp_path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_page(page, app_server, "Prochain token")
    page.get_by_text("Comment le modèle choisit le prochain token").wait_for(timeout=120_000)
    from playwright.sync_api import expect

    expect(page.get_by_label("Début du texte")).to_have_value("La souris de l'ordinateur est un", timeout=60_000)
    page.locator('[data-testid="stPlotlyChart"]').first.locator("text.bartext").first.wait_for(timeout=120_000)
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 2  # bars + camembert
    before = bar_texts(page)
    assert before and all(re.match(r"\d+,\d\u202f%", t) for t in before[:3])  # French: 12,3 %

    # temperature 1.0 → 0.5 with the keyboard on the slider thumb (step 0.05)
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="Température").get_by_role("slider")
    slider.focus()
    for _ in range(10):
        page.keyboard.press("ArrowLeft")
    # the first chart (the bars) redrawn with other values: the same chart bar_texts reads
    page.wait_for_function(
        "(b) => { const c = document.querySelector('[data-testid=stPlotlyChart]');"
        " const t = c ? [...c.querySelectorAll('text.bartext')].map(e => e.textContent) : [];"
        " return t.length >= 3 && t.join('|') !== b; }", arg="|".join(before), timeout=60_000)
    after = bar_texts(page)
    assert after != before
    top_before, top_after = (float(t.rstrip("%").strip().replace(",", ".")) for t in (before[0], after[0]))
    assert top_after > top_before  # colder: the favourite gets more of the mass

    # three steps: the "most likely" button, a click on the second bar, the keyboard (L), then undo
    assert trail_steps(page) == 0
    page.get_by_role("button", name=re.compile("Le plus probable")).click()
    wait_steps(page, 1)
    second = page.locator('[data-testid="stPlotlyChart"]').first.locator("text.bartext").nth(1)
    second.wait_for(timeout=60_000)
    page.locator('[data-testid="stPlotlyChart"]').first.locator("g.point path").nth(1).click(force=True)
    wait_steps(page, 2)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("l")
    wait_steps(page, 3)
    page.get_by_role("button", name=re.compile("Annuler")).click()
    wait_steps(page, 2)
    page.screenshot(path=str(tmp_path / "next_token.png"), full_page=True)
    assert dialogs == []


def test_tokenizer_page_shows_hostile_text_literally(app_server, page, tmp_path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_page(page, app_server, "Tokenizers")
    box = page.get_by_label("Texte", exact=True)
    box.wait_for(timeout=120_000)
    box.fill(EVIL_TEXT)
    box.press("Control+Enter")
    page.wait_for_function("document.body.innerText.includes('onerror')", timeout=120_000)
    from playwright.sync_api import expect

    # the chips are drawn from the same run: wait for them to hold the text rather than for a delay
    expect(page.locator(".pg-chips").first).to_contain_text("img", timeout=60_000)
    chips = page.locator(".pg-chips").first.inner_text()
    assert "<" in chips and "img" in chips
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator(".pg-chips script").count() == 0
    page.screenshot(path=str(tmp_path / "tokenizer_xss.png"), full_page=True)
    assert dialogs == []


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory):
    with streamlit_server(tmp_path_factory.mktemp("xss"), script="tests/e2e/xss_tokens_app.py") as url:
        yield url


def test_crafted_tokens_render_as_text_everywhere(xss_server, page, tmp_path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(xss_server, wait_until="domcontentloaded")
    page.get_by_text("done-rendering").wait_for(timeout=120_000)
    page.locator('[data-testid="stPlotlyChart"]').nth(2).locator("svg").first.wait_for(timeout=60_000)
    page.locator(".pg-tok").first.hover()
    from playwright.sync_api import expect

    expect(page.locator(".pg-heatmap")).to_contain_text("</div><script>alert(2)</script>", timeout=60_000)
    heat = page.locator(".pg-heatmap").inner_text()
    assert "<img src=x onerror=alert(1)>" in heat
    assert "</div><script>alert(2)</script>" in heat
    assert "<img src=x onerror=alert(1)>" in page.locator(".pg-chips").inner_text().replace("·", " ")
    assert "<img src=x onerror=alert(1)>" in page.locator(".pg-trail").inner_text()
    # titles carry the alternatives as plain text
    assert "onerror=alert(1)" in page.locator(".pg-tok").first.get_attribute("title")
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator(".pg-heatmap script, .pg-chips script, .pg-trail script").count() == 0
    assert page.locator('[onmouseover]').count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    bars = " ".join(page.locator('[data-testid="stPlotlyChart"]').nth(1).locator("text").evaluate_all(
        "els => els.map(e => e.textContent)"))
    for evil in ("<img·src=x·onerror=alert(1)>", "</div><script>alert(2)</script>", '"·onmouseover="alert(3)"·x="'):
        assert evil in bars  # shown literally (spaces made visible), Plotly decoded our escaping
    page.screenshot(path=str(tmp_path / "xss.png"), full_page=True)
    assert dialogs == []
