"""Browser: Compare with four columns on a projector-sized screen (1280×720) and a desktop one
(1920×1080): every model name whole, no widget label or button cut, metrics inside their box,
the summary chart's legend clear of its plots."""

from __future__ import annotations

import re

import pytest

from tests.conftest import UI_LONG_TIMEOUT_MS, UI_TIMEOUT_MS, streamlit_server

pytestmark = pytest.mark.browser

SMOL = "SmolLM2 135M Instruct (chat, embarqué)"
GEMMA = "Gemma 3 270M base (complétion, embarqué)"

CUT = """sel => [...document.querySelectorAll(sel)]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent.trim().slice(0, 80))"""
ELLIPSIS = """() => [...document.querySelectorAll('[data-testid="stMain"] *')]
  .filter(e => e.offsetParent !== null && getComputedStyle(e).textOverflow === 'ellipsis'
               && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent.trim().slice(0, 80))"""
OUTSIDE_BOX = """() => [...document.querySelectorAll('.pg-metric')].filter(m => {
  const box = m.closest('[data-testid="stVerticalBlockBorderWrapper"]') || m.closest('.pg-metrics');
  return m.getBoundingClientRect().right > box.getBoundingClientRect().right + 1;
}).map(m => m.textContent)"""
LEGEND_CLEAR = """() => {
  const chart = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].pop();
  const legend = chart.querySelector('.legend').getBoundingClientRect();
  const plots = [...chart.querySelectorAll('.nsewdrag')].map(d => d.getBoundingClientRect().top);
  return legend.bottom <= Math.min(...plots);
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("layout")
    with streamlit_server(tmp, {"PLAYGROUND_HISTORY_DB": str(tmp / "history.sqlite3")}) as url:
        yield url, tmp


@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080)])
def test_four_columns_show_whole_names_and_labels(server, browser, width, height):
    url, tmp = server
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    try:
        page.goto(url)
        page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=UI_TIMEOUT_MS)
        ncols = page.get_by_label("Nombre de colonnes")
        ncols.fill("4")
        ncols.press("Enter")
        page.get_by_role("heading", name="Colonne 4").wait_for(timeout=UI_TIMEOUT_MS)
        names = page.locator(".pg-model-name")
        names.nth(3).wait_for(timeout=UI_TIMEOUT_MS)
        assert [names.nth(i).inner_text() for i in range(4)] == [SMOL, GEMMA, GEMMA, GEMMA]
        assert not page.evaluate(CUT, ".pg-model-name")  # the whole name, wrapped
        assert not page.evaluate(ELLIPSIS)  # no label cut with "…" (the toggles' labels were)
        for i in range(4):
            page.get_by_text("Paramètres", exact=True).nth(i).click()
        max_tokens = page.get_by_label("Tokens max")
        for i in range(4):
            max_tokens.nth(i).fill("4")
            max_tokens.nth(i).press("Enter")
        page.wait_for_function("() => [...document.querySelectorAll('input[aria-label=\"Tokens max\"]')]"
                               ".every(i => i.value === '4')", timeout=UI_TIMEOUT_MS)
        page.get_by_role("button", name=re.compile(r"Lancer$")).click(timeout=UI_TIMEOUT_MS)
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=UI_LONG_TIMEOUT_MS)
        page.locator('[data-testid="stPlotlyChart"] .legend').last.wait_for(timeout=UI_TIMEOUT_MS)
        assert not page.evaluate(ELLIPSIS)  # nor after the run (buttons, expanders, captions)
        assert not page.evaluate(CUT, '[data-testid="stMain"] button p')  # "Lancer", "Arrêter", downloads
        assert not page.evaluate(OUTSIDE_BOX)
        assert page.evaluate(LEGEND_CLEAR)
        page.locator('[data-testid="stPlotlyChart"]').last.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp / f"compare4-{width}.png"))
    finally:
        ctx.close()


def test_a_new_run_does_not_show_the_last_runs_server_timings_under_its_live_column(server, browser):
    url, tmp = server
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    try:
        page.goto(url)
        page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=UI_TIMEOUT_MS)
        ncols = page.get_by_label("Nombre de colonnes")
        ncols.fill("1")
        ncols.press("Enter")
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Modèle").nth(1).wait_for(state="detached",
                                                                                               timeout=UI_TIMEOUT_MS)
        page.get_by_text("Paramètres", exact=True).first.click()
        max_tokens = page.get_by_label("Tokens max")
        max_tokens.fill("4")
        max_tokens.press("Enter")
        page.wait_for_function("() => document.querySelector('input[aria-label=\"Tokens max\"]').value === '4'",
                               timeout=UI_TIMEOUT_MS)
        run = page.get_by_role("button", name=re.compile(r"Lancer$"))
        run.click(timeout=UI_TIMEOUT_MS)
        timings = page.get_by_text(re.compile("Mesures du serveur"))
        timings.first.wait_for(timeout=UI_LONG_TIMEOUT_MS)  # the first run's timings, under its column
        max_tokens.fill("400")
        max_tokens.press("Enter")
        page.wait_for_function("() => document.querySelector('input[aria-label=\"Tokens max\"]').value === '400'",
                               timeout=UI_TIMEOUT_MS)
        run.click(timeout=UI_TIMEOUT_MS)
        page.locator(".pg-metric-elapsed").first.wait_for(timeout=UI_TIMEOUT_MS)  # the new run is live
        assert timings.count() == 0
        page.get_by_role("button", name=re.compile(r"Arrêter$")).click()
    finally:
        ctx.close()


def test_benchmark_and_sampling_lab_cut_nothing_at_1280(server, browser):
    url, tmp = server
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    try:
        page.goto(url)
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Benchmark", exact=True).click(timeout=UI_TIMEOUT_MS)
        page.get_by_role("button", name=re.compile(r"Lancer le benchmark$")).wait_for(timeout=UI_TIMEOUT_MS)
        assert not page.evaluate(CUT, '[data-testid="stMain"] button p')  # "Lancer le bench…" was cut
        assert not page.evaluate(ELLIPSIS)
        page.screenshot(path=str(tmp / "benchmark-1280.png"))
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Labo d'échantillonnage", exact=True).click()
        temps = page.get_by_label(re.compile("^Températures"))
        temps.wait_for(timeout=UI_TIMEOUT_MS)
        temps.fill("0 ; 0,7")
        temps.press("Enter")
        samples = page.get_by_label("Tirages par température")
        samples.fill("2")
        samples.press("Enter")
        length = page.get_by_label("Tokens max par tirage")
        length.fill("4")
        length.press("Enter")
        page.wait_for_function("() => document.querySelector('input[aria-label=\"Tokens max par tirage\"]').value === '4'",
                               timeout=UI_TIMEOUT_MS)
        page.get_by_role("button", name=re.compile(r"Lancer la grille$")).click(timeout=UI_TIMEOUT_MS)
        page.locator('[data-testid="stTable"]').first.wait_for(timeout=UI_LONG_TIMEOUT_MS)
        assert page.locator('[data-testid="stTable"] th').filter(has_text="Tirage 2 (graine 43)").count() == 1
        assert not page.evaluate(ELLIPSIS)  # the grid's headers were cut
        assert not page.evaluate(CUT, '[data-testid="stTable"] th')
        page.locator('[data-testid="stTable"]').first.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp / "sampling-1280.png"))
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Historique", exact=True).click()
        page.get_by_role("button", name=re.compile(r"Rouvrir dans Comparer$")).wait_for(timeout=UI_TIMEOUT_MS)
        assert not page.evaluate(ELLIPSIS)
        assert not page.evaluate(CUT, '[data-testid="stMain"] button p')
        page.screenshot(path=str(tmp / "history-1280.png"))
    finally:
        ctx.close()
