"""How long a new visitor waits for an interactive Compare page (issue 11; slow, never run in CI).

    python bench/startup.py [--reps 5] [--first-run]

Each repetition starts `streamlit run app.py` fresh (headless, loopback, an empty secrets file and
a throwaway history database, like tests/conftest.py) while Debian's Chromium is already open;
the clock starts when the server process is spawned. The browser opens the app as soon as the
health endpoint answers and records:

- health   the server answers /_stcore/health
- health_cpu    CPU seconds the server process used until then (Streamlit's own start)
- visible  the Compare page's "▶ Lancer" button is visible and enabled and every column's model
           picker shows a model (what a visitor can click)
- idle     the first script run is over (`data-test-script-state` leaves "running"): nothing on
           the page is still being computed
- after_health  idle − health: what a visitor arriving at a just-started server waits
- server_cpu    CPU seconds the server process used until idle (comparable across loads)
- first    (--first-run) clicking Run until the first column's final metrics (finish reason)
           show: the first generation pays the model load and calibration

Prints one line per repetition, then the median and the worst of each. Gemma's joined GGUF stays
in the user cache directory between repetitions (assembled once per machine, as in production).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import BACKEND_VARS, CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

TIMEOUT_MS = 300_000

READY_JS = """() => {
  const run = [...document.querySelectorAll('button')].find(b => b.innerText.includes('Lancer'));
  const pickers = [...document.querySelectorAll('input[aria-label="Modèle"]')];
  return !!run && !run.disabled && run.offsetParent !== null && pickers.length > 0
      && pickers.every(i => i.value.length > 0);
}"""

IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning';
}"""


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far: on a machine other people load,
    this moves far less than the wall clock, so runs at different times stay comparable."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def spawn(port: int, tmp: Path, root: Path) -> subprocess.Popen:
    secrets = tmp / "secrets.toml"
    secrets.write_text("# startup bench: no remote backends\n")
    env = {k: v for k, v in os.environ.items() if k not in BACKEND_VARS}
    env.update(PLAYGROUND_SECRETS=str(secrets), PLAYGROUND_HISTORY_DB=str(tmp / "history.sqlite3"))
    log = open(tmp / f"streamlit-{port}.log", "w")
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_health(url: str, proc: subprocess.Popen) -> None:
    import httpx

    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    raise TimeoutError(url)


def one(browser, tmp: Path, first_run: bool, root: Path) -> dict:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    ctx = browser.new_context(viewport={"width": 1500, "height": 1100})
    page = ctx.new_page()
    t0 = time.perf_counter()
    proc = spawn(port, tmp, root)
    try:
        wait_health(url, proc)
        out = {"health": time.perf_counter() - t0, "health_cpu": cpu_s(proc.pid)}
        page.goto(url)
        page.wait_for_function(READY_JS, timeout=TIMEOUT_MS, polling=20)
        out["visible"] = time.perf_counter() - t0
        page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS, polling=20)
        out["idle"] = time.perf_counter() - t0
        out["after_health"] = out["idle"] - out["health"]
        out["server_cpu"] = cpu_s(proc.pid)
        if first_run:
            t1 = time.perf_counter()
            page.get_by_role("button", name="Lancer").click()
            page.locator(".pg-metric-finish b").first.wait_for(timeout=TIMEOUT_MS)
            out["first"] = time.perf_counter() - t1
        return out
    finally:
        ctx.close()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--first-run", action="store_true", help="also time the first generation (model load)")
    ap.add_argument("--root", type=Path, default=ROOT, help="run app.py from this checkout (e.g. an older commit's export)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="pg-startup-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for i in range(args.reps):
                r = one(browser, Path(tmp), args.first_run, args.root.resolve())
                rows.append(r)
                print(f"rep {i + 1}: " + "  ".join(f"{k} {v:5.2f} s" for k, v in r.items()), flush=True)
        finally:
            browser.close()
    print()
    for k in rows[0]:
        vals = [r[k] for r in rows]
        print(f"{k:12s} median {statistics.median(vals):5.2f} s   worst {max(vals):5.2f} s   (n={len(vals)})")


if __name__ == "__main__":
    main()
