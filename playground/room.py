"""Room limits: what one browser session may ask of a shared instance (many attendees, one
server). Set in `[room]` of secrets.toml or by the environment; an instructor may change them
while the app runs. Enforced here, in the core, for every backend."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, replace
from typing import Mapping

from playground.i18n import DEFAULT_LANGUAGE, translate
from providers.base import GenerationRequest, ProviderError
from providers.embedded import engines


class RoomLimitReached(ProviderError):
    """A per-session limit set for the room was hit; the message says which and what to do."""

    kind = "limit"


@dataclass(frozen=True)
class RoomLimits:
    max_runs_per_session: int | None = None  # columns generating at once for one session
    max_tokens: int | None = None  # the most tokens one answer may ask for
    max_active_per_model: int | None = None  # embedded: sequences decoding together per model

    @classmethod
    def from_config(cls, secrets: Mapping | None, env: Mapping[str, str] | None = None) -> "RoomLimits":
        env = os.environ if env is None else env
        room = (secrets or {}).get("room", {}) or {}
        if not isinstance(room, Mapping):
            room = {}

        def read(env_name: str, key: str) -> int | None:
            raw = env.get(env_name) or room.get(key)
            try:
                value = int(raw) if raw not in (None, "") else None
            except (TypeError, ValueError):
                return None
            return value if value is None or value > 0 else None

        return cls(
            max_runs_per_session=read("PLAYGROUND_MAX_RUNS_PER_SESSION", "max_runs_per_session"),
            max_tokens=read("PLAYGROUND_MAX_TOKENS", "max_tokens"),
            max_active_per_model=read("PLAYGROUND_MAX_ACTIVE", "max_active_per_model"),
        )


class Room:
    """The limits in force and the runs each session has going (one per process)."""

    def __init__(self, limits: RoomLimits | None = None) -> None:
        self.limits = limits or RoomLimits()
        self._running: dict[str, int] = {}
        self._lock = threading.Lock()

    def set_limits(self, limits: RoomLimits) -> None:
        """Change the limits now (the instructor's controls); running answers keep going."""
        self.limits = limits
        if limits.max_active_per_model:
            for engine in engines().values():
                engine.set_max_active(limits.max_active_per_model)

    def fit(self, request: GenerationRequest, lang: str = DEFAULT_LANGUAGE) -> tuple[GenerationRequest, str | None]:
        """The request within the room's max tokens, and a note (in `lang`) when it was lowered."""
        cap = self.limits.max_tokens
        if cap is None or request.max_tokens <= cap:
            return request, None
        return replace(request, max_tokens=cap), translate("room.max_tokens_lowered", lang, asked=request.max_tokens, cap=cap)

    def enter(self, session: str | None) -> None:
        """Count one more run for `session`, or refuse it with a clear message."""
        if session is None:
            return
        cap = self.limits.max_runs_per_session
        with self._lock:
            n = self._running.get(session, 0)
            if cap is not None and n >= cap:
                raise RoomLimitReached(
                    f"You already have {n} answers being generated; this room allows {cap} at once per person. "
                    "Wait for one to finish or press Stop.", code="room_runs", params={"n": n, "cap": cap})
            self._running[session] = n + 1

    def leave(self, session: str | None) -> None:
        if session is None:
            return
        with self._lock:
            n = self._running.get(session, 0) - 1
            if n > 0:
                self._running[session] = n
            else:
                self._running.pop(session, None)

    def running(self, session: str) -> int:
        with self._lock:
            return self._running.get(session, 0)


ROOM = Room()
