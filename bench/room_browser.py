"""A room of real browsers on one Streamlit server (issue 8; slow, never run in CI).

    python bench/room_browser.py [--sessions 30] [--max-tokens 64] [--spread 2.0] [--port 8599]

Starts `streamlit run app.py` headless on loopback (with an empty secrets file and a throwaway
history database, like tests/conftest.py), opens `--sessions` browser contexts in Debian's
Chromium, puts each one on the Compare page with one column (the default model, SmolLM2), sets
Max tokens and a course prompt, then clicks "▶ Lancer" at staggered times (uniform over
0..--spread s, seeded). Each session is polled every 100 ms and records: time from click to the
first streamed token (the live token count ≥ 1), time to the final metrics, the queue positions
it was shown ("En file d'attente : position n"), and the queue and TTFT the app itself reports.
Prints per-session lines, then median / p90 / max.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import BACKEND_VARS, CHROMIUM, CHROMIUM_ARGS, free_port, wait_http  # noqa: E402

PROMPTS = ["Explique en deux phrases ce qu'est un modèle de langage.",
           "What is a token in a language model? Answer in one paragraph.",
           "Donne trois conseils pour bien écrire un prompt.",
           "Write a short poem about the sea."]

STATE_JS = """() => {
  const num = (sel) => { const b = document.querySelector(sel); return b ? b.textContent.trim() : null; };
  return {tokens: num('.pg-metric-completion_tokens b'), finish: num('.pg-metric-finish b'),
          position: num('.pg-metric-queue_position b'), ttft: num('.pg-metric-ttft b'), queue: num('.pg-metric-queue b'),
          queued_text: document.body.innerText.includes("En file d'attente")};
}"""


def start_server(port: int, tmp: Path) -> subprocess.Popen:
    secrets = tmp / "secrets.toml"
    secrets.write_text("# room_browser: no remote backends\n")
    env = {k: v for k, v in os.environ.items() if k not in BACKEND_VARS}
    env.update(PLAYGROUND_SECRETS=str(secrets), PLAYGROUND_HISTORY_DB=str(tmp / "history.sqlite3"))
    log = open(tmp / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    wait_http(f"http://127.0.0.1:{port}/_stcore/health", 120, proc)
    return proc


async def prepare(browser, url: str, i: int, max_tokens: int):
    """A fresh browser context on Compare, one column, Max tokens and prompt set."""
    ctx = await browser.new_context(viewport={"width": 1300, "height": 1000})
    page = await ctx.new_page()
    await page.goto(url)
    await page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=180_000)
    selects = page.locator('[data-testid="stSelectbox"]').filter(has_text="Modèle")
    await selects.first.wait_for(timeout=180_000)
    ncols = page.get_by_label("Nombre de colonnes")
    await ncols.fill("1")
    await ncols.press("Enter")
    await selects.nth(1).wait_for(state="detached", timeout=60_000)
    params = page.get_by_text("Paramètres", exact=True).first
    await params.wait_for(timeout=600_000)  # the first visit loads the model and calibrates its engine
    await params.click()
    box = page.get_by_label("Tokens max")
    await box.fill(str(max_tokens))
    await box.press("Enter")
    prompt = page.get_by_label("Prompt", exact=True)
    await prompt.fill(PROMPTS[i % len(PROMPTS)])
    await prompt.press("Control+Enter")
    await page.wait_for_timeout(500)  # let the reruns settle
    return ctx, page


async def session(page, delay: float, timeout: float) -> dict:
    await asyncio.sleep(delay)
    rec = {"delay": delay, "first_s": None, "done_s": None, "positions": [], "queued_text": False, "finish": None}
    await page.get_by_role("button", name="▶ Lancer").click()
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        s = await page.evaluate(STATE_JS)
        now = time.perf_counter() - t0
        if s["position"] and (not rec["positions"] or rec["positions"][-1] != s["position"]):
            rec["positions"].append(s["position"])
        rec["queued_text"] |= s["queued_text"]
        if rec["first_s"] is None and s["tokens"] and s["tokens"].split()[0].isdigit() and int(s["tokens"].split()[0]) >= 1:
            rec["first_s"] = now
        if s["finish"]:
            rec.update(done_s=now, finish=s["finish"], app_ttft=s["ttft"], app_queue=s["queue"])
            if rec["first_s"] is None:
                rec["first_s"] = now
            break
        await asyncio.sleep(0.1)
    return rec


def fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def stats(values: list[float]) -> str:
    v = [x for x in values if x is not None]
    if not v:
        return "—"
    return f"median {np.median(v):.2f} s, p90 {np.percentile(v, 90):.2f} s, max {max(v):.2f} s"


async def main_async(args) -> None:
    from playwright.async_api import async_playwright

    tmp = Path(tempfile.mkdtemp(prefix="room-browser-"))
    port = args.port or free_port()
    proc = start_server(port, tmp)
    url = f"http://127.0.0.1:{port}"
    print(f"streamlit on {url} (log {tmp / 'streamlit.log'})", flush=True)
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            t = time.perf_counter()
            pages = []
            for k in range(0, args.sessions, args.open_batch):  # a few at a time: 30 cold pages at once starve a 2-core box
                pages += await asyncio.gather(*(prepare(browser, url, i, args.max_tokens)
                                                for i in range(k, min(args.sessions, k + args.open_batch))))
            print(f"{len(pages)} sessions ready in {time.perf_counter() - t:.0f} s; clicking Run", flush=True)
            delays = np.sort(np.random.default_rng(args.seed).uniform(0, args.spread, args.sessions))
            recs = await asyncio.gather(*(session(pg, float(d), args.timeout) for (_, pg), d in zip(pages, delays)))
            for ctx, _ in pages:
                await ctx.close()
            await browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"\n{args.sessions} sessions, Max tokens {args.max_tokens}, clicks uniform over 0–{args.spread} s\n")
    print("| session | click at s | first text s | finished s | queue positions seen | app queue | app TTFT | finish |")
    print("|---|---|---|---|---|---|---|---|")
    for i, r in enumerate(recs):
        pos = " → ".join(r["positions"]) or ("(text seen)" if r["queued_text"] else "—")
        print(f"| {i + 1} | {r['delay']:.2f} | {fmt(r['first_s'])} | {fmt(r['done_s'])} | {pos} | "
              f"{r.get('app_queue') or '—'} | {r.get('app_ttft') or '—'} | {r['finish'] or 'TIMEOUT'} |")
    print(f"\ntime to first text: {stats([r['first_s'] for r in recs])}")
    print(f"time to finish:     {stats([r['done_s'] for r in recs])}")
    print(f"sessions shown a queue position: {sum(bool(r['positions'] or r['queued_text']) for r in recs)}; "
          f"unfinished after {args.timeout:.0f} s: {sum(r['done_s'] is None for r in recs)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--max-tokens", type=int, default=64)
    ap.add_argument("--spread", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--open-batch", type=int, default=4, help="sessions prepared at once")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds a session may take after its click")
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
