"""Run several columns concurrently: one worker thread per column feeds a queue that the
caller (the Streamlit script thread, or the CLI) drains. Nothing here touches Streamlit."""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from typing import Iterator, Sequence

from playground.i18n import DEFAULT_LANGUAGE
from playground.room import ROOM, Room
from playground.runner import Clock, LiveMetrics, Result, RunMeter, run_on_registry
from providers.base import GenerationRequest, ProviderError
from providers.registry import Registry
from providers.remote import scrub


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


class ColumnRun:
    """Columns running in worker threads. Workers store their final Result in `results`
    themselves, so whoever stops a run (even from another script run) can collect them
    without draining the event stream."""

    def __init__(self, registry: Registry, requests: Sequence[GenerationRequest],
                 cancel: threading.Event | None = None, clock: Clock = time.perf_counter,
                 session: str | None = None, room: Room = ROOM, lang: str = DEFAULT_LANGUAGE) -> None:
        self.requests = list(requests)
        self.session = session  # whose runs these are, for the room's per-session limits
        self.lang = lang  # the language of notes the run adds itself
        self._room = room
        self._meters: list[RunMeter | None] = [None] * len(self.requests)
        self.cancel = cancel or threading.Event()
        self.results: list[Result | None] = [None] * len(self.requests)
        self.partial: list[str] = [""] * len(self.requests)
        self._queue: queue.Queue = queue.Queue()
        self._registry = registry
        self._clock = clock
        self._threads = [
            threading.Thread(target=self._work, args=(i, r), daemon=True, name=f"column-{i}")
            for i, r in enumerate(self.requests)
        ]

    def start(self) -> "ColumnRun":
        for t in self._threads:
            t.start()
        return self

    def _work(self, i: int, req: GenerationRequest) -> None:
        def on_event(ev: object, meter: RunMeter) -> None:
            self._meters[i] = meter
            self.partial[i] = meter.text
            self._queue.put(ColumnEvent(i, ev, meter.live(), meter.text))

        entered = False
        try:
            self._room.enter(self.session)
            entered = True
            req, lowered = self._room.fit(req, self.lang)
            result = run_on_registry(self._registry, req, self._clock, self.cancel, on_event)
            if lowered:
                result.notes.insert(0, lowered)
        except ProviderError as exc:  # the room refused this run (its per-session limit)
            result = Result(model=req.model, error=exc.message, error_kind=exc.kind, error_code=exc.code,
                            error_params=dict(exc.params), finish_reason="error")
        except Exception as exc:  # a bug in one column must not take down the others
            result = Result(model=req.model, error=scrub(f"Unexpected error: {exc}"), finish_reason="error")
        finally:
            if entered:
                self._room.leave(self.session)
        self.results[i] = result
        self._queue.put(ColumnDone(i, result))

    def live(self, i: int) -> LiveMetrics | None:
        """Column i's metrics now (elapsed time moves on while nothing arrives)."""
        meter = self._meters[i]
        return None if meter is None else meter.live()

    @property
    def done(self) -> bool:
        return all(r is not None for r in self.results)

    def events(self, poll_s: float = 0.1) -> Iterator[ColumnEvent | ColumnDone | None]:
        """Events as they arrive, one ColumnDone per column; `None` every `poll_s` seconds of
        silence so a UI can refresh its live metrics."""
        while True:
            try:
                item = self._queue.get(timeout=poll_s)
            except queue.Empty:
                if self.done and self._queue.empty():
                    return
                yield None
                continue
            yield item

    def stop(self, timeout_s: float = 3.0) -> list[Result]:
        """Cancel and wait for the workers (they stop within one token); a column that does not
        answer in time keeps its partial text, marked cancelled."""
        self.cancel.set()
        deadline = time.monotonic() + timeout_s
        for t in self._threads:
            t.join(max(0.0, deadline - time.monotonic()))
        return [
            r if r is not None else Result(model=self.requests[i].model, text=self.partial[i], finish_reason="cancelled")
            for i, r in enumerate(self.results)
        ]


def outcome(results: Sequence[Result | None], cut_short_as: str = "cancelled") -> str:
    """How a run ended, for its history row: "done" when every column finished on its own
    (an error is a finish too), else `cut_short_as` ("cancelled" for Stop or leaving the page,
    "interrupted" for a closed tab). A run is judged by its columns, not by what stopped the
    script: leaving the page after the last column finished does not cancel anything."""
    finished = [r is not None and r.finish_reason != "cancelled" for r in results]
    return "done" if finished and all(finished) else cut_short_as


def run_columns(
    registry: Registry,
    requests: Sequence[GenerationRequest],
    cancel: threading.Event | None = None,
    clock: Clock = time.perf_counter,
    poll_s: float = 0.1,
) -> Iterator[ColumnEvent | ColumnDone | None]:
    """Start the columns and yield their events (see ColumnRun.events)."""
    yield from ColumnRun(registry, requests, cancel, clock).start().events(poll_s)


def compare(registry: Registry, requests: Sequence[GenerationRequest], clock: Clock = time.perf_counter) -> list[Result]:
    """Run all columns to the end and return their results in column order."""
    results: list[Result | None] = [None] * len(requests)
    for item in run_columns(registry, requests, clock=clock):
        if isinstance(item, ColumnDone):
            results[item.index] = item.result
    return [r for r in results if r is not None]
