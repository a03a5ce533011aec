"""Slider move to redrawn chart on the Next-token page, in a real browser (slow, never run in CI).

    python bench/explorer_slider.py [--moves 20] [--models smollm2,gemma] [--old-rev d2b0a8f]

Two paths, each driven by the keyboard on the Temperature slider (ArrowLeft ×moves/2, then
ArrowRight back), one move at a time (the next key press waits for the previous redraw):

- **live**: today's page (`streamlit run app.py`): the live chart reshapes in its iframe;
- **server**: the page as it was at `--old-rev` (before the live chart), where every slider move
  reran the page on the server; its source is taken from git and run standalone (the same
  sections, without the app's sidebar).

Both are timed the same way, inside the document that holds the bars: a capturing `keydown`
listener notes performance.now(); a MutationObserver on the bars notes the first change of the
first bar's value label; the time is taken at the next animation frame after it (the frame that
shows it). The live chart's own figure (input event → both Plotly.react calls settled → next
frame, window.__live) is printed beside it. Prints median / p90 / max per model and path, and the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import BACKEND_VARS, CHROMIUM, CHROMIUM_ARGS, free_port, wait_http  # noqa: E402

MODELS = {"smollm2": ("SmolLM2", 49_152), "gemma": ("Gemma", 262_144)}
LIVE_IFRAME = 'iframe[title="ui.live_explorer.live_explorer"]'

# installed in the document that holds the bars; `sel` finds the bars' value labels
PROBE_JS = """(sel) => {
  const w = window;
  w.__probe = {t0: null, times: [], last: null};
  const first = () => { const t = document.querySelector(sel); return t ? t.textContent : null; };
  w.__probe.last = first();
  document.addEventListener('keydown', () => { w.__probe.t0 = performance.now(); }, true);
  new MutationObserver(() => {
    const now = first();
    if (w.__probe.t0 === null || now === null || now === w.__probe.last) return;
    w.__probe.last = now;
    const t0 = w.__probe.t0; w.__probe.t0 = null;
    requestAnimationFrame(() => w.__probe.times.push(performance.now() - t0));
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def start(script: str, tmp: Path) -> tuple[subprocess.Popen, str]:
    secrets = tmp / "secrets.toml"
    secrets.write_text("# explorer_slider: no remote backends\n")
    env = {k: v for k, v in os.environ.items() if k not in BACKEND_VARS}
    env.update(PLAYGROUND_SECRETS=str(secrets), PLAYGROUND_HISTORY_DB=str(tmp / "history.sqlite3"))
    port = free_port()
    log = open(tmp / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    wait_http(f"http://127.0.0.1:{port}/_stcore/health", 120, proc)
    return proc, f"http://127.0.0.1:{port}"


def old_page(rev: str, tmp: Path) -> str:
    """The Next-token page at `rev`, runnable on its own (the app shell's guard left out)."""
    src = subprocess.run(["git", "show", f"{rev}:pages/next_token.py"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    src = src.replace("    ensure_app()\n", "    pass  # (bench: no app shell)\n", 1)
    src = src.replace("from __future__ import annotations\n", "", 1)
    path = tmp / "old_next_token.py"
    path.write_text("from __future__ import annotations\nimport sys\n"
                    f"sys.path.insert(0, {str(ROOT)!r})\n" + src)
    return str(path)


def pick_model(page, label: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Modèle")
    box.click()
    page.get_by_role("option", name=label).first.click()


def moves(page, slider, n: int, doc) -> list[float]:
    """n key presses on `slider`, each waiting for its redraw in `doc`; the probe's times."""
    slider.focus()
    for i in range(n):
        page.keyboard.press("ArrowLeft" if i < n // 2 else "ArrowRight")
        doc.wait_for_function(f"window.__probe.times.length >= {i + 1}", timeout=120_000)
    return list(doc.evaluate("window.__probe.times"))


def stats(xs: list[float]) -> str:
    xs = sorted(xs)
    p90 = xs[min(len(xs) - 1, int(round(0.9 * (len(xs) - 1))))]
    return f"median {statistics.median(xs):8.1f} ms   p90 {p90:8.1f} ms   max {xs[-1]:8.1f} ms   (n={len(xs)})"


def run_live(browser, url: str, model: str, n: int) -> tuple[list[float], list[float]]:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(url)
    page.get_by_role("link", name="Prochain token").click()
    page.frame_locator(LIVE_IFRAME).locator("body[data-redraws]").wait_for(state="attached", timeout=180_000)
    if model != "smollm2":
        pick_model(page, MODELS[model][0])
        page.frame_locator(LIVE_IFRAME).locator("#m-kept .sub").filter(
            has_text=f"{MODELS[model][1]:,}".replace(",", "\u202f")).wait_for(timeout=180_000)
    frame = page.locator(LIVE_IFRAME).element_handle().content_frame()
    frame.evaluate(PROBE_JS, "#bars text.bartext")
    before = frame.evaluate("window.__live.redraws.length")
    times = moves(page, frame.get_by_label("Température"), n, frame)
    own = [r["ms"] for r in frame.evaluate("window.__live.redraws")[before:]]
    page.close()
    return times, own


def run_server(browser, url: str, model: str, n: int) -> list[float]:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(url)
    bars = '[data-testid="stPlotlyChart"] text.bartext'
    page.locator(bars).first.wait_for(timeout=180_000)
    if model != "smollm2":
        first = page.locator(bars).first.text_content()
        pick_model(page, MODELS[model][0])
        page.wait_for_function("(b) => { const t = document.querySelector('[data-testid=stPlotlyChart] text.bartext');"
                               " return t && t.textContent !== b; }", arg=first, timeout=180_000)
        page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=180_000)
    page.evaluate(PROBE_JS, bars)
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="Température").get_by_role("slider")
    times = moves(page, slider, n, page)
    page.close()
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--moves", type=int, default=20)
    ap.add_argument("--models", default="smollm2,gemma")
    ap.add_argument("--old-rev", default="d2b0a8f", help="a commit whose pages/next_token.py reran the server per move")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="explorer-slider-"))
    procs = []
    try:
        live_proc, live_url = start("app.py", tmp)
        procs.append(live_proc)
        old_proc, old_url = start(old_page(args.old_rev, tmp), tmp)
        procs.append(old_proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            print(f"## Next-token slider: key press on Temperature -> redrawn bars, {args.moves} moves, 1280x720, "
                  f"headless Chromium {browser.version}")
            for model in args.models.split(","):
                live, own = run_live(browser, live_url, model, args.moves)
                server = run_server(browser, old_url, model, args.moves)
                name = MODELS[model][0]
                print(f"   {name:8} live chart      {stats(live)}")
                print(f"   {name:8}   (its own: input -> both charts settled -> next frame: {stats(own)})")
                print(f"   {name:8} server rerun    {stats(server)}   [page at {args.old_rev}]")
                print(f"   {name:8} ratio server / live (medians): {statistics.median(server) / statistics.median(live):.1f}x")
            browser.close()
        print(f"   load average during the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    t = time.monotonic()
    main()
    print(f"   (bench took {time.monotonic() - t:.0f} s)")
