"""Room poll speed on the real embedded models: the distribution computed once per round, one
press (seeded draw + SQLite record), the presenter's tally, and a whole room pressing at once
(30 threads, one Barrier). Prints figures measured in this run.

    python bench/room_poll.py [--sessions 30] [--draws 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playground.config import build_registry, load_config
from playground.explorer import next_token_distribution
from playground.room_poll import MAX_DRAWS, RoomPolls, draw_index
from playground.room_store import RoomStore
from providers.sampling import SamplingParams

MODELS = ("embedded/smollm2-135m-instruct", "embedded/gemma-3-270m")
SOURIS = "La souris de l'ordinateur est un"


def ms(xs: list[float]) -> str:
    xs = sorted(xs)
    return f"median {1000 * statistics.median(xs):.2f} ms, p90 {1000 * xs[int(0.9 * (len(xs) - 1))]:.2f} ms"


def room_at_once(polls: RoomPolls, round_id: str, sessions: int, draws: int) -> tuple[float, list[float]]:
    """`sessions` threads released together, each pressing `draws` times: (wall time, press times)."""
    barrier = threading.Barrier(sessions)
    press: list[float] = []
    lock = threading.Lock()

    def attendee(i: int) -> None:
        barrier.wait()
        for k in range(draws):
            t = time.perf_counter()
            polls.draw_token(round_id, f"s{i}", 1000 * i + k)
            with lock:
                press.append(time.perf_counter() - t)

    threads = [threading.Thread(target=attendee, args=(i,)) for i in range(sessions)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - t0, press


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--draws", type=int, default=MAX_DRAWS["token"])
    args = ap.parse_args()
    registry = build_registry(load_config(secrets={}, env={}))
    params = SamplingParams(temperature=1.5)
    for model in MODELS:
        with tempfile.TemporaryDirectory() as tmp:
            polls = RoomPolls(RoomStore(Path(tmp) / "room.sqlite3"),
                              lambda r: next_token_distribution(registry, r.model, r.prompt, r.chat))
            next_token_distribution(registry, model, SOURIS, False)  # the model loaded, prompt cached
            rnd = polls.open_round("token", model, SOURIS, False, params)
            t0 = time.perf_counter()
            dist = polls.distribution(rnd.id)
            once = time.perf_counter() - t0
            sample_only = []
            for s in range(200):
                t0 = time.perf_counter()
                draw_index(dist, params, s)
                sample_only.append(time.perf_counter() - t0)
            wall, press = room_at_once(polls, rnd.id, args.sessions, args.draws)
            n = args.sessions * args.draws
            tallies = []
            for _ in range(20):
                t = time.perf_counter()
                tal = polls.tally(rnd.id)
                tallies.append(time.perf_counter() - t)
            print(f"{model} (vocabulary {dist.vocab_size:,}), T = 1.5")
            print(f"  distribution for the round (once): {1000 * once:.0f} ms")
            print(f"  one seeded draw, sampling only: {ms(sample_only)}")
            print(f"  {args.sessions} sessions × {args.draws} presses at once: {n} draws in {wall:.2f} s "
                  f"({n / wall:.0f} draws/s); one press (draw + record) {ms(press)}")
            print(f"  presenter's tally at N = {tal.n}: {ms(tallies)}; TV distance {tal.tv:.3f}, "
                  f"χ² {tal.chi2:.1f} on {tal.dof} dof")


if __name__ == "__main__":
    main()
