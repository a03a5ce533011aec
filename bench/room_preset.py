"""How long a room takes to follow the instructor (issue 9; slow, never run in CI).

    python bench/room_preset.py [--attendees 10] [--rounds 3]

Starts `streamlit run app.py` headless on loopback with an instructor password, opens one
instructor context and `--attendees` attendee contexts in Debian's Chromium (every attendee on
Compare, idle, as a room waits for the next demo). Each round the instructor publishes a course
demo from the Classroom page (alternating two Compare demos) and the bench records, per
attendee, the time from the click on "Publier cette démo" to the moment that attendee's prompt
box holds the demo's prompt — without any reload. Prints median / p90 / max per round and over
all rounds, and the attendance the instructor's page shows.
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

from playground.course_presets import course_preset  # noqa: E402
from tests.conftest import BACKEND_VARS, CHROMIUM, CHROMIUM_ARGS, free_port, wait_http  # noqa: E402

PASSWORD = "bench-room"
DEMOS = [("cupboard", "Le placard : modèle de base ou modèle de chat"),
         ("temperature", "Trois tirages à température 1,5")]
WAIT_MS = 300_000


def start_server(port: int, tmp: Path) -> subprocess.Popen:
    secrets = tmp / "secrets.toml"
    secrets.write_text(f'[instructor]\npassword = "{PASSWORD}"\n')
    env = {k: v for k, v in os.environ.items() if k not in BACKEND_VARS}
    env.update(PLAYGROUND_SECRETS=str(secrets), PLAYGROUND_HISTORY_DB=str(tmp / "history.sqlite3"),
               PLAYGROUND_ROOM_DB=str(tmp / "room.sqlite3"))
    log = open(tmp / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    wait_http(f"http://127.0.0.1:{port}/_stcore/health", 120, proc)
    return proc


async def attendee(browser, url: str):
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(WAIT_MS)
    page = await ctx.new_page()
    await page.goto(url)
    await page.get_by_label("Prompt", exact=True).wait_for()
    return page


async def follow(page, prompt: str, t0: float, wait_ms: int) -> float:
    """Seconds until this attendee's prompt box holds `prompt`; inf (and what it shows) if never."""
    try:
        await page.wait_for_function("text => [...document.querySelectorAll('textarea')].some(t => t.value === text)",
                                     arg=prompt, timeout=wait_ms)
    except Exception:
        shown = await page.evaluate("[...document.querySelectorAll('textarea')].map(t => t.value.slice(0, 40))")
        print(f"  an attendee never followed: {page.url} shows {shown}", flush=True)
        return float("inf")
    return time.perf_counter() - t0


async def main(args) -> None:
    from playwright.async_api import async_playwright

    tmp = Path(tempfile.mkdtemp(prefix="room-preset-"))
    port = free_port()
    proc = start_server(port, tmp)
    url = f"http://127.0.0.1:{port}"
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            teacher_ctx = await browser.new_context(viewport={"width": 1280, "height": 800})
            teacher_ctx.set_default_timeout(WAIT_MS)
            teacher = await teacher_ctx.new_page()
            await teacher.goto(f"{url}/room")
            await teacher.get_by_text("Mode formateur", exact=True).click()
            box = teacher.get_by_label("Mot de passe formateur")
            await box.fill(PASSWORD)
            await box.press("Enter")
            await teacher.get_by_text("Commandes de la salle").wait_for()
            pages = await asyncio.gather(*(attendee(browser, url) for _ in range(args.attendees)))
            everyone = []
            for r in range(args.rounds):
                key, title = DEMOS[r % len(DEMOS)]
                prompt = course_preset(key, "fr").prompt
                await teacher.get_by_label("Démo du cours").click()
                await teacher.get_by_role("option", name=title).click()
                t0 = time.perf_counter()
                await teacher.get_by_role("button", name="Publier cette démo").click()
                times = await asyncio.gather(*(follow(p, prompt, t0, args.wait * 1000) for p in pages))
                everyone += times
                lost = sum(1 for t in times if t == float("inf"))
                print(f"round {r + 1} ({key}): {lost} lost · median {np.median(times):.2f} s · p90 {np.percentile(times, 90):.2f} s"
                      f" · max {max(times):.2f} s over {len(times)} attendees", flush=True)
            await asyncio.sleep(3)
            online = await teacher.locator('[data-testid="stMetricValue"]').all_inner_texts()
            print(f"all rounds: median {np.median(everyone):.2f} s · p90 {np.percentile(everyone, 90):.2f} s · "
                  f"max {max(everyone):.2f} s (poll interval 2 s); instructor's page shows {online} online/following")
            await browser.close()
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--attendees", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--wait", type=int, default=120, help="seconds an attendee may take before it counts as lost")
    asyncio.run(main(ap.parse_args()))
