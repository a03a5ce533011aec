"""The live chart's JavaScript reshaping equals the server's, in the real Chromium.

ui/live_explorer_frontend/reshape.js runs in the browser on the bytes `live_payload` builds;
`playground.explorer.view` (the sampler's own maths) runs here; every shown token's index,
probability at T, final probability, kept flag and raw logprob, the kept count, both entropies
and the "other" masses must agree to 1e-9, over a grid of temperature / top-k / top-p / min-p /
shown counts, on the real SmolLM2 logits, a Gemma-sized row, rows full of ties, and an
approximate (top-logprobs) distribution."""

from __future__ import annotations

import base64
import itertools
from pathlib import Path

import numpy as np
import pytest

from playground.explorer import Distribution, next_token_distribution, view
from playground.explorer_live import live_payload
from providers.sampling import SamplingParams
from tests.conftest import UI_TIMEOUT_MS

pytestmark = pytest.mark.browser

RESHAPE_JS = Path(__file__).resolve().parents[2] / "ui" / "live_explorer_frontend" / "reshape.js"
TOL = 1e-9

GRID = [
    {"temperature": t, "top_k": k, "top_p": p, "min_p": m}
    for t, k, p, m in itertools.product((0.0, 0.05, 0.3, 0.7, 1.0, 1.5, 2.0), (0, 1, 3, 40, 100),
                                        (1.0, 0.9, 0.5, 0.01), (0.0, 0.05, 0.2))
]

JS_VIEWS = """([b64, exact, grid]) => {
  const bin = atob(b64), u8 = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
  const d = new LiveReshape.Dist(LiveReshape.fromBytes(u8), exact);
  return grid.map((g) => d.view(g, g.show));
}"""


@pytest.fixture()
def reshape_page(page):
    page.goto("about:blank")
    page.add_script_tag(content=RESHAPE_JS.read_text())
    return page


def js_views(page, dist: Distribution, grid: list[dict]):
    payload = live_payload(dist)
    out = page.evaluate(JS_VIEWS, [base64.b64encode(payload.logits).decode(), dist.exact, grid])
    return payload, out


def assert_same(dist: Distribution, grid: list[dict], payload, js: list[dict]) -> int:
    checked = 0
    for g, j in zip(grid, js):
        params = SamplingParams(g["temperature"], g["top_k"], g["top_p"], g["min_p"])
        v = view(dist, params, show=g["show"])
        where = f"{g} ({dist.model_id})"
        assert len(j["final"]) == len(v.candidates), where
        assert [int(payload.order[r]) for r in range(len(v.candidates))] == [c.index for c in v.candidates], where
        assert j["kept"] == [c.kept for c in v.candidates], where
        assert j["n_kept"] == v.n_kept, where
        for name, ours, theirs in (("probs_t", j["probs_t"], [c.prob_t for c in v.candidates]),
                                   ("final", j["final"], [c.prob_final for c in v.candidates]),
                                   ("logprob", j["logprob"], [c.logprob for c in v.candidates])):
            assert np.allclose(ours, theirs, rtol=0, atol=TOL), (where, name, ours, theirs)
        for name, theirs in (("entropy_t", v.entropy_t), ("entropy_final", v.entropy_final),
                             ("other_final", v.other_final), ("other_t", v.other_t)):
            assert abs(j[name] - theirs) <= TOL, (where, name, j[name], theirs)
        checked += 1
    return checked


