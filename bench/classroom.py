"""A classroom on one model: N simulated attendees arrive within a couple of seconds, each asks
for an answer, and we measure what the room feels (issue 8).

    python bench/classroom.py [--model embedded/smollm2-135m-instruct] [--sizes 1 8 30]
                              [--max-tokens 64] [--spread 2.0] [--json out.json]
    python bench/classroom.py --threads-sweep        # n_threads 1 vs 2, and both models at once

Each attendee is a thread arriving at a seeded uniform time in [0, --spread] s, with a course
prompt (French and English; every third one the instructor's preset, so identical prompts) and
its own seed, sent through the app's own path: Registry -> provider.stream -> runner.run_request.
For every room size, two modes run back to back in the same process:
  serialized  the scheduler with max_active=1 (the old behaviour: one answer at a time)
  scheduler   the default max_active (continuous batching)
Printed per size and mode: p50/p95 queue wait, TTFT (client-measured, from arrival, queue
included), end-to-end time, aggregate tok/s (all completion tokens / (last finish − first
arrival)), errors, peak RSS (VmHWM, reset before each room through /proc/self/clear_refs) and
VmRSS, "every attendee streaming within" (max TTFT), prompt tokens evaluated vs shared (deltas of
engine.load()), and how many texts differ from a solo run with the same prompt and seed.
A remote model id (`ollama/...`, `<server>/<model>`) runs one mode, "server" (its own batching);
VmHWM/VmRSS are then this client's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playground.config import build_registry, load_config  # noqa: E402
from playground.runner import Result, run_request  # noqa: E402
from providers.base import ChatMessage, GenerationRequest  # noqa: E402

SMOL, GEMMA = "embedded/smollm2-135m-instruct", "embedded/gemma-3-270m"
PRESET = "Explique en deux phrases ce qu'est un modèle de langage."
PROMPTS = [
    PRESET,
    "What is a token in a language model? Answer in one paragraph.",
    "Donne trois conseils pour bien écrire un prompt.",
    "Write a short poem about the sea.",
    "La souris de l'ordinateur est un",
    "Once upon a time, in a small village by the mountains,",
]
STORY = "Write a long story about a cat who travels around the world."  # seed 7: 128 tokens, no early stop


def attendee(i: int) -> tuple[str, int]:
    """(prompt, seed) of attendee i: every third one runs the instructor's preset."""
    return (PRESET if i % 3 == 0 else PROMPTS[1 + i % 5]), 100 + i


def request(model: str, chat: bool, prompt: str, seed: int, max_tokens: int) -> GenerationRequest:
    if chat:
        return GenerationRequest(model=model, messages=(ChatMessage("user", prompt),), max_tokens=max_tokens, seed=seed)
    return GenerationRequest(model=model, prompt=prompt, max_tokens=max_tokens, seed=seed)


def memory() -> dict[str, float]:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmHWM", "VmRSS")):
            out[line.split(":")[0]] = int(line.split()[1]) / 1024  # MB
    return out


def reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS (Linux >= 4.0)
    except OSError:
        pass


