"""Browser tests: a small benchmark with its progress bar and box plots; reopening a run from History."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import UI_LONG_TIMEOUT_MS, UI_TIMEOUT_MS, start_streamlit

pytestmark = pytest.mark.browser
SMOL = "embedded/smollm2-135m-instruct"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("st5")
    db = tmp / "history.sqlite3"
    proc, url, log = start_streamlit(tmp, {"PLAYGROUND_HISTORY_DB": str(db)})
    yield url, db, tmp
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _open(page, url: str, title: str) -> None:
    """Enter through the app's entry page, then follow the sidebar (a deep link on a server that has
    not yet run app.py is served by Streamlit's legacy pages/ mode, without the app's navigation)."""
    page.goto(url)
    link = page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True)
    link.wait_for(timeout=UI_TIMEOUT_MS)
    link.click()


def _set_prompts(page, n: int) -> None:
    """Set the number of prompts last and wait until the page shows the new total: the server has
    then run with every value typed before it (each rerun carries all widget values)."""
    n_prompts = page.get_by_label("Prompts utilisés (les N premiers)")
    n_prompts.fill(str(n))
    n_prompts.press("Enter")
    page.get_by_text(f"{n} requêtes mesurées au total.", exact=True).wait_for(timeout=UI_TIMEOUT_MS)


def test_small_benchmark_shows_progress_and_box_plots(server, page):
    url, db, tmp = server
    _open(page, url, "Benchmark")
    max_tokens = page.get_by_label("Tokens max par réponse")
    max_tokens.wait_for(timeout=UI_TIMEOUT_MS)
    max_tokens.fill("24")
    max_tokens.press("Enter")
    _set_prompts(page, 3)
    page.get_by_role("button", name=re.compile(r"Lancer le benchmark$")).click()
    progress = page.locator('[data-testid="stProgress"]')
    progress.first.wait_for(timeout=UI_TIMEOUT_MS)
    page.get_by_text(re.compile(r"3/3 requêtes")).first.wait_for(timeout=UI_LONG_TIMEOUT_MS)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    charts.nth(1).wait_for(timeout=UI_TIMEOUT_MS)
    assert charts.count() == 2
    page.get_by_text("TTFT par modèle (s)").first.wait_for(timeout=UI_TIMEOUT_MS)
    page.get_by_text(re.compile("Terminé en")).wait_for(timeout=UI_TIMEOUT_MS)
    page.screenshot(path=str(tmp / "benchmark.png"), full_page=True)
    from playground.store import HistoryStore

    [row] = HistoryStore(db).list_runs(kind="benchmark")
    assert row.status == "done"


def test_reopen_a_run_from_history_into_compare(server, page):
    url, db, tmp = server
    from playground.export import compare_record
    from playground.runner import Result
    from playground.store import HistoryStore
    from providers.base import ChatMessage, GenerationRequest

    prompt = "La souris de l'ordinateur est un objet qui"
    reqs = [GenerationRequest(model=SMOL, messages=(ChatMessage("user", prompt),), temperature=0.4, max_tokens=20)]
    rec = compare_record(reqs, [Result(model=SMOL, text="petit appareil", ttft_s=0.1, total_s=0.4,
                                       completion_tokens=3)])
    HistoryStore(db).save("compare", rec, title="souris", models=[SMOL], prompt=prompt)
    _open(page, url, "Historique")
    try:
        page.get_by_text("petit appareil").first.wait_for(timeout=UI_TIMEOUT_MS)
    finally:
        page.screenshot(path=str(tmp / "history.png"), full_page=True)
    page.get_by_text("petit appareil").first.wait_for(timeout=UI_TIMEOUT_MS)
    page.get_by_role("button", name=re.compile(r"Rouvrir dans Comparer$")).click()
    page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=UI_TIMEOUT_MS)
    box = page.locator('textarea[aria-label="Prompt"]')
    box.wait_for(timeout=UI_TIMEOUT_MS)
    page.wait_for_function("t => document.querySelector('textarea[aria-label=\"Prompt\"]').value === t", arg=prompt,
                           timeout=UI_TIMEOUT_MS)
    page.get_by_text("petit appareil").first.wait_for(timeout=UI_TIMEOUT_MS)  # the stored output is shown too
    page.screenshot(path=str(tmp / "reopened.png"), full_page=True)


def test_cancel_keeps_the_results_so_far(server, page):
    url, db, tmp = server
    _open(page, url, "Benchmark")
    max_tokens = page.get_by_label("Tokens max par réponse")
    max_tokens.wait_for(timeout=UI_TIMEOUT_MS)
    max_tokens.fill("96")
    max_tokens.press("Enter")
    _set_prompts(page, 6)
    page.get_by_role("button", name=re.compile(r"Lancer le benchmark$")).click()
    page.get_by_text(re.compile(r"[12]/6 requêtes")).first.wait_for(timeout=UI_LONG_TIMEOUT_MS)
    page.get_by_role("button", name=re.compile(r"Annuler$")).click()
    page.get_by_text("Benchmark annulé : les résultats obtenus jusque-là sont conservés.").wait_for(timeout=UI_TIMEOUT_MS)
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=UI_TIMEOUT_MS)
    page.screenshot(path=str(tmp / "cancelled.png"))
    from playground.store import HistoryStore

    rows = HistoryStore(db).list_runs(kind="benchmark")
    assert rows[0].status == "cancelled"
    samples = HistoryStore(db).get(rows[0].id).data["samples"]
    assert 1 <= len(samples) < 6
