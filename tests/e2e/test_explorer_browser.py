"""Browser: the next-token page driven like a presenter (slider, steps, undo, keyboard), and
hostile token strings rendered as text (no script runs, no dialog)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import UI_TIMEOUT_MS, streamlit_server, wait_app_idle

pytestmark = pytest.mark.browser

EVIL_TEXT = "<img src=x onerror=alert(1)> </div><script>alert(2)</script>"


def open_page(page, base: str, link: str) -> None:
    # through the sidebar, as a person would (a cold deep link can flash Streamlit's
    # "page not found" modal while the navigation registers)
    page.goto(base, wait_until="domcontentloaded")
    page.get_by_role("link", name=link).click()


LIVE_IFRAME = 'iframe[title="ui.live_explorer.live_explorer"]'


def live_frame(page):
    """The live chart's frame, once it has drawn (looked up afresh: the first runs of a page may
    mount the iframe more than once)."""
    page.frame_locator(LIVE_IFRAME).locator("body[data-redraws]").wait_for(state="attached", timeout=UI_TIMEOUT_MS)
    return page.locator(LIVE_IFRAME).element_handle(timeout=UI_TIMEOUT_MS).content_frame()


def bar_texts(frame) -> list[str]:
    # the bars' value labels are SVG text nodes inside the chart's frame
    return frame.locator("#bars text.bartext").evaluate_all("els => els.map(e => e.textContent)")


def redraws(frame) -> list[dict]:
    return frame.evaluate("window.__live.redraws")


def percent(text: str) -> float:
    return float(text.split("\u202f%")[0].replace(",", "."))


def trail_steps(page) -> int:
    return page.locator(".pg-trail .pg-step").count()


def wait_steps(page, n: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('.pg-trail .pg-step').length === {n}", timeout=UI_TIMEOUT_MS)
    wait_app_idle(page)  # the run that drew the step is over: the next click lands on the final chart


def test_next_token_page_live_sliders_steps_and_undo(app_server, page, tmp_path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sent_frames = []  # what the page sends the server over its websocket (a rerun is one of these)
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent_frames.append(payload)))
    open_page(page, app_server, "Prochain token")
    page.get_by_text("Comment le modèle choisit le prochain token").wait_for(timeout=UI_TIMEOUT_MS)
    from playwright.sync_api import expect

    expect(page.get_by_label("Début du texte")).to_have_value("La souris de l'ordinateur est un", timeout=UI_TIMEOUT_MS)
    frame = live_frame(page)
    before = bar_texts(frame)
    assert len(before) == 11  # 10 tokens + "autres"
    assert all(re.fullmatch(r"\d+,\d\u202f%", t) for t in before[:3])  # French typography
    assert frame.locator("#m-kept .sub").inner_text() == "sur 262\u202f144"  # the base model by default

    # temperature 1.0 → 0.5 with the keyboard on the labelled native slider (step 0.05)
    slider = frame.get_by_label("Température")
    assert slider.get_attribute("type") == "range"
    slider.focus()
    for _ in range(10):
        page.keyboard.press("ArrowLeft")
    frame.wait_for_function("window.__live.redraws.some(r => r.settings.temperature === 0.5)", timeout=UI_TIMEOUT_MS)
    expect(frame.locator("#o-temperature")).to_have_text("0,50")
    draws = redraws(frame)
    first_move = next(r for r in draws if r["settings"]["temperature"] < 1)  # (key presses in one frame: one redraw)
    assert first_move["sent"] == 0  # redrawn before the page said anything to the server: no rerun
    last = next(r for r in reversed(draws) if r["settings"]["temperature"] == 0.5)
    expect(frame.locator("#bars text.bartext").first).to_have_text(last["first"], timeout=UI_TIMEOUT_MS)
    after = bar_texts(frame)
    assert percent(after[0]) > percent(before[0])  # colder: the favourite gets more of the mass
    # the move ends: the settings go to the server once (one rerun), after the redraws
    frame.wait_for_function("window.__live.sent >= 1", timeout=UI_TIMEOUT_MS)
    assert sent_frames, "the settings never reached the server"

    # top-k 0 → 1 (arrow right), then straight to "most likely": the step uses top-k = 1 (100 %)
    frame.get_by_label("Top-k").focus()
    page.keyboard.press("ArrowRight")
    frame.wait_for_function("window.__live.redraws.some(r => r.settings.top_k === 1)", timeout=UI_TIMEOUT_MS)
    expect(frame.locator("#cut")).to_contain_text("Coupés par les filtres", timeout=UI_TIMEOUT_MS)
    assert "(coupé)" in bar_texts(frame)[1]
    assert trail_steps(page) == 0
    page.get_by_role("button", name=re.compile("Le plus probable")).click()
    wait_steps(page, 1)
    expect(page.locator(".pg-trail .pg-step sub").first).to_have_text("100%", timeout=UI_TIMEOUT_MS)

    # a click on the second bar (a cut token: still pickable), the keyboard (L), then undo
    frame = live_frame(page)
    frame.locator("#bars g.point path").nth(1).click(force=True)
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
    box.wait_for(timeout=UI_TIMEOUT_MS)
    box.fill(EVIL_TEXT)
    box.press("Control+Enter")
    page.wait_for_function("document.body.innerText.includes('onerror')", timeout=UI_TIMEOUT_MS)
    from playwright.sync_api import expect

    # the chips are drawn from the same run: wait for them to hold the text rather than for a delay
    expect(page.locator(".pg-chips").first).to_contain_text("img", timeout=UI_TIMEOUT_MS)
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
    page.get_by_text("done-rendering").wait_for(timeout=UI_TIMEOUT_MS)
    page.locator('[data-testid="stPlotlyChart"]').nth(2).locator("svg").first.wait_for(timeout=UI_TIMEOUT_MS)
    page.locator(".pg-tok").first.hover()
    from playwright.sync_api import expect

    expect(page.locator(".pg-heatmap")).to_contain_text("</div><script>alert(2)</script>", timeout=UI_TIMEOUT_MS)
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
    # the live chart (its own frame): the same labels, the metrics and cut list as text
    frame = live_frame(page)
    live_bars = " ".join(frame.locator("#bars text").evaluate_all("els => els.map(e => e.textContent)"))
    for evil in ("<img·src=x·onerror=alert(1)>", "</div><script>alert(2)</script>", '"·onmouseover="alert(3)"·x="'):
        assert evil in live_bars
    assert "<img src=x onerror=alert(1)>" in frame.locator("#m-top_token .value").inner_text()
    assert frame.locator('img, script:not([src]), [onmouseover], a[href^="javascript"]').count() == 0
    page.screenshot(path=str(tmp_path / "xss.png"), full_page=True)
    assert dialogs == []
