"""History speed: list and filter 10,000 stored runs as the History page does (target < 300 ms).

Run: python bench/history_listing.py [--runs 10000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from playground.record_json import dumps  # noqa: E402
from playground.store import HistoryStore, _pack_models  # noqa: E402

MODELS = ["embedded/smollm2-135m-instruct", "embedded/gemma-3-270m", "ollama/qwen2.5:1.5b", "ollama/mistral:7b",
          "openai/gpt-4o-mini", "openrouter/meta-llama/llama-3.1-8b-instruct"]
RUN_KINDS = ["compare", "benchmark", "sampling", "sentences"]
WORDS = "le gratin dauphinois est un plat la souris de l'ordinateur bonjour bot tomates riz poulet SNCF billes".split()


def fill(store: HistoryStore, n: int) -> None:
    rng = random.Random(0)
    now = time.time()
    rows = []
    for i in range(n):
        ms = rng.sample(MODELS, rng.randint(1, 3))
        prompt = " ".join(rng.choices(WORDS, k=12))
        data = {"requests": [{"model": m, "messages": [{"role": "user", "content": prompt}]} for m in ms],
                "results": [{"model": m, "text": " ".join(rng.choices(WORDS, k=150)),
                             "logprobs": [{"token": w, "logprob": -0.5, "top": []} for w in rng.choices(WORDS, k=40)]}
                            for m in ms]}
        rows.append((rng.choice(RUN_KINDS), "done", now - (n - i) * 60, now - (n - i) * 60 + 5, prompt[:60],
                     _pack_models(ms), prompt, dumps({"columns": [{"model": m} for m in ms]}), dumps(data)))
    with store._connect() as con:
        con.execute("BEGIN")
        con.executemany("INSERT INTO runs(kind, status, created_at, finished_at, title, models, prompt, summary, data) "
                        "VALUES (?,?,?,?,?,?,?,?,?)", rows)
        con.execute("COMMIT")


def page_like(store: HistoryStore, **filters) -> int:
    """What pages/history.py does on each rerun: the model list, one page of rows, the count, a frame."""
    store.all_models()
    rows = store.list_runs(limit=200, **filters)
    store.count(**filters)
    pd.DataFrame([{"id": r.id, "date": r.created_at, "kind": r.kind, "status": r.status, "title": r.title,
                   "models": ", ".join(r.models)} for r in rows])
    return len(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = HistoryStore(Path(tmp) / "h.db")
        t = time.perf_counter()
        fill(store, args.runs)
        size = (Path(tmp) / "h.db").stat().st_size + (Path(tmp) / "h.db-wal").stat().st_size
        print(f"filled {args.runs} runs in {time.perf_counter() - t:.1f} s ({size / 1e6:.0f} MB)")
        since = time.time() - 3 * 24 * 3600
        cases = {
            "no filter": {},
            "kind=benchmark": {"kind": "benchmark"},
            "model=ollama/mistral:7b": {"model": "ollama/mistral:7b"},
            "search 'dauphinois'": {"search": "dauphinois"},
            "last 3 days": {"since": since},
            "all filters": {"kind": "compare", "model": "embedded/gemma-3-270m", "search": "souris", "since": since},
        }
        worst = 0.0
        for name, f in cases.items():
            times = []
            for _ in range(7):
                t = time.perf_counter()
                n = page_like(store, **f)
                times.append((time.perf_counter() - t) * 1000)
            med = statistics.median(times)
            worst = max(worst, med)
            print(f"{name:28} {n:4} rows shown  median {med:6.1f} ms  max {max(times):6.1f} ms")
        print(f"worst median {worst:.1f} ms vs target 300 ms: {worst / 300:.2f}× the budget")


if __name__ == "__main__":
    main()
