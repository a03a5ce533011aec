"""Embedded decode speed: our scheduler (with and without top-20 logprobs, measured by the runner)
versus llama-cpp-python's own streaming decode of the same GGUF (its own Llama instance, same
thread count), and the `logits_all=True` built-in logprobs trap. Also Gemma's resident memory
with the default engine settings.

    python bench/embedded_decode.py [--tokens 128] [--reps 5] [--skip-trap]

Repetitions are interleaved (A, B, C, A, B, C, ...) and medians compared, so a noisy neighbour
slows every variant alike. Ratios > 1 mean faster than plain llama-cpp-python.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import llama_cpp  # noqa: E402

from playground.runner import run_request, run_stream  # noqa: E402
from providers.base import GenerationRequest, TextDelta  # noqa: E402
from providers.embedded import GEMMA, SMOLLM2, EmbeddedConfig, EmbeddedProvider  # noqa: E402
from providers.embedded.context import default_threads  # noqa: E402

PROMPT = "Il était une fois, dans un petit village de Provence,"
SAMPLING = dict(temperature=0.7, top_p=0.95, top_k=40, min_p=0.0)


def decode_rate(n: int, t_first: float, t_last: float) -> float:
    return n / (t_last - t_first) if t_last > t_first else float("nan")


def plain_llama(path: str, **kw) -> "llama_cpp.Llama":
    """A Llama without weight repacking (as the provider loads it: the repacked AMX kernels crash
    on CPUs that advertise AMX to a VM that does not allow it)."""
    real = llama_cpp.llama_cpp.llama_model_default_params

    def no_repack():
        p = real()
        p.use_extra_bufts = False
        return p

    llama_cpp.llama_cpp.llama_model_default_params = no_repack
    try:
        return llama_cpp.Llama(model_path=path, verbose=False, n_threads=default_threads(), **kw)
    finally:
        llama_cpp.llama_cpp.llama_model_default_params = real


def plain(llm, n_tokens: int, seed: int) -> float:
    """llama-cpp-python's own sampler and streaming, no logprobs."""
    llm.reset()
    times = []
    for _ in llm.create_completion(PROMPT, max_tokens=n_tokens, seed=seed, stream=True, **SAMPLING):
        times.append(time.perf_counter())
    return decode_rate(len(times), times[0], times[-1])


def runner_over_plain(llm, n_tokens: int, seed: int) -> float:
    """The runner measuring llama-cpp-python's raw stream: the runner's own overhead."""
    def events():
        for chunk in llm.create_completion(PROMPT, max_tokens=n_tokens, seed=seed, stream=True, **SAMPLING):
            yield TextDelta(chunk["choices"][0]["text"], n_tokens=1)

    llm.reset()
    r = run_stream(events, "raw")
    return r.completion_tokens / (r.total_s - r.ttft_s)


def ours(prov, name: str, n_tokens: int, seed: int, k: int) -> float:
    req = GenerationRequest(model=f"embedded/{name}", prompt=PROMPT, max_tokens=n_tokens, seed=seed, top_logprobs=k, **SAMPLING)
    r = run_request(prov, req)
    assert r.error is None, r.error
    return r.tokens_per_s


def trap(path: str, n_tokens: int) -> float:
    """llama-cpp-python's built-in logprobs (needs logits_all=True)."""
    llm = plain_llama(path, n_ctx=1024, logits_all=True)
    times = []
    for _ in llm.create_completion(PROMPT, max_tokens=n_tokens, logprobs=20, stream=True, seed=1, **SAMPLING):
        times.append(time.perf_counter())
    del llm
    return decode_rate(len(times), times[0], times[-1])


def gemma_rss() -> dict:
    """Peak resident memory of a fresh process that loads Gemma (default engine) and generates.
    Read from VmHWM, not ru_maxrss: ru_maxrss survives exec, so a child forked from this big
    benchmark process would report the parent's size."""
    code = (
        "import resource,sys; sys.path.insert(0, %r)\n"
        "from providers.embedded import EmbeddedConfig, EmbeddedProvider\n"
        "from playground.runner import run_request\n"
        "from providers.base import GenerationRequest\n"
        "p = EmbeddedProvider(EmbeddedConfig())\n"
        "r = run_request(p, GenerationRequest(model='embedded/gemma-3-270m', prompt='Bonjour', max_tokens=64, top_logprobs=20))\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "import json; print(json.dumps({'peak_rss_mb': int(hwm) / 1024, 'n_ctx': p.model('gemma-3-270m').n_ctx}))\n"
    ) % str(ROOT)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--skip-trap", action="store_true")
    args = ap.parse_args()
    prov = EmbeddedProvider(EmbeddedConfig())
    report = {}
    for name in (SMOLLM2, GEMMA):
        m = prov.model(name)
        llm = plain_llama(str(m.path), n_ctx=1024)
        ours(prov, name, 8, 0, 20)  # warm-up
        rows = {"plain": [], "runner_over_plain": [], "ours_k0": [], "ours_k20": []}
        for rep in range(args.reps):
            seed = 100 + rep
            rows["plain"].append(plain(llm, args.tokens, seed))
            rows["runner_over_plain"].append(runner_over_plain(llm, args.tokens, seed))
            rows["ours_k0"].append(ours(prov, name, args.tokens, seed, 0))
            rows["ours_k20"].append(ours(prov, name, args.tokens, seed, 20))
        med = {k: statistics.median(v) for k, v in rows.items()}
        entry = {f"{k}_tok_s": round(v, 1) for k, v in med.items()}
        entry["ratio_runner_over_plain"] = round(med["runner_over_plain"] / med["plain"], 3)
        entry["ratio_ours_k0_vs_plain"] = round(med["ours_k0"] / med["plain"], 3)
        entry["ratio_ours_k20_vs_plain"] = round(med["ours_k20"] / med["plain"], 3)
        entry["ratio_ours_k20_vs_ours_k0"] = round(med["ours_k20"] / med["ours_k0"], 3)
        if not args.skip_trap:
            t = trap(str(m.path), min(args.tokens, 48))
            entry["builtin_logprobs_tok_s"] = round(t, 1)
            entry["ratio_builtin_logprobs_vs_plain"] = round(t / med["plain"], 3)
        report[name] = entry
        print(name, json.dumps(entry), flush=True)
    report["gemma_rss"] = gemma_rss()
    print("gemma resident memory (default engine):", json.dumps(report["gemma_rss"]))


if __name__ == "__main__":
    main()
