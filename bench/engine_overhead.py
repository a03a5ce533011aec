"""Benchmark-engine overhead at concurrency 32 against a real local OpenAI-compatible server
(`python -m llama_cpp.server` with SmolLM2), versus the same requests as raw httpx streaming calls.

Two figures, alternating raw and engine rounds: the client CPU time per request (process_time of
this process: what the engine itself costs, unaffected by the server's speed or by other load on
the machine) and the wall-clock difference per request (best of the rounds; noisy on a shared
2-core machine because the server dominates the wall time). Target: overhead < 2 ms per request. Run: python bench/engine_overhead.py [--requests 128] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from playground.bench import BenchConfig, run_benchmark  # noqa: E402
from playground.prompt_sets import Prompt  # noqa: E402
from providers.embedded import locate_smollm2  # noqa: E402
from providers.registry import Registry  # noqa: E402
from providers.sse import sse_json  # noqa: E402
from tests.support.openai_loopback import LoopbackOpenAIProvider, llama_server  # noqa: E402

CONCURRENCY = 32


def timed(fn, *args) -> tuple[float, float]:
    """(wall seconds, this process's CPU seconds) of one round."""
    c, t = time.process_time(), time.perf_counter()
    fn(*args)
    return time.perf_counter() - t, time.process_time() - c


def raw_round(client: httpx.Client, base: str, prompts: list[str], max_tokens: int) -> float:
    """The same streaming requests with bare httpx: 32 threads pulling from one list."""
    todo = list(prompts)
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not todo:
                    return
                p = todo.pop()
            body = {"model": "smollm2", "stream": True, "stream_options": {"include_usage": True},
                    "messages": [{"role": "user", "content": p}], "temperature": 0.0, "top_p": 1.0,
                    "max_tokens": max_tokens, "seed": 1}
            with client.stream("POST", f"{base}/chat/completions", json=body) as r:
                for _ in sse_json(r.iter_lines()):
                    pass

    t = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - t


def engine_round(registry: Registry, prompts: list[str], max_tokens: int, model: str = "local/smollm2") -> float:
    cfg = BenchConfig(models=(model,), prompts=tuple(Prompt(f"p{i}", p) for i, p in enumerate(prompts)),
                      mode="parallel", concurrency=(CONCURRENCY,), warmup=False,
                      params={"temperature": 0.0, "max_tokens": max_tokens, "seed": 1})
    t = time.perf_counter()
    rep = run_benchmark(registry, cfg)
    wall = time.perf_counter() - t
    bad = [s.error for s in rep.samples if not s.ok]
    if bad:
        raise SystemExit(f"engine errors: {bad[:3]}")
    return wall


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=128)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--max-tokens", type=int, default=1)
    args = ap.parse_args()
    prompts = [f"Say {i}." for i in range(args.requests)]
    with llama_server(locate_smollm2()) as base:
        provider = LoopbackOpenAIProvider(base)
        providers = {"local": provider}
        try:  # the product's OpenAI-compatible provider (issue 3), when present
            from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider

            providers["compat"] = OpenAICompatProvider(OpenAICompatConfig(name="compat", base_url=base))
        except ImportError:
            pass
        registry = Registry(providers)
        client = httpx.Client(timeout=120, limits=httpx.Limits(max_connections=128, max_keepalive_connections=128))
        raw_round(client, base, prompts[:CONCURRENCY], args.max_tokens)  # warm both paths
        engine_round(registry, prompts[:CONCURRENCY], args.max_tokens)
        raws, engines, compats = [], [], []
        for _ in range(args.rounds):
            raws.append(timed(raw_round, client, base, prompts, args.max_tokens))
            engines.append(timed(engine_round, registry, prompts, args.max_tokens))
            if "compat" in providers:
                compats.append(timed(engine_round, registry, prompts, args.max_tokens, "compat/smollm2"))
        n = args.requests
        raw_wall, eng_wall = min(w for w, _ in raws), min(w for w, _ in engines)
        raw_cpu = statistics.median(c for _, c in raws) / n * 1000
        eng_cpu = statistics.median(c for _, c in engines) / n * 1000
        print(f"{n} requests at concurrency {CONCURRENCY}, max_tokens {args.max_tokens}, {args.rounds} rounds")
        print(f"raw httpx   wall {', '.join(f'{w:.3f}' for w, _ in raws)} s; client CPU {raw_cpu:.2f} ms/request")
        print(f"engine      wall {', '.join(f'{w:.3f}' for w, _ in engines)} s; client CPU {eng_cpu:.2f} ms/request")
        print(f"engine CPU overhead {eng_cpu - raw_cpu:+.2f} ms per request (target < 2 ms); "
              f"engine/raw CPU ratio {eng_cpu / raw_cpu:.2f}")
        if compats:
            c_cpu = statistics.median(c for _, c in compats) / n * 1000
            print(f"engine through providers/openai_compat (openai SDK): client CPU {c_cpu:.2f} ms/request, "
                  f"overhead vs raw {c_cpu - raw_cpu:+.2f} ms")
        print(f"best-round wall: engine/raw {eng_wall / raw_wall:.3f}, difference "
              f"{(eng_wall - raw_wall) / n * 1000:+.2f} ms per request")


if __name__ == "__main__":
    main()
