"""What JSON output costs on the embedded models: tokens/s of the same request with and without
the grammar mask (llama.cpp's grammar sampler over the whole vocabulary each step), and the
mask alone per step. Prints measured figures and ratios (docs/BENCHMARKS.md).

    python bench/structured_decode.py [--tokens 64] [--reps 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from playground.request import build_request  # noqa: E402
from providers.base import Finished, TextDelta  # noqa: E402
from providers.embedded.grammar import GrammarMask, json_grammar  # noqa: E402
from providers.embedded.provider import EmbeddedProvider  # noqa: E402

# An open-ended schema (long string values), so both runs generate the full token budget.
SCHEMA = {"type": "object", "properties": {"story": {"type": "string"}}, "required": ["story"]}


def run(prov, model, chat, tokens, schema, seed):
    req = build_request(model, "Tell a story as JSON:", chat, temperature=1.0, seed=seed, max_tokens=tokens,
                        json_schema=json.dumps(schema) if schema else None)
    t0, first, n = time.perf_counter(), None, 0
    for ev in prov.stream(req):
        if isinstance(ev, TextDelta) and first is None:
            first = time.perf_counter()
        if isinstance(ev, Finished):
            n = ev.usage.completion_tokens or 0
    end = time.perf_counter()
    return n / (end - (first or t0)) if n > 1 else float("nan"), n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, default=64)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    prov = EmbeddedProvider()
    for name, chat in (("smollm2-135m-instruct", True), ("gemma-3-270m", False)):
        model = f"embedded/{name}"
        run(prov, model, chat, 4, None, 0)  # load and calibrate first
        plain = [run(prov, model, chat, a.tokens, None, s) for s in range(a.reps)]
        constrained = [run(prov, model, chat, a.tokens, SCHEMA, s) for s in range(a.reps)]
        m = prov.loaded(name)
        mask = GrammarMask(m.model.vocab, m.n_vocab, json_grammar(SCHEMA)[0])
        mask.accept(m.tokenize('{"story": "', add_bos=False, special=False)[0])
        row = np.random.default_rng(0).standard_normal(m.n_vocab).astype(np.float32)
        t = []
        for _ in range(20):
            t0 = time.perf_counter()
            mask.mask(row)
            t.append(time.perf_counter() - t0)
        mask.close()
        p = statistics.median(r for r, _ in plain)
        c = statistics.median(r for r, _ in constrained)
        print(f"{name}: vocab {m.n_vocab:,} · plain {p:.1f} tok/s · JSON schema {c:.1f} tok/s · ratio {c / p:.2f} · "
              f"mask alone {statistics.median(t) * 1000:.1f} ms/step (median of 20) · tokens "
              f"{[n for _, n in plain]} / {[n for _, n in constrained]}")


if __name__ == "__main__":
    main()
