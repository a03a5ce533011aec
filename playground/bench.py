"""The benchmark engine: models × repetitions × concurrency over a prompt set, vLLM/llmperf metrics.

Metric definitions (vLLM benchmark_serving / llmperf, see docs/HISTORY_AND_BENCHMARKS.md):
TTFT = request sent → first content token; E2E = request sent → last byte;
TPOT = (E2E − TTFT) / (output tokens − 1); ITL = gaps between consecutive chunks;
output tokens/s per request = output tokens / (E2E − TTFT); throughput = all output tokens of a
(model, concurrency) group / that group's wall time. All timing comes from playground.runner.
"""

from __future__ import annotations

import csv
import io
import queue
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from playground.cost import result_cost
from playground.prompt_sets import WARMUP_PROMPT, Prompt
from playground.record_json import capabilities_record
from playground.request import build_request
from playground.runner import Clock, Result, run_on_registry
from providers.base import GenerationRequest, ProviderError

MODES = ("sequential", "parallel")
PERCENTILES = (50, 90, 95, 99)
METRICS = ("queue_s", "ttft_s", "tpot_s", "itl_s", "e2e_s", "tokens_per_s", "chars_per_s", "output_tokens")


# ---------------------------------------------------------------- configuration and samples
@dataclass(frozen=True)
class BenchConfig:
    """What to run. `params` are GenerationRequest fields (temperature, max_tokens, seed, ...).

    mode "sequential": one request at a time across the whole run (fair timing, concurrency 1).
    mode "parallel": for each model and each concurrency level N, N requests in flight at once.
    """

    models: tuple[str, ...]
    prompts: tuple[Prompt, ...]
    repetitions: int = 1
    concurrency: tuple[int, ...] = (1,)
    mode: str = "sequential"
    warmup: bool = True
    params: Mapping[str, object] = field(default_factory=dict)

    def levels(self) -> tuple[int, ...]:
        return (1,) if self.mode == "sequential" else tuple(sorted(set(self.concurrency)))

    def total_requests(self) -> int:
        return len(self.models) * len(self.prompts) * self.repetitions * len(self.levels())

    def validate(self) -> None:
        if not self.models:
            raise ValueError("Pick at least one model to benchmark.")
        if not self.prompts:
            raise ValueError("The prompt set is empty: a benchmark needs at least one prompt.")
        if self.repetitions < 1:
            raise ValueError(f"Repetitions must be at least 1 (got {self.repetitions}).")
        if self.mode not in MODES:
            raise ValueError(f"Mode must be one of {', '.join(MODES)} (got {self.mode}).")
        if not self.concurrency or any(c < 1 for c in self.concurrency):
            raise ValueError("Concurrency levels must be whole numbers of at least 1.")

    def to_dict(self) -> dict:
        return {
            "models": list(self.models),
            "prompts": [asdict(p) for p in self.prompts],
            "repetitions": self.repetitions,
            "concurrency": list(self.concurrency),
            "mode": self.mode,
            "warmup": self.warmup,
            "params": dict(self.params),
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> "BenchConfig":
        return cls(
            models=tuple(d["models"]),
            prompts=tuple(Prompt(**p) for p in d["prompts"]),
            repetitions=int(d.get("repetitions", 1)),
            concurrency=tuple(int(c) for c in d.get("concurrency", (1,))),
            mode=d.get("mode", "sequential"),
            warmup=bool(d.get("warmup", True)),
            params=dict(d.get("params") or {}),
        )


@dataclass
class Sample:
    """One measured request."""

    model: str
    prompt_id: str
    repetition: int
    concurrency: int
    ok: bool
    error: str | None
    ttft_s: float | None  # client-measured: the queue wait is inside it (llmperf)
    e2e_s: float | None
    tpot_s: float | None
    itl_s: list[float]
    output_tokens: int | None
    prompt_tokens: int | None
    tokens_per_s: float | None
    chars_per_s: float | None
    start_s: float  # offset from the start of the benchmark
    text: str = ""
    cost: float | None = None
    cost_source: str | None = None
    queue_s: float | None = None  # waiting for a slot of the model (embedded scheduler), when known

    @classmethod
    def from_result(cls, r: Result, prompt_id: str, repetition: int, concurrency: int, start_s: float) -> "Sample":
        out = r.completion_tokens
        tpot = None
        if r.ok and out is not None and out > 1 and r.ttft_s is not None and r.total_s is not None:
            tpot = (r.total_s - r.ttft_s) / (out - 1)
        times = r.chunk_times
        itl = [b - a for a, b in zip(times, times[1:])]

        cost, source = result_cost(r)
        return cls(
            model=r.model, prompt_id=prompt_id, repetition=repetition, concurrency=concurrency, ok=r.ok,
            error=r.error, ttft_s=r.ttft_s if r.ok else None, e2e_s=r.total_s if r.ok else None, tpot_s=tpot,
            itl_s=itl if r.ok else [], output_tokens=out, prompt_tokens=r.prompt_tokens,
            tokens_per_s=r.tokens_per_s if r.ok else None, chars_per_s=r.chars_per_s if r.ok else None,
            start_s=start_s, text=r.text, cost=cost, cost_source=source, queue_s=r.queue_s,
        )

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping) -> "Sample":
        values = {k: d.get(k) for k in cls.__dataclass_fields__}
        values["itl_s"] = list(d.get("itl_s") or [])
        values["text"] = d.get("text") or ""
        return cls(**values)