def with_shows(grid: list[dict], seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    return [dict(g, show=int(rng.integers(3, 21))) for g in grid]


def test_js_reshape_equals_python_on_the_real_smollm2_logits(reshape_page, registry):
    dist = next_token_distribution(registry, "embedded/smollm2-135m-instruct", "La souris de l'ordinateur est un", False)
    assert dist.exact and dist.logits.shape[0] == 49152
    grid = with_shows(GRID, 1)
    payload, js = js_views(reshape_page, dist, grid)
    assert assert_same(dist, grid, payload, js) == len(GRID)
    # the grid really exercises the filters: some settings cut shown tokens, some keep thousands
    assert any(not all(j["kept"]) for j in js) and any(j["n_kept"] > 1000 for j in js)


def test_js_reshape_equals_python_on_a_gemma_sized_row_and_on_ties(reshape_page):
    rng = np.random.default_rng(7)
    big = (rng.standard_normal(262_144) * 3).astype(np.float32)
    ties = np.round(rng.standard_normal(5_000) * 4).astype(np.float32)  # ~30 distinct values
    ties[[10, 20, 30]] = ties.max()  # tied favourites: the lowest index leads at T = 0
    # a long tail far below the favourites: at a low T its weights all round to 0, yet the
    # shown tokens must stay in logit order (not in id order), as the browser shows them
    far = np.concatenate([-60.0 - rng.random(40) * 30, [5.0, 4.0]]).astype(np.float32)
    grid = with_shows(GRID[::3], 2)
    for name, logits in (("big", big), ("ties", ties), ("far", far)):
        dist = Distribution(f"test/{name}", logits, True, logits.shape[0], 0)
        payload, js = js_views(reshape_page, dist, grid)
        assert assert_same(dist, grid, payload, js) == len(grid)


def test_js_reshape_equals_python_on_an_approximate_distribution(reshape_page):
    lps = np.log(np.array([0.31, 0.2, 0.2, 0.1, 0.05, 0.04, 0.02, 0.01])).astype(np.float32)
    dist = Distribution("test/approx", lps, False, None, 0, pieces=tuple("abcdefgh"), ids=tuple(range(8)),
                        returned_mass=float(np.exp(lps.astype(np.float64)).sum()))
    grid = with_shows(GRID, 3)  # show up to 20 over 8 tokens: all of them
    payload, js = js_views(reshape_page, dist, grid)
    assert assert_same(dist, grid, payload, js) == len(GRID)


# ---- the component on its own: the protocol, the language's numbers, large type
RENDER_JS = """([b64, meta, labels, settings, large]) => {
  const bin = atob(b64), u8 = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
  window.postMessage({type: 'streamlit:render', args: {logits: u8, meta, labels, settings, picks_seen: 0, large}}, '*');
}"""


def test_component_speaks_the_protocol_in_english_and_in_large_type(page, tmp_path):
    """Opened as the top document, the component's messages to its "parent" come back to itself:
    the test reads them there (componentReady, the frame height, the value after a move)."""
    from playground.explorer_live import Settings, live_labels
    from ui.live_explorer import component_dir

    lps = np.log(np.array([0.5, 0.25, 0.125, 0.0625, 0.0625])).astype(np.float32)
    dist = Distribution("test/en", lps, False, None, 0, pieces=("cat", "dog", "<b>x</b>", "1", "2"),
                        ids=(5, 6, 7, 8, 9), returned_mass=1.0)
    payload = live_payload(dist)
    page.add_init_script("window.__msgs = []; addEventListener('message', (e) => __msgs.push(e.data));")
    page.goto((component_dir(tmp_path) / "index.html").as_uri())
    page.wait_for_function("__msgs.some(m => m.type === 'streamlit:componentReady')", timeout=UI_TIMEOUT_MS)
    page.evaluate(RENDER_JS, [base64.b64encode(payload.logits).decode(), payload.meta, live_labels("en"),
                              Settings(1.0, 2, 1.0, 0.0, 5).as_dict(), True])
    page.wait_for_function("document.body.dataset.redraws >= 1", timeout=UI_TIMEOUT_MS)
    texts = page.locator("#bars text.bartext").evaluate_all("els => els.map(e => e.textContent)")
    assert texts[:3] == ["66.7%", "33.3%", "12.5% (cut)"]  # top-k = 2: renormalised; the rest greyed
    assert page.locator("#cut").inner_text() == "Cut by the filters: '<b>x</b>' · '1' · '2'"
    assert page.locator("#m-kept .value").inner_text() == "2"
    assert page.locator("body.large").count() == 1
    assert float(page.evaluate("getComputedStyle(document.body).fontSize").rstrip("px")) >= 20
    assert page.get_by_label("Top-k").get_attribute("aria-valuetext") == "2"
    assert page.evaluate("__msgs.some(m => m.type === 'streamlit:setFrameHeight' && m.height > 400)")
    # a keyboard move redraws at once and is sent once, when it ends
    page.get_by_label("Top-k").focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("__msgs.some(m => m.type === 'streamlit:setComponentValue')", timeout=UI_TIMEOUT_MS)
    sent = page.evaluate("__msgs.filter(m => m.type === 'streamlit:setComponentValue').map(m => m.value)")
    assert sent == [{"settings": {"temperature": 1, "top_k": 0, "top_p": 1, "min_p": 0, "show": 5}}]
    assert page.locator("#o-top_k").inner_text() == "0 (off)"
    assert page.locator("#cut").inner_text() == "No token shown is cut."
    # the page switches to French: every label and number follows, the settings stay
    page.evaluate(RENDER_JS, [base64.b64encode(payload.logits).decode(), payload.meta, live_labels("fr"),
                              Settings(1.0, 0, 1.0, 0.0, 5).as_dict(), True])
    page.get_by_label("Température").wait_for(timeout=UI_TIMEOUT_MS)
    from playwright.sync_api import expect

    expect(page.locator("#o-top_k")).to_have_text("0 (désactivé)", timeout=UI_TIMEOUT_MS)
    expect(page.locator("#bars text.bartext").first).to_have_text("50,0\u202f%", timeout=UI_TIMEOUT_MS)


def test_component_sliders_follow_a_touch(browser, tmp_path):
    from playground.explorer_live import Settings, live_labels
    from ui.live_explorer import component_dir

    lps = np.log(np.array([0.4, 0.3, 0.2, 0.1])).astype(np.float32)
    dist = Distribution("test/touch", lps, False, None, 0, pieces=tuple("abcd"), ids=(1, 2, 3, 4))
    payload = live_payload(dist)
    ctx = browser.new_context(viewport={"width": 800, "height": 900}, has_touch=True, is_mobile=True)
    try:
        page = ctx.new_page()
        page.goto((component_dir(tmp_path) / "index.html").as_uri())
        page.evaluate(RENDER_JS, [base64.b64encode(payload.logits).decode(), payload.meta, live_labels("fr"),
                                  Settings(1.0, 0, 1.0, 0.0, 4).as_dict(), False])
        page.wait_for_function("document.body.dataset.redraws >= 1", timeout=UI_TIMEOUT_MS)
        slider = page.get_by_label("Température")
        box = slider.bounding_box()
        page.touchscreen.tap(box["x"] + 2, box["y"] + box["height"] / 2)  # the left end: T = 0
        page.wait_for_function("window.__live.redraws.some(r => r.settings.temperature < 0.2)", timeout=UI_TIMEOUT_MS)
        from playwright.sync_api import expect

        expect(page.locator("#bars text.bartext").first).to_have_text("100,0\u202f%", timeout=UI_TIMEOUT_MS)  # greedy
    finally:
        ctx.close()
