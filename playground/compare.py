"""Run several columns concurrently: one worker thread per column feeds a queue that the
caller (the Streamlit script thread, or the CLI) drains. Nothing here touches Streamlit."""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from typing import Iterator, Sequence

from playground.runner import Clock, LiveMetrics, Result, RunMeter, run_stream
from providers.base import GenerationRequest, ProviderError
from providers.registry import Registry


@dataclass(frozen=True)
class ColumnEvent:
    """A provider event for column `index`, with the column's live metrics after it."""

    index: int
    event: object
    live: LiveMetrics
    text: str


@dataclass(frozen=True)
class ColumnDone:
    index: int
    result: Result


def run_columns(
    registry: Registry,
    requests: Sequence[GenerationRequest],
    cancel: threading.Event | None = None,
    clock: Clock = time.perf_counter,
    poll_s: float = 0.1,
) -> Iterator[ColumnEvent | ColumnDone | None]:
    """Yield column events as they arrive and one ColumnDone per column.

    Yields `None` every `poll_s` seconds when nothing arrived, so a UI can refresh live
    metrics (elapsed time) and check its Stop button.
    """
    cancel = cancel or threading.Event()
    q: queue.Queue = queue.Queue()

    def work(i: int, req: GenerationRequest) -> None:
        def on_event(ev: object, meter: RunMeter) -> None:
            q.put(ColumnEvent(i, ev, meter.live(), meter.text))

        try:
            provider, model = registry.resolve(req.model)

            def count(text: str) -> int | None:
                return provider.count_tokens(model, text)

            result = run_stream(lambda: provider.stream(req, cancel), req.model, clock, count, on_event, cancel)
        except ProviderError as exc:
            result = Result(model=req.model, error=exc.message, error_kind=exc.kind, finish_reason="error")
        except Exception as exc:  # a bug in one column must not take down the others
            result = Result(model=req.model, error=f"Unexpected error: {exc}", finish_reason="error")
        q.put(ColumnDone(i, result))

    threads = [threading.Thread(target=work, args=(i, r), daemon=True, name=f"column-{i}") for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    remaining = len(threads)
    while remaining:
        try:
            item = q.get(timeout=poll_s)
        except queue.Empty:
            yield None
            continue
        if isinstance(item, ColumnDone):
            remaining -= 1
        yield item


def compare(registry: Registry, requests: Sequence[GenerationRequest], clock: Clock = time.perf_counter) -> list[Result]:
    """Run all columns to the end and return their results in column order."""
    results: list[Result | None] = [None] * len(requests)
    for item in run_columns(registry, requests, clock=clock):
        if isinstance(item, ColumnDone):
            results[item.index] = item.result
    return [r for r in results if r is not None]
