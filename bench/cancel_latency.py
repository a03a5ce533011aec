"""How fast a cancelled answer frees its slot: Stop pressed (the cancel event set) on the first
streamed text, while other attendees' answers keep decoding, until the scheduler no longer counts
it as active.

    python bench/cancel_latency.py [--others 7] [--reps 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from providers.base import ChatMessage, GenerationRequest, TextDelta  # noqa: E402
from providers.embedded import SMOLLM2, EmbeddedProvider  # noqa: E402


def request(i: int, n: int) -> GenerationRequest:
    return GenerationRequest(model=f"embedded/{SMOLLM2}", messages=(ChatMessage("user", f"Raconte une longue histoire n° {i}"),),
                             max_tokens=n, seed=i, temperature=1.3)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--others", type=int, default=7)
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    provider = EmbeddedProvider()
    engine = provider.model(SMOLLM2).engine
    stop_others = threading.Event()
    others = [threading.Thread(target=lambda i=i: list(provider.stream(request(i, 1500), stop_others)))
              for i in range(args.others)]
    for t in others:
        t.start()
    while engine.load()["active"] < args.others:
        time.sleep(0.01)
    freed = []
    for k in range(args.reps):
        cancel = threading.Event()
        stream = provider.stream(request(100 + k, 400), cancel)
        for ev in stream:
            if isinstance(ev, TextDelta) and ev.text:
                t0 = time.perf_counter()
                cancel.set()
                break
        while engine.load()["active"] > args.others:
            time.sleep(0.001)
        freed.append(time.perf_counter() - t0)
        stream.close()
    stop_others.set()
    for t in others:
        t.join()
    print(f"Stop -> slot freed, {args.others} other answers decoding ({engine.rows} rows per decode, "
          f"{engine.ctx.threads} thread(s)): median {statistics.median(freed):.3f} s, max {max(freed):.3f} s "
          f"({', '.join(f'{x:.3f}' for x in freed)})")


if __name__ == "__main__":
    main()