class Room:
    def __init__(self, model: str, max_tokens: int, spread: float, seed: int) -> None:
        self.model, self.max_tokens, self.spread, self.seed = model, max_tokens, spread, seed
        self.registry = build_registry(load_config())
        self.provider, self.name = self.registry.resolve(model)
        self.chat = self.provider.capabilities(self.name).mode == "chat"
        self.engine = self.provider.model(self.name).engine if model.startswith("embedded/") else None
        self.solo: dict[tuple[str, int], str] = {}

    def one(self, prompt: str, seed: int) -> Result:
        return run_request(self.provider, request(self.model, self.chat, prompt, seed, self.max_tokens))

    def reference(self, prompt: str, seed: int) -> str:
        """The text of a solo run (nothing else running) with this prompt and seed."""
        key = (prompt, seed)
        if key not in self.solo:
            self.solo[key] = self.one(prompt, seed).text
        return self.solo[key]

    def run(self, n: int, mode: str) -> dict:
        if self.engine is not None:
            self.engine.set_max_active(1 if mode == "serialized" else self.engine.settings.max_active)
        arrivals = np.sort(np.random.default_rng(self.seed + n).uniform(0, self.spread, n)) if n > 1 else np.zeros(1)
        results: list[Result | None] = [None] * n
        ends = [0.0] * n
        before = self.engine.load() if self.engine else {}
        reset_peak()
        t0 = time.perf_counter()

        def go(i: int) -> None:
            time.sleep(max(0.0, t0 + arrivals[i] - time.perf_counter()))
            results[i] = self.one(*attendee(i))
            ends[i] = time.perf_counter()

        threads = [threading.Thread(target=go, args=(i,), daemon=True) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(60.0, t0 + 600 - time.perf_counter()))
        mem = memory()
        after = self.engine.load() if self.engine else {}
        if self.engine is not None:
            self.engine.set_max_active(self.engine.settings.max_active)
        hung = [i for i, r in enumerate(results) if r is None]
        done = [r for r in results if r is not None]
        wall = max(ends) - (t0 + arrivals[0]) if not hung else float("nan")
        errors = [f"#{i}: {r.error}" for i, r in enumerate(results) if r is not None and not r.ok]
        mismatches = []
        for i, r in enumerate(results):
            if r is not None and r.ok:
                ref = self.reference(*attendee(i))
                if r.text != ref:
                    mismatches.append({"attendee": i, "prompt": attendee(i)[0], "seed": attendee(i)[1],
                                       "got": r.text, "solo": ref})

        def pct(values: list) -> tuple[float, float]:
            v = [x for x in values if x is not None]
            return (float(np.percentile(v, 50)), float(np.percentile(v, 95))) if v else (float("nan"),) * 2

        tokens = sum(r.completion_tokens or 0 for r in done)
        ttfts = [r.ttft_s for r in done]
        return {
            "n": n, "mode": mode, "queue": pct([r.queue_s or 0.0 for r in done]), "ttft": pct(ttfts),
            "e2e": pct([r.total_s for r in done]), "tokens": tokens, "wall_s": wall, "tok_s": tokens / wall,
            "max_ttft": max((t for t in ttfts if t is not None), default=float("nan")),
            "errors": errors + [f"#{i}: no answer after 600 s (hang)" for i in hung],
            "vmhwm_mb": mem.get("VmHWM"), "vmrss_mb": mem.get("VmRSS"),
            "prompt_evaluated": after.get("prompt_tokens_evaluated", 0) - before.get("prompt_tokens_evaluated", 0),
            "prompt_shared": after.get("prompt_tokens_shared", 0) - before.get("prompt_tokens_shared", 0),
            "mismatches": mismatches,
        }


def print_table(rows: list[dict]) -> None:
    print("| N | mode | queue p50/p95 s | TTFT p50/p95 s | E2E p50/p95 s | all streaming within | "
          "agg tok/s | tokens | errors | differ from solo | prompt tok evaluated/shared | VmHWM / VmRSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['n']} | {r['mode']} | {r['queue'][0]:.2f} / {r['queue'][1]:.2f} | {r['ttft'][0]:.2f} / "
              f"{r['ttft'][1]:.2f} | {r['e2e'][0]:.2f} / {r['e2e'][1]:.2f} | {r['max_ttft']:.2f} s | {r['tok_s']:.1f} | "
              f"{r['tokens']} | {len(r['errors'])} | {len(r['mismatches'])} | {r['prompt_evaluated']} / "
              f"{r['prompt_shared']} | {r['vmhwm_mb']:.0f} / {r['vmrss_mb']:.0f} |")


def classroom(args) -> dict:
    room = Room(args.model, args.max_tokens, args.spread, args.seed)
    remote = room.engine is None
    room.one(PRESET, 1)  # load, calibrate, warm up
    if room.engine is not None:
        info = room.engine.load()
        print(f"{args.model}: max_active {info['max_active']}, rows per decode {info['rows_per_decode']}, "
              f"threads {info['threads']}")
    else:
        print(f"{args.model}: remote model, serialized mode skipped (its server decides how it batches)")
    modes = ["server"] if remote else ["serialized", "scheduler"]  # remote: however its server batches
    rows = []
    for n in args.sizes:
        for mode in modes:
            rows.append(room.run(n, mode))
            r = rows[-1]
            print(f"  N={n:<3} {mode:<10} p95 TTFT {r['ttft'][1]:.2f} s, {r['tok_s']:.1f} tok/s, "
                  f"{len(r['errors'])} errors, {len(r['mismatches'])} differ from solo", flush=True)
    print(f"\n{args.model}, {args.max_tokens} tokens each, arrivals uniform over 0–{args.spread} s, seed {args.seed}\n")
    print_table(rows)
    by = {(r["n"], r["mode"]): r for r in rows}
    ratios = {}
    print()
    for mode in modes:
        for n in args.sizes:
            if n != 1 and (1, mode) in by:
                ratios[f"{mode}_{n}_vs_1"] = by[(n, mode)]["tok_s"] / by[(1, mode)]["tok_s"]
                print(f"aggregate tok/s, {mode}: {n} streams vs 1 = {ratios[f'{mode}_{n}_vs_1']:.2f}×")
    if not remote:
        for n in args.sizes:
            ratios[f"scheduler_vs_serialized_{n}"] = by[(n, "scheduler")]["tok_s"] / by[(n, "serialized")]["tok_s"]
            print(f"N={n}: scheduler / serialized aggregate tok/s = {ratios[f'scheduler_vs_serialized_{n}']:.2f}×, "
                  f"p95 TTFT {by[(n, 'serialized')]['ttft'][1]:.2f} s -> {by[(n, 'scheduler')]['ttft'][1]:.2f} s")
    for r in rows:
        for e in r["errors"]:
            print(f"ERROR N={r['n']} {r['mode']} {e}")
        for m in r["mismatches"]:
            print(f"DIFFERS N={r['n']} {r['mode']} attendee {m['attendee']} seed {m['seed']} prompt {m['prompt']!r}:\n"
                  f"   got  {m['got'][:160]!r}\n   solo {m['solo'][:160]!r}")
    return {"model": args.model, "max_tokens": args.max_tokens, "spread_s": args.spread, "rows": rows, "ratios": ratios}


