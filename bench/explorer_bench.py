"""Explorer speed: (1) reshaping after a slider move (no model call) + building the figures, on
Gemma's 262,144-token vocabulary; (2) one step-through step (one token decoded, KV cache
reused) against a full-prompt evaluation. Prints figures and ratios measured in this run.

    python bench/explorer_bench.py [--repeats 40]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from playground.config import build_registry, load_config
from playground.explorer import (
    Trail,
    choose,
    embedded_model,
    next_token_distribution,
    step_from,
    view,
)
from playground.explorer_charts import bar_figure, entropy_figure, pie_figure
from providers.sampling import SamplingParams

GEMMA = "embedded/gemma-3-270m"
SOURIS = "La souris de l'ordinateur est un"
LONG = (
    "Le gratin dauphinois est un plat traditionnel français, originaire du Dauphiné, à base de pommes de terre "
    "crues coupées en fines rondelles et de lait ou de crème, cuit au four dans un plat beurré et frotté d'ail. "
) * 4 + "La souris de l'ordinateur est un"


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.array(xs), q))


def bench_reshape(registry, repeats: int) -> None:
    dist = next_token_distribution(registry, GEMMA, SOURIS, False)
    rng = np.random.default_rng(0)
    settings = [SamplingParams(1.0)] + [
        SamplingParams(float(rng.uniform(0.05, 2.0)), int(rng.choice([0, 5, 20, 50])), float(rng.choice([1.0, 0.9, 0.5])),
                       float(rng.choice([0.0, 0.05, 0.2])))
        for _ in range(repeats - 1)
    ]
    t_view, t_figs, t_json, t_total, cpu_total = [], [], [], [], []
    curve = [(t / 20, 0.0) for t in range(1, 41)]
    for p in settings[:3]:  # warm-up: first Plotly figure builds import and cache validators
        v = view(dist, p, show=20)
        bar_figure(v).to_json(), pie_figure(v).to_json(), entropy_figure(curve, 1.0, 1.0, 1.0).to_json()
    for p in settings:
        c0 = time.process_time()
        t0 = time.perf_counter()
        v = view(dist, p, show=20)
        t1 = time.perf_counter()
        figs = [bar_figure(v), pie_figure(v), entropy_figure(curve, p.temperature, v.entropy_t, v.entropy_final)]
        t2 = time.perf_counter()
        for f in figs:
            f.to_json()  # what st.plotly_chart sends to the browser
        t3 = time.perf_counter()
        cpu_total.append((time.process_time() - c0) * 1e3)
        t_view.append((t1 - t0) * 1e3)
        t_figs.append((t2 - t1) * 1e3)
        t_json.append((t3 - t2) * 1e3)
        t_total.append((t3 - t0) * 1e3)
    print(f"## Reshape after a slider move: {GEMMA}, vocabulary {dist.vocab_size:,}, {repeats} parameter settings")
    print("   (no model call: the logits were fetched once; each setting = reshape + 3 figures + JSON; 3 warm-up runs not counted)")
    for name, xs in (("reshape (view)", t_view), ("build figures", t_figs), ("figures to JSON", t_json),
                     ("total (wall)", t_total), ("total (CPU)", cpu_total)):
        print(f"   {name:<16} median {statistics.median(xs):7.2f} ms   p95 {pct(xs, 95):7.2f} ms   max {max(xs):7.2f} ms")
    print(f"   budget 100 ms: p95 wall total is {pct(t_total, 95) / 100:.2f}× the budget, "
          f"p95 CPU total {pct(cpu_total, 95) / 100:.2f}× (wall includes waiting for a shared CPU)")
    with open("/proc/loadavg") as fh:
        print(f"   load average during the run: {fh.read().split()[0]} on {__import__('os').cpu_count()} cores")


def bench_step(registry, repeats: int) -> None:
    """A cold prompt (never seen: every token evaluated) vs one step-through step (the previous
    state is kept by the scheduler: one token decoded). Tokens decoded come from the engine."""
    m = embedded_model(registry, GEMMA)
    params = SamplingParams(0.0)
    full, step, decoded_full, decoded_step = [], [], [], []

    def decoded(before: dict) -> int:
        after = m.engine.load()
        return (after["prompt_tokens_evaluated"] - before["prompt_tokens_evaluated"]) + (after["steps"] - before["steps"])

    for i in range(repeats):
        prompt = f"{LONG} ({i})"  # a new prompt each time: nothing cached
        before = m.engine.load()
        t0 = time.perf_counter()
        d = next_token_distribution(registry, GEMMA, prompt, False)
        full.append(time.perf_counter() - t0)
        decoded_full.append(decoded(before))
        trail = Trail().append(step_from(d, choose(d, params, "greedy"), params, "greedy"))
        before = m.engine.load()
        t0 = time.perf_counter()
        next_token_distribution(registry, GEMMA, prompt, False, trail)
        step.append(time.perf_counter() - t0)
        decoded_step.append(decoded(before))
    n_prompt = d.context_tokens
    print(f"## One step-through step vs a full-prompt evaluation: {GEMMA}, prompt {n_prompt} tokens, {repeats} runs")
    print(f"   full prompt: median {statistics.median(full) * 1e3:8.1f} ms, tokens decoded {decoded_full[0]}")
    print(f"   one step   : median {statistics.median(step) * 1e3:8.1f} ms, tokens decoded {decoded_step[0]}")
    print(f"   ratio full / step: {statistics.median(full) / statistics.median(step):.1f}×")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=40)
    ap.add_argument("--step-repeats", type=int, default=5)
    args = ap.parse_args()
    registry = build_registry(load_config(secrets={}, env={}))
    bench_reshape(registry, args.repeats)
    bench_step(registry, args.step_repeats)


if __name__ == "__main__":
    main()
