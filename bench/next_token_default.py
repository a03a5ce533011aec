"""What opening Next token on the base model costs: the first distribution of "La souris de
l'ordinateur est un" in a fresh process (model load included) and the bytes the live chart
sends to the browser, for Gemma 3 270M (the default since the course demos) and SmolLM2 135M
(the default before). Each measurement runs in its own process, so every load is cold for
llama.cpp (the OS file cache stays warm after the first run, as on a server).

    python bench/next_token_default.py [--repeats 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODELS = ("embedded/gemma-3-270m", "embedded/smollm2-135m-instruct")
CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from playground.config import build_registry, load_config
from playground.explorer import next_token_distribution
from playground.explorer_live import live_payload
t0 = time.perf_counter()
reg = build_registry(load_config())
dist = next_token_distribution(reg, {model!r}, "La souris de l'ordinateur est un", False)
t1 = time.perf_counter()
p = live_payload(dist)
print(json.dumps({{"first_s": t1 - t0, "vocab": int(dist.vocab_size), "bytes": len(p.logits)}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} (shared machine: wall times vary)")
    rows = {}
    for model in MODELS:
        runs = []
        for _ in range(args.repeats):
            out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), model=model)], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
            runs.append(json.loads(out))
        rows[model] = runs
        first = [r["first_s"] for r in runs]
        print(f"{model}: vocabulary {runs[0]['vocab']:,}, live chart payload {runs[0]['bytes']:,} bytes, "
              f"first distribution in a fresh process (load included): median {statistics.median(first):.2f} s "
              f"(runs: {', '.join(f'{x:.2f}' for x in first)})")
    g, s = (statistics.median(r["first_s"] for r in rows[m]) for m in MODELS)
    print(f"ratio gemma / smollm2: first distribution x{g / s:.2f}, payload x{rows[MODELS[0]][0]['bytes'] / rows[MODELS[1]][0]['bytes']:.2f}")


if __name__ == "__main__":
    main()
