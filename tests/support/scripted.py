"""The tests' one fake clock and one scripted provider: exact timings and exact events, no model, no sleep."""

from __future__ import annotations

import threading
from typing import Callable, Iterable

from providers.base import (
    Capabilities,
    Description,
    Event,
    GenerationRequest,
    ModelInfo,
    ModelNotFound,
    RequestInfo,
    split_model_id,
)


class FakeClock:
    """A clock the test drives, in one of two ways.

    `FakeClock(10.0, 10.5, 11.0)` returns those instants, one per reading, and fails the test if
    it is read more often (so the number of readings is part of the specification);
    `FakeClock()` stands still at 1000.0 until `advance(dt)` moves it (thread-safe: scripted
    streams running in parallel move the same clock).
    """

    def __init__(self, *ticks: float, start: float = 1000.0) -> None:
        self._ticks: list[float] | None = list(ticks) if ticks else None
        self.t = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            if self._ticks is not None:
                if not self._ticks:
                    raise AssertionError("the clock was read more often than the test scripted")
                self.t = self._ticks.pop(0)
            return self.t

    def advance(self, dt: float) -> None:
        if self._ticks is not None:
            raise AssertionError("a clock of scripted instants cannot be advanced")
        with self._lock:
            self.t += dt


Script = Iterable[Event] | Callable[[GenerationRequest], Iterable[Event]]


class ScriptedProvider:
    """The Provider contract, replaying a script; every request it receives is kept in `requests`.

    `script` is the events replayed for every request, or a function of the request giving them
    (a generator may advance a FakeClock between events or raise a ProviderError mid-stream).
    A RequestInfo (the request as a dict) always comes first, as from a real provider.
    `on_request(request, n)` runs when the n-th request starts (barriers, cancels);
    `on_list(provider)` runs when the models are listed (barriers, failures).
    """

    def __init__(self, script: Script = (), caps: Capabilities | None = None, *, name: str = "fake", model: str = "m",
                 on_request: Callable[[GenerationRequest, int], None] | None = None,
                 on_list: Callable[["ScriptedProvider"], None] | None = None) -> None:
        self.script = script
        self.caps = caps or Capabilities(mode="chat", details={"family": "scripted"})
        self.name, self.model = name, model
        self.on_request, self.on_list = on_request, on_list
        self.requests: list[GenerationRequest] = []
        self._lock = threading.Lock()

    def list_models(self) -> list[ModelInfo]:
        if self.on_list is not None:
            self.on_list(self)
        return [ModelInfo(f"{self.name}/{self.model}", self.name, self.model)]

    def capabilities(self, model: str) -> Capabilities:
        if model != self.model:
            raise ModelNotFound(f"Unknown scripted model “{model}”.")
        return self.caps

    def count_tokens(self, model: str, text: str) -> int | None:
        return None

    def describe(self) -> Description:
        return Description(kind=self.name)

    def probe(self) -> dict:
        return {"reachable": True, "models": 1, "latency_ms": 0.0}

    def stream(self, request: GenerationRequest, cancel: threading.Event | None = None):
        with self._lock:
            self.requests.append(request)
            n = len(self.requests)
        if self.on_request is not None:
            self.on_request(request, n)
        self.capabilities(split_model_id(request.model)[1])
        yield RequestInfo(payload=request.to_dict())
        yield from (self.script(request) if callable(self.script) else self.script)