def single_stream(args) -> None:
    """One 128-token stream (best of 2) with n_threads=k, in a fresh process; prints JSON."""
    from providers.embedded import EmbeddedConfig, EmbeddedProvider
    from providers.registry import Registry

    # batch_rows given: one stream never groups rows, so skip the calibration at load
    reg = Registry({"embedded": EmbeddedProvider(EmbeddedConfig(n_threads=args.threads, batch_rows=4))})
    models = [SMOL, GEMMA] if args.both else [args.model]
    out = {"threads": args.threads}

    def once(model: str, slot: dict) -> None:
        provider, name = reg.resolve(model)
        chat = provider.capabilities(name).mode == "chat"
        cancel = threading.Event()  # a stalled decode (oversubscribed CPU) must not take hours
        timer = threading.Timer(args.limit, cancel.set)
        timer.start()
        r = run_request(provider, request(model, chat, STORY if chat else "Il était une fois, dans un petit village,",
                                          7, 128), cancel=cancel)
        timer.cancel()
        slot.setdefault(model, []).append((r.tokens_per_s or 0.0, r.completion_tokens, r.error))

    for m in models:
        once(m, {})  # load and warm up
    alone: dict = {}
    for _ in range(2):
        for m in models:
            once(m, alone)
    out["alone"] = {m: max(v)[0] for m, v in alone.items()}
    out["tokens"] = {m: v[0][1] for m, v in alone.items()}
    if args.both:
        together: dict = {}
        for _ in range(2):
            ts = [threading.Thread(target=once, args=(m, together)) for m in models]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
        out["together"] = {m: max(v)[0] for m, v in together.items()}
        out["errors"] = [e for v in [*alone.values(), *together.values()] for *_, e in v if e]
    print(json.dumps(out))


def threads_sweep(args) -> dict:
    def sub(*extra: str) -> dict:
        cmd = [sys.executable, __file__, "--single-stream", "--model", SMOL, *extra]
        return json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])

    rates: dict[int, list[float]] = {1: [], 2: []}
    for rep in range(3):
        for k in ((1, 2) if rep % 2 == 0 else (2, 1)):
            rates[k].append(sub("--threads", str(k))["alone"][SMOL])
            print(f"  rep {rep + 1}: n_threads={k}: {rates[k][-1]:.1f} tok/s", flush=True)
    med = {k: float(np.median(v)) for k, v in rates.items()}
    best = max(med.values())
    print("\nSmolLM2, one stream of 128 tokens, decode tok/s (3 alternating fresh processes, best of 2 inside each)\n")
    print("| n_threads | runs tok/s | median | vs best |\n|---|---|---|---|")
    for k, v in rates.items():
        print(f"| {k} | {', '.join(f'{x:.1f}' for x in v)} | {med[k]:.1f} | {med[k] / best:.2f}× |")
    both = sub("--both")
    print("\nBoth models decoding at once (default threads, one thread per model), decode tok/s:\n")
    print("| model | alone | both at once | ratio |\n|---|---|---|---|")
    for m in (SMOL, GEMMA):
        print(f"| {m} | {both['alone'][m]:.1f} | {both['together'][m]:.1f} | {both['together'][m] / both['alone'][m]:.2f}× |")
    if both.get("errors"):
        print(f"errors: {both['errors']}")
    return {"threads": rates, "median": med, "both": both}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=SMOL)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 8, 30])
    ap.add_argument("--max-tokens", type=int, default=64)
    ap.add_argument("--spread", type=float, default=2.0, help="arrivals uniform over 0..spread seconds")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--threads-sweep", action="store_true")
    ap.add_argument("--single-stream", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--threads", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--both", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=float, default=90.0, help="single stream: stop a stream after this many seconds")
    args = ap.parse_args()
    if args.single_stream:
        return single_stream(args)
    figures = threads_sweep(args) if args.threads_sweep else classroom(args)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, default=str))


if __name__ == "__main__":
    main()
