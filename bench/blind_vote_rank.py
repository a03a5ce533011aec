"""How long the blind vote's ranking takes to compute (Bradley–Terry + bootstrap intervals +
Elo) for a room's worth of votes: it runs once per reveal (the board caches it until the next
change), on the thread of the instructor's page.

    python bench/blind_vote_rank.py [--models 4] [--boot 200] [--reps 3]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playground.blind_vote import rank  # noqa: E402


def votes(n: int, k: int, seed: int = 0) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    strength = {f"m{i}": rng.gauss(0, 0.7) for i in range(k)}
    names = list(strength)
    out = []
    for _ in range(n):
        a, b = rng.sample(names, 2)
        u = rng.random()
        p = 1 / (1 + math.exp(strength[b] - strength[a]))
        out.append((a, b, "both_bad" if u < 0.05 else "tie" if u < 0.15 else "a" if rng.random() < p else "b"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=int, default=4)
    ap.add_argument("--boot", type=int, default=200)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    print(f"models={args.models} bootstrap={args.boot}")
    for n in (30, 300, 3000):
        vs = votes(n, args.models)
        times = []
        for _ in range(args.reps):
            t0 = time.perf_counter()
            rank(vs, n_boot=args.boot)
            times.append(time.perf_counter() - t0)
        print(f"votes={n:5d}  median {statistics.median(times) * 1000:7.1f} ms  (min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})")


if __name__ == "__main__":
    main()
