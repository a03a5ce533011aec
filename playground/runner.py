"""The runner: consumes a provider stream and measures it on the client, in one place.

All timings come from one injectable clock so tests can check the arithmetic exactly:
TTFT = first non-empty text delta − request start; total = last event − start;
decode tokens/s = completion tokens / (total − TTFT); chars/s over the same window.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

from providers.base import (
    Finished,
    GenerationRequest,
    Notice,
    ProviderError,
    RequestInfo,
    TextDelta,
    TokenLogprob,
    split_model_id,
)
from providers.remote import scrub  # second line of defence: no key-like text on screen

Clock = Callable[[], float]


@dataclass
class Result:
    """Everything one column produced: text, tokens, client metrics, provider extras."""

    model: str
    text: str = ""
    logprobs: list[TokenLogprob] = field(default_factory=list)
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    tokens_estimated: bool = False
    queue_s: float | None = None  # waiting for a free slot of the model (embedded scheduler); inside TTFT
    ttft_s: float | None = None
    total_s: float | None = None
    tokens_per_s: float | None = None
    chars_per_s: float | None = None
    finish_reason: str | None = None
    error: str | None = None
    error_kind: str | None = None
    error_code: str | None = None  # with error_params: the error in the UI's language
    error_params: dict[str, object] = field(default_factory=dict)
    server_timings: dict[str, float] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    request_payload: Mapping | None = None
    rendered_prompt: str | None = None
    chunk_times: list[float] = field(default_factory=list)  # seconds since start, per text delta

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "text": self.text,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "tokens_estimated": self.tokens_estimated,
            "queue_s": self.queue_s,
            "ttft_s": self.ttft_s,
            "total_s": self.total_s,
            "tokens_per_s": self.tokens_per_s,
            "chars_per_s": self.chars_per_s,
            "finish_reason": self.finish_reason,
            "logprobs": [t.to_dict() for t in self.logprobs],
            "error": self.error,
            "error_kind": self.error_kind,
            "error_code": self.error_code,
            "error_params": dict(self.error_params),
            "server_timings": dict(self.server_timings),
            "extra": dict(self.extra),
            "notes": list(self.notes),
            "request": dict(self.request_payload) if self.request_payload else None,
            "rendered_prompt": self.rendered_prompt,
            "chunk_times": list(self.chunk_times),
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> "Result":
        r = cls(model=d["model"])
        for k in (
            "text", "prompt_tokens", "completion_tokens", "tokens_estimated", "queue_s", "ttft_s", "total_s",
            "tokens_per_s", "chars_per_s", "finish_reason", "error", "error_kind", "error_code", "rendered_prompt",
        ):
            if k in d:
                setattr(r, k, d[k])
        r.logprobs = [TokenLogprob.from_dict(t) for t in d.get("logprobs") or []]
        r.server_timings = dict(d.get("server_timings") or {})
        r.extra = dict(d.get("extra") or {})
        r.notes = list(d.get("notes") or [])
        r.request_payload = d.get("request")
        r.chunk_times = list(d.get("chunk_times") or [])
        r.error_params = dict(d.get("error_params") or {})
        return r


@dataclass(frozen=True)
class LiveMetrics:
    """What the page shows while tokens arrive."""

    elapsed_s: float
    ttft_s: float | None
    tokens: int
    tokens_per_s: float | None
    chars: int
    queue_position: int | None = None  # still waiting for the model: place in line (1 = next)
    queue_wait_s: float | None = None  # its estimated wait, as of `queue_told_s` after start
    queue_s: float | None = None  # how long it waited, once started
    loading: bool = False  # the model is being loaded into memory first (its first use)


def _rate(amount: float | None, seconds: float | None) -> float | None:
    if amount is None or seconds is None or seconds <= 0:
        return None
    return amount / seconds


class RunMeter:
    """Feeds on provider events and keeps the client-side measurements."""

    def __init__(self, model: str, clock: Clock = time.perf_counter) -> None:
        self.clock = clock
        self.result = Result(model=model)
        self._t0: float | None = None
        self._t_first: float | None = None
        self._t_last: float | None = None
        self._live_tokens = 0
        self._parts: list[str] = []
        self._queued: tuple[int, float | None, float] | None = None  # position, estimate, when told
        self._loading = False  # the model is being loaded for this request (its first use)

    def start(self) -> None:
        self._t0 = self.clock()

    def feed(self, event: object) -> None:
        now = self.clock()
        if self._t0 is None:
            self._t0 = now
        r = self.result
        if isinstance(event, TextDelta):
            if event.text and self._t_first is None:
                self._t_first = now
            if event.text or event.logprobs:
                self._t_last = now
                r.chunk_times.append(now - self._t0)
            self._parts.append(event.text)
            r.logprobs.extend(event.logprobs)
            if event.n_tokens is not None:
                self._live_tokens += event.n_tokens
            elif event.logprobs:
                self._live_tokens += len(event.logprobs)
            elif event.text:
                self._live_tokens += 1
        elif isinstance(event, Finished):
            self._t_last = now
            r.prompt_tokens = event.usage.prompt_tokens
            r.completion_tokens = event.usage.completion_tokens
            r.tokens_estimated = event.usage.estimated
            r.finish_reason = event.finish_reason
            r.server_timings = dict(event.server_timings)
            r.extra.update(event.extra)
        elif isinstance(event, RequestInfo):
            r.request_payload = dict(event.payload)
            r.rendered_prompt = event.rendered_prompt
            if event.endpoint:
                r.extra.setdefault("endpoint", event.endpoint)
        elif isinstance(event, Notice):
            if event.code == "loading":  # an embedded model's first use: the page says so
                self._loading = True
            elif event.code == "queued":
                self._loading = False
                self._queued = (event.position, event.wait_s, now)
            elif event.code == "started":
                self._loading = False
                self._queued = None
                r.queue_s = event.queue_s
            elif event.message not in r.notes:
                r.notes.append(event.message)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def live(self) -> LiveMetrics:
        now = self.clock()
        t0 = self._t0 if self._t0 is not None else now
        ttft = None if self._t_first is None else self._t_first - t0
        decode = None if self._t_first is None else now - self._t_first
        position = wait = None
        if self._queued is not None:
            position, estimate, told = self._queued
            wait = None if estimate is None else max(0.0, estimate - (now - told))  # counts down between updates
        return LiveMetrics(
            elapsed_s=now - t0,
            ttft_s=ttft,
            tokens=self._live_tokens,
            tokens_per_s=_rate(self._live_tokens, decode),
            chars=sum(len(p) for p in self._parts),
            queue_position=position,
            queue_wait_s=wait,
            queue_s=self.result.queue_s,
            loading=self._loading,
        )

    def finish(
        self,
        error: ProviderError | None = None,
        count_tokens: Callable[[str], int | None] | None = None,
        cancelled: bool = False,
    ) -> Result:
        """Close the run: compute TTFT, total, rates; count tokens if the provider gave none."""
        r = self.result
        # After an error the run lasted until the error, not until the last text: a read timeout
        # after 0.25 s of text and 6 s of silence took 6 s. Rates keep the text's own window.
        now = self.clock() if error is not None or self._t_last is None else None
        last = now if self._t_last is None else self._t_last
        end = now if error is not None else last
        t0 = self._t0 if self._t0 is not None else end
        r.text = self.text
        r.total_s = end - t0
        r.ttft_s = None if self._t_first is None else self._t_first - t0
        if r.completion_tokens is None:
            counted = None
            if r.logprobs:
                counted = len(r.logprobs)
            elif count_tokens is not None and r.text:
                try:
                    counted = count_tokens(r.text)
                except Exception:  # counting is best effort; the run itself succeeded
                    counted = None
            if counted is None and r.text == "":
                counted = 0
            if counted is None and self._live_tokens:
                counted = self._live_tokens
            if counted is not None:
                r.completion_tokens = counted
                r.tokens_estimated = True
        if r.prompt_tokens is None and r.rendered_prompt and count_tokens is not None:
            # a stopped stream never got the backend's usage: count the prompt it was sent
            # (after Stop, a column would otherwise show no prompt tokens at all)
            try:
                r.prompt_tokens = count_tokens(r.rendered_prompt)
            except Exception:
                r.prompt_tokens = None
        decode = None if r.ttft_s is None else (last - t0) - r.ttft_s
        r.tokens_per_s = _rate(r.completion_tokens, decode)
        r.chars_per_s = _rate(len(r.text), decode)
        if error is not None:
            r.error = error.message
            r.error_kind = error.kind
            r.error_code = getattr(error, "code", None)
            r.error_params = dict(getattr(error, "params", {}) or {})
            if r.finish_reason is None:
                r.finish_reason = "error"
        elif cancelled and r.finish_reason is None:
            r.finish_reason = "cancelled"
        return r


def run_stream(
    events: Callable[[], Iterable[object]],
    model: str,
    clock: Clock = time.perf_counter,
    count_tokens: Callable[[str], int | None] | None = None,
    on_event: Callable[[object, RunMeter], None] | None = None,
    cancel: threading.Event | None = None,
) -> Result:
    """Run one stream to the end (or to an error / cancel) and return its measured Result.

    `events` is called after the clock starts, so connection time counts in TTFT.
    """
    meter = RunMeter(model, clock)
    meter.start()
    error: ProviderError | None = None
    try:
        for ev in events():
            meter.feed(ev)
            if on_event is not None:
                on_event(ev, meter)
            if cancel is not None and cancel.is_set():
                break
    except ProviderError as exc:
        error = exc
    except Exception as exc:  # never a traceback on screen: one readable line

        error = ProviderError(scrub(f"Unexpected error: {type(exc).__name__}: {exc}"))
    return meter.finish(error, count_tokens, cancelled=bool(cancel and cancel.is_set()))


def run_request(provider, request: GenerationRequest, clock: Clock = time.perf_counter,
                cancel: threading.Event | None = None,
                on_event: Callable[[object, RunMeter], None] | None = None) -> Result:
    """Run a request against a provider (from `providers.registry`) with token-count fallback."""
    _, name = split_model_id(request.model)

    def count(text: str) -> int | None:
        return provider.count_tokens(name, text)

    return run_stream(lambda: provider.stream(request, cancel), request.model, clock, count, on_event, cancel)



def run_on_registry(registry, request: GenerationRequest, clock: Clock = time.perf_counter,
                    cancel: threading.Event | None = None,
                    on_event: Callable[[object, RunMeter], None] | None = None) -> Result:
    """Resolve, count tokens, run: the request's provider from the registry, measured by the
    runner, tokens counted by the provider when it reports none. Never raises a ProviderError:
    an unknown model comes back as a Result carrying the error."""
    try:
        provider, _ = registry.resolve(request.model)
    except ProviderError as exc:
        return Result(model=request.model, error=exc.message, error_kind=exc.kind, error_code=exc.code,
                      error_params=dict(exc.params), finish_reason="error")
    return run_request(provider, request, clock, cancel, on_event)