# ---------------------------------------------------------------- statistics
def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolation percentile (numpy's default method, as vLLM reports); None when empty."""
    xs = [v for v in values if v is not None]
    if not xs:
        return None
    return float(np.percentile(xs, q, method="linear"))


def summary_stats(values: Iterable[float | None]) -> dict[str, float | None]:
    xs = [v for v in values if v is not None]
    out: dict[str, float | None] = {"n": len(xs), "mean": (sum(xs) / len(xs)) if xs else None}
    for q in PERCENTILES:
        out[f"p{q}"] = percentile(xs, q)
    return out


@dataclass
class GroupStats:
    """Statistics of one model at one concurrency level (or over all levels when concurrency is None)."""

    model: str
    concurrency: int | None
    requests: int
    errors: int
    error_rate: float
    throughput_tok_s: float | None
    wall_s: float | None
    metrics: dict[str, dict[str, float | None]]
    cost: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def group_stats(samples: Sequence[Sample], model: str, concurrency: int | None,
                wall_s: float | None) -> GroupStats:
    ok = [s for s in samples if s.ok]
    metrics = {
        "queue_s": summary_stats(s.queue_s for s in ok),
        "ttft_s": summary_stats(s.ttft_s for s in ok),
        "tpot_s": summary_stats(s.tpot_s for s in ok),
        "itl_s": summary_stats(x for s in ok for x in s.itl_s),
        "e2e_s": summary_stats(s.e2e_s for s in ok),
        "tokens_per_s": summary_stats(s.tokens_per_s for s in ok),
        "chars_per_s": summary_stats(s.chars_per_s for s in ok),
        "output_tokens": summary_stats(s.output_tokens for s in ok),
    }
    total_out = sum(s.output_tokens or 0 for s in ok)
    costs = [s.cost for s in samples if s.cost is not None]
    n = len(samples)
    return GroupStats(
        model=model, concurrency=concurrency, requests=n, errors=n - len(ok),
        error_rate=(n - len(ok)) / n if n else 0.0,
        throughput_tok_s=(total_out / wall_s) if wall_s and wall_s > 0 else None,
        wall_s=wall_s, metrics=metrics, cost=sum(costs) if costs else None,
    )


@dataclass
class BenchReport:
    """Everything a benchmark produced: the configuration, every sample, per-group walls."""

    config: BenchConfig
    samples: list[Sample] = field(default_factory=list)
    walls: dict[str, float] = field(default_factory=dict)  # "model|concurrency" -> wall seconds
    cancelled: bool = False
    elapsed_s: float = 0.0
    model_details: dict[str, dict] = field(default_factory=dict)
    warmup_errors: dict[str, str] = field(default_factory=dict)

    def stats(self) -> list[GroupStats]:
        """One row per model and concurrency level, in run order."""
        out = []
        for model in self.config.models:
            for c in self.config.levels():
                group = [s for s in self.samples if s.model == model and s.concurrency == c]
                if group:
                    out.append(group_stats(group, model, c, self.walls.get(f"{model}|{c}")))
        return out

    def model_stats(self) -> list[GroupStats]:
        """One row per model, over all its samples (throughput over the sum of its group walls)."""
        out = []
        for model in self.config.models:
            group = [s for s in self.samples if s.model == model]
            if group:
                walls = [w for k, w in self.walls.items() if k.split("|")[0] == model]
                out.append(group_stats(group, model, None, sum(walls) if walls else None))
        return out

    def total_cost(self) -> float | None:
        costs = [s.cost for s in self.samples if s.cost is not None]
        return sum(costs) if costs else None

    def to_dict(self) -> dict:
        return {
            "kind": "benchmark",
            "config": self.config.to_dict(),
            "samples": [s.to_dict() for s in self.samples],
            "walls": dict(self.walls),
            "cancelled": self.cancelled,
            "elapsed_s": self.elapsed_s,
            "model_details": self.model_details,
            "warmup_errors": self.warmup_errors,
            "stats": [g.to_dict() for g in self.stats()],
            "model_stats": [g.to_dict() for g in self.model_stats()],
            "total_cost": self.total_cost(),
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> "BenchReport":
        return cls(
            config=BenchConfig.from_dict(d["config"]),
            samples=[Sample.from_dict(s) for s in d.get("samples") or []],
            walls=dict(d.get("walls") or {}),
            cancelled=bool(d.get("cancelled")),
            elapsed_s=float(d.get("elapsed_s") or 0.0),
            model_details=dict(d.get("model_details") or {}),
            warmup_errors=dict(d.get("warmup_errors") or {}),
        )


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    errors: int
    elapsed_s: float
    eta_s: float | None
    model: str | None = None
    concurrency: int | None = None

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


# ---------------------------------------------------------------- running
def bench_request(model: str, prompt: Prompt, params: Mapping[str, object], mode: str = "chat") -> GenerationRequest:
    """A request for one prompt; base (completion) models get the raw text."""
    allowed = {k: v for k, v in params.items() if k in GenerationRequest.__dataclass_fields__
               and k not in ("model", "messages", "prompt", "system")}
    if "stop" in allowed:
        allowed["stop"] = tuple(allowed["stop"] or ())
    return build_request(model, prompt.text, mode == "chat", prompt.system, **allowed)


def _model_modes(registry, models: Sequence[str]) -> tuple[dict[str, str], dict[str, dict]]:
    modes, details = {}, {}
    for m in models:
        try:
            caps = registry.capabilities(m)
            modes[m] = caps.mode
            details[m] = capabilities_record(caps)
        except ProviderError as exc:
            modes[m] = "chat"
            details[m] = {"error": exc.message}
    return modes, details


def run_one(registry, request: GenerationRequest, clock: Clock, cancel: threading.Event | None) -> Result:
    """One request through the registry, measured by the runner; never raises."""
    return run_on_registry(registry, request, clock, cancel)


def run_benchmark(
    registry,
    config: BenchConfig,
    on_progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    clock: Clock = time.perf_counter,
    on_sample: Callable[[Sample], None] | None = None,
    on_report: Callable[[BenchReport], None] | None = None,
) -> BenchReport:
    """Run the whole benchmark; on cancel, stop dispatching and return what finished so far.

    Requests cancelled mid-flight are not counted (their timings would be truncated).
    `on_report` sees the report after each finished sample (under the run's lock), so a caller
    can checkpoint it: a benchmark cut short by a dead process still has its finished samples.
    """
    config.validate()
    cancel = cancel or threading.Event()
    modes, details = _model_modes(registry, config.models)
    report = BenchReport(config=config, model_details=details)
    total = config.total_requests()
    t_start = clock()
    lock = threading.Lock()
    done = [0, 0]  # finished, errors

    def progress(model: str | None, c: int | None) -> None:
        if on_progress is None:
            return
        elapsed = clock() - t_start
        eta = elapsed / done[0] * (total - done[0]) if done[0] else None
        on_progress(Progress(done[0], total, done[1], elapsed, eta, model, c))

    progress(None, None)
    for model in config.models:
        if cancel.is_set():
            break
        if config.warmup:
            # Loads the model / opens connections, so the first measured request is not a cold start.
            # A prompt outside the set: warming with prompts[0] would leave it in the backend's
            # prompt (KV) cache and give the first measured request an unfairly short TTFT.
            warm = run_one(registry, bench_request(model, WARMUP_PROMPT, {**config.params, "max_tokens": 4,
                                                                         "top_logprobs": 0}, modes[model]),
                           clock, cancel)
            if warm.error:
                report.warmup_errors[model] = warm.error
        for c in config.levels():
            if cancel.is_set():
                break
            jobs = [(p, rep) for rep in range(config.repetitions) for p in config.prompts]
            jq: queue.Queue = queue.Queue()
            for j in jobs:
                jq.put(j)
            g_start = clock()

            def worker(model: str = model, c: int = c, jq: queue.Queue = jq) -> None:
                while not cancel.is_set():
                    try:
                        p, rep = jq.get_nowait()
                    except queue.Empty:
                        return
                    req = bench_request(model, p, config.params, modes[model])
                    s0 = clock() - t_start
                    r = run_one(registry, req, clock, cancel)
                    if cancel.is_set() and r.finish_reason == "cancelled":
                        return
                    sample = Sample.from_result(r, p.id, rep + 1, c, s0)
                    with lock:
                        report.samples.append(sample)
                        done[0] += 1
                        done[1] += 0 if sample.ok else 1
                        if on_sample is not None:
                            on_sample(sample)
                        if on_report is not None:
                            on_report(report)
                        progress(model, c)

            workers = min(c, len(jobs))
            if workers == 1:
                worker()  # no thread for the fair, one-at-a-time case
            else:
                threads = [threading.Thread(target=worker, daemon=True, name=f"bench-{i}") for i in range(workers)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
            report.walls[f"{model}|{c}"] = clock() - g_start
    report.cancelled = cancel.is_set()
    report.elapsed_s = clock() - t_start
    return report


class Checkpoint:
    """An `on_report` for run_benchmark that saves the live report at most every `every_s`
    seconds (and at the first sample) through `save(data)`; the data reads as a cut-short run
    (`cancelled`, `partial`) until the run's final write replaces it."""

    def __init__(self, save: Callable[[dict], None], every_s: float = 2.0, clock: Clock = time.monotonic) -> None:
        self._save = save
        self._every_s = every_s
        self._clock = clock
        self._last: float | None = None

    def __call__(self, report: BenchReport) -> None:
        now = self._clock()
        if self._last is not None and now - self._last < self._every_s:
            return
        self._last = now
        data = report.to_dict()
        data.update(cancelled=True, partial=True)
        try:
            self._save(data)
        except Exception:  # history is a convenience: a full disk must not stop the benchmark
            pass


# ---------------------------------------------------------------- tables
def stats_rows(stats: Sequence[GroupStats]) -> list[dict]:
    """Flat rows (one per group) for tables and CSV: mean and percentiles of every metric."""
    rows = []
    for g in stats:
        row: dict = {"model": g.model, "concurrency": g.concurrency, "requests": g.requests,
                     "errors": g.errors, "error_rate": round(g.error_rate, 4),
                     "throughput_tok_s": g.throughput_tok_s, "cost_usd": g.cost}
        for metric, d in g.metrics.items():
            for stat in ("mean", "p50", "p90", "p95", "p99"):
                row[f"{metric}_{stat}"] = d.get(stat)
        rows.append(row)
    return rows


def samples_csv(report: BenchReport) -> str:
    """Every sample as CSV (ITL gaps as mean per request)."""
    buf = io.StringIO()
    cols = ["model", "prompt_id", "repetition", "concurrency", "ok", "error", "queue_s", "ttft_s", "tpot_s", "itl_mean_s",
            "e2e_s", "output_tokens", "prompt_tokens", "tokens_per_s", "chars_per_s", "start_s", "cost"]
    w = csv.DictWriter(buf, fieldnames=cols)
    w.writeheader()
    for s in report.samples:
        d = s.to_dict()
        d["itl_mean_s"] = (sum(s.itl_s) / len(s.itl_s)) if s.itl_s else None
        w.writerow({k: d.get(k) for k in cols})
    return buf.getvalue()


def stats_csv(stats: Sequence[GroupStats]) -> str:
    rows = stats_rows(stats)
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()
