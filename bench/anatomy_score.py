"""Model anatomy and Score a text: (1) reading a GGUF's tensor infos (cold, then cached) against
loading the weights with llama.cpp; (2) scoring a text on the embedded models: tokens per second
of the step-through path, against one evaluation of the whole text as a prompt (the lower bound
of any scoring, but not the explorer's numbers: see playground/score.py).

    python bench/anatomy_score.py [--tokens 128]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playground.anatomy import model_anatomy
from playground.config import registry_or_embedded
from playground.score import score_text, text_ids
from providers.embedded.gguf_meta import _CACHE, _TENSOR_CACHE, gguf_tensors

MODELS = ["embedded/smollm2-135m-instruct", "embedded/gemma-3-270m"]
TEXT = ("La souris de l'ordinateur est un petit appareil que l'on tient dans la main pour déplacer le "
        "curseur à l'écran. Elle a été inventée dans les années soixante. ") * 8


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, default=128)
    args = ap.parse_args()
    reg = registry_or_embedded()[0]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for mid in MODELS:
        path = reg.capabilities(mid).details["path"]
        _CACHE.clear()
        _TENSOR_CACHE.clear()
        t0 = time.perf_counter()
        gguf_tensors(path)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        a = model_anatomy(reg, mid)
        warm = time.perf_counter() - t0
        provider, name = reg.resolve(mid)
        t0 = time.perf_counter()
        m = provider.loaded(name)
        load = time.perf_counter() - t0
        print(f"{mid}: {len(a.tensors)} tensors; header + tensor infos {cold * 1000:.1f} ms cold, "
              f"anatomy {warm * 1000:.2f} ms cached; llama.cpp load {load * 1000:.0f} ms")
        provider.next_token_logits(name, [m.bos if m.bos >= 0 else 0], [])  # the scheduler starts (calibration)
        ids, _ = text_ids(m, mid, TEXT)
        ids = ids[: args.tokens]
        t0 = time.perf_counter()
        s = score_text(reg, mid, TEXT, max_tokens=args.tokens)
        step = time.perf_counter() - t0
        t0 = time.perf_counter()
        provider.next_token_logits(name, ids[:-1] + [ids[-1] ^ 1], [])  # a prompt not in the cache
        whole = time.perf_counter() - t0
        n = len(s.logprobs)
        print(f"  score {n} tokens: {step:.2f} s ({n / step:.1f} tokens/s); the same text as one prompt "
              f"{whole:.2f} s; ratio {step / whole:.1f}×; perplexity {s.perplexity:.2f}")


if __name__ == "__main__":
    main()
