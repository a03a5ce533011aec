"""Sampling lab core: one prompt, a grid of temperatures × N seeded samples, diversity per
temperature (distinct outputs, distinct-2-grams), and a determinism check (same seed twice)."""

from __future__ import annotations

import difflib
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace

from playground.export import FORMAT_VERSION
from playground.runner import Result, run_stream
from providers.base import GenerationRequest, InvalidRequest

DEFAULT_TEMPERATURES = (0.0, 0.3, 0.7, 1.0, 1.5)


_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


def parse_temperatures(text: str) -> list[float]:
    """"0, 0.3, 0.7" or "0 ; 0,3 ; 0,7" or "0 0,3 0,7" → [0.0, 0.3, 0.7]; each in [0, 2];
    duplicates dropped, order kept. Semicolons and spaces separate; a comma between two digits
    ("0,3") is a French decimal comma, any other comma separates ("0, 0.7" and "0,0.7")."""
    out: list[float] = []
    for chunk in re.split(r"[;\s]+", text):
        parts = [chunk] if _DECIMAL_COMMA.match(chunk) else chunk.split(",")
        for part in parts:
            part = part.strip()
            if not part:
                continue
            try:
                t = float(part.replace(",", "."))
            except ValueError:
                raise InvalidRequest(f"“{part}” is not a temperature: write numbers separated by commas (e.g. 0, 0.7, 1.5).",
                                     code="lab_temperature_invalid", params={"part": part}) from None
            if not 0.0 <= t <= 2.0:
                raise InvalidRequest(f"Temperature {t} is out of range: use values between 0 and 2.",
                                     code="lab_temperature_range", params={"value": part})
            if t not in out:
                out.append(t)
    if not out:
        raise InvalidRequest("Give at least one temperature (e.g. 0, 0.7, 1.5).", code="lab_no_temperature")
    return out


def words(text: str) -> list[str]:
    return text.lower().split()


def distinct_2(texts: Sequence[str]) -> float | None:
    """Distinct word bigrams / all word bigrams over the samples (1 = no bigram repeats)."""
    grams = [tuple(w[i : i + 2]) for t in texts for w in [words(t)] for i in range(len(w) - 1)]
    return len(set(grams)) / len(grams) if grams else None


@dataclass(frozen=True)
class Diversity:
    temperature: float
    n: int  # successful samples (the ones the scores are computed on)
    distinct_outputs: int
    distinct_ratio: float  # distinct outputs / successful samples
    distinct_2: float | None
    failed: int = 0  # samples that errored or produced no text: left out of the scores


def failed_sample(r: Result) -> bool:
    """An error or an empty text is not an "output": counting it would inflate diversity."""
    return bool(r.error) or not (r.text or "").strip()


def diversity(temperature: float, texts: Sequence[str], failed: int = 0) -> Diversity:
    """Scores over successful samples only (`texts`); `failed` is reported beside them."""
    n = len(texts)
    d = len(set(t.strip() for t in texts))
    return Diversity(temperature, n, d, d / n if n else 0.0, distinct_2(texts), failed)


@dataclass
class LabRun:
    temperatures: list[float]
    n_samples: int
    base_seed: int
    results: dict[float, list[Result]] = field(default_factory=dict)

    def texts(self, t: float) -> list[str]:
        return [r.text for r in self.results.get(t, [])]

    def diversity(self) -> list[Diversity]:
        out = []
        for t in self.temperatures:
            rs = self.results.get(t)
            if not rs:
                continue
            ok = [r.text for r in rs if not failed_sample(r)]
            out.append(diversity(t, ok, failed=len(rs) - len(ok)))
        return out

    def failed(self) -> int:
        return sum(1 for rs in self.results.values() for r in rs if failed_sample(r))

    def errors(self) -> list[str]:
        return sorted({r.error for rs in self.results.values() for r in rs if r.error})


def sample_seed(base_seed: int, i: int) -> int:
    return base_seed + i


def run_grid(registry, base: GenerationRequest, temperatures: Sequence[float], n_samples: int, base_seed: int = 0,
             on_progress: Callable[[int, int, float, int, Result], None] | None = None,
             cancel: threading.Event | None = None) -> LabRun:
    """Every (temperature, sample i) with seed base_seed + i: the same seeds across temperatures,
    so a column of the grid differs only by temperature."""
    if n_samples < 1:
        raise InvalidRequest("Ask for at least one sample per temperature.", code="lab_no_samples")
    temps = list(temperatures)
    run = LabRun(temps, n_samples, base_seed)
    total = len(temps) * n_samples
    done = 0
    for t in temps:
        run.results[t] = []
        for i in range(n_samples):
            if cancel is not None and cancel.is_set():
                return run
            req = replace(base, temperature=float(t), seed=sample_seed(base_seed, i))
            r = run_stream(lambda req=req: registry.stream(req, cancel), req.model, cancel=cancel)
            run.results[t].append(r)
            done += 1
            if on_progress is not None:
                on_progress(done, total, t, i, r)
    return run


@dataclass(frozen=True)
class Determinism:
    temperature: float
    seed: int
    first: str
    second: str
    identical: bool
    diff: str  # unified diff by words when not identical
    error: str | None = None


def word_diff(a: str, b: str) -> str:
    return "\n".join(difflib.unified_diff(a.split(" "), b.split(" "), "run 1", "run 2", lineterm="", n=2))


def determinism_check(registry, base: GenerationRequest, temperature: float, seed: int,
                      cancel: threading.Event | None = None) -> Determinism:
    """Run the same request (same seed) twice and compare the texts."""
    req = replace(base, temperature=float(temperature), seed=int(seed))
    r1 = run_stream(lambda: registry.stream(req, cancel), req.model, cancel=cancel)
    r2 = run_stream(lambda: registry.stream(req, cancel), req.model, cancel=cancel)
    err = r1.error or r2.error
    same = r1.text == r2.text and not err
    return Determinism(float(temperature), int(seed), r1.text, r2.text, same, "" if same else word_diff(r1.text, r2.text), err)


def lab_record(base: GenerationRequest, run: LabRun | None = None, determinism: Determinism | None = None,
               model_details: Mapping | None = None, cancelled: bool = False) -> dict:
    """The "sampling" record history stores and exports write: the base request (every parameter),
    each sample's full result, the diversity per temperature and the determinism check."""
    results = []
    if run is not None:
        for t in run.temperatures:
            for i, r in enumerate(run.results.get(t, [])):
                seed = sample_seed(run.base_seed, i)
                results.append({"label": f"T={t} · #{i + 1} (seed {seed})", "temperature": t, "sample": i + 1,
                                "seed": seed, "failed": failed_sample(r), **r.to_dict()})
    return {
        "kind": "sampling",
        "format_version": FORMAT_VERSION,
        "created_at": time.time(),
        "status": "cancelled" if cancelled else "done",
        "model": base.model,
        "prompt": base.user_text(),
        "request": base.to_dict(),
        "temperatures": list(run.temperatures) if run is not None else [],
        "n_samples": run.n_samples if run is not None else 0,
        "base_seed": run.base_seed if run is not None else None,
        "results": results,
        "diversity": [asdict(d) for d in run.diversity()] if run is not None else [],
        "failed": run.failed() if run is not None else 0,
        "determinism": asdict(determinism) if determinism is not None else None,
        "model_details": dict(model_details or {}),
    }
