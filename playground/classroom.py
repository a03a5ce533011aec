"""The instructor's room: one shared state for every browser session of this server.

What the instructor sets — a published preset, parameters locked for attendees, which pages
attendees see, the room's per-session limits — lives here, in the server process, and is
persisted in the room's SQLite file (`playground.room_store`) so a restart keeps it. Each
change bumps `version`; attendee sessions poll `snapshot().version` every couple of seconds
and pick the change up without reloading.

The instructor's password is checked by `InstructorGate`: constant-time comparison of
digests, never stored or logged, and wrong attempts are slowed down per session *and*
across the room (a reload gives a new session, so the room-wide throttle is what stops
guessing).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Callable, Mapping

from playground.room import ROOM, Room, RoomLimits
from playground.room_store import RoomStore, default_room_db

log = logging.getLogger(__name__)

PRESET_PAGES = ("compare", "next-token", "tokenizer")  # pages a preset can open (url paths of ui.navigation)
PARAM_NAMES = ("temperature", "top_p", "top_k", "min_p", "max_tokens", "seed")


@dataclass(frozen=True)
class Preset:
    """What the instructor pushes to the room: a page, a prompt, model(s) and parameters."""

    page: str  # one of PRESET_PAGES
    prompt: str
    models: tuple[str, ...]
    params: Mapping[str, Any] = field(default_factory=dict)  # PARAM_NAMES; absent = the page's default
    system: str = ""
    title: str = ""
    id: str = ""  # set when published: attendees apply each id once
    published_at: float = 0.0
    json_schema: str = ""  # Compare's "JSON output" with this JSON Schema (compact JSON text); "" = off

    def __post_init__(self) -> None:
        if self.page not in PRESET_PAGES:
            raise ValueError(f"a preset opens one of {PRESET_PAGES}, not {self.page!r}")
        if not self.models:
            raise ValueError("a preset names at least one model")
        unknown = set(self.params) - set(PARAM_NAMES)
        if unknown:
            raise ValueError(f"unknown preset parameter(s): {sorted(unknown)}")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["models"] = list(self.models)
        d["params"] = dict(self.params)
        if not self.json_schema:
            d.pop("json_schema")  # presets without JSON output keep the stored shape they always had
        return d

    @classmethod
    def from_dict(cls, d: Mapping) -> "Preset":
        return cls(page=str(d["page"]), prompt=str(d.get("prompt", "")), models=tuple(d.get("models") or ()),
                   params=dict(d.get("params") or {}), system=str(d.get("system", "")), title=str(d.get("title", "")),
                   id=str(d.get("id", "")), published_at=float(d.get("published_at", 0.0)),
                   json_schema=str(d.get("json_schema") or ""))


@dataclass(frozen=True)
class RoomSnapshot:
    """The room as one session sees it at one instant."""

    version: int = 0
    preset: Preset | None = None
    locked: bool = False  # attendees' models and parameters follow the preset, read-only
    pages: tuple[str, ...] | None = None  # url paths attendees see; None = every page
    limits: RoomLimits = RoomLimits()
    call: tuple[str, str] | None = None  # (id, page url): the instructor asked everyone to open that page


def _limits_dict(limits: RoomLimits) -> dict:
    return {k: v for k, v in asdict(limits).items() if v is not None}


class Classroom:
    """The room's shared state (one per server process; see `classroom()`)."""

    def __init__(self, store: RoomStore | None = None, room: Room = ROOM, base_limits: RoomLimits | None = None) -> None:
        self._store = store
        self._room = room
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._seen: dict[str, tuple[float, str | None]] = {}  # session -> (last seen, preset id it has)
        state: dict = {}
        if store is not None:
            try:
                state = store.all()
            except Exception as exc:  # a broken file: the room works in memory, the log says why
                log.warning("room state not read from %s: %s", store.path, exc)
        preset = None
        if state.get("preset"):
            try:
                preset = Preset.from_dict(state["preset"])
            except (KeyError, TypeError, ValueError) as exc:
                log.warning("stored preset ignored: %s", exc)
        limits = base_limits if base_limits is not None else room.limits
        if isinstance(state.get("limits"), Mapping):
            try:
                limits = RoomLimits(**{k: int(v) for k, v in state["limits"].items() if k in RoomLimits.__dataclass_fields__})
            except (TypeError, ValueError):
                pass
        pages = state.get("pages")
        call = state.get("call")
        self._snap = RoomSnapshot(
            call=(str(call[0]), str(call[1])) if isinstance(call, list) and len(call) == 2 else None,
            version=int(state.get("version", 0) or 0),
            preset=preset,
            locked=bool(state.get("locked", False)),
            pages=tuple(pages) if isinstance(pages, list) else None,
            limits=limits,
        )
        if limits != room.limits:
            room.set_limits(limits)

    @property
    def store(self) -> RoomStore | None:
        """The room's SQLite file, where the room's activities (polls, votes) keep their tables;
        None when the room could only be kept in memory."""
        return self._store

    def snapshot(self) -> RoomSnapshot:
        with self._lock:
            return self._snap

    def wait_for_change(self, version: int, timeout: float) -> RoomSnapshot:
        """The snapshot once its version differs from `version` (or after `timeout` seconds)."""
        with self._changed:
            self._changed.wait_for(lambda: self._snap.version != version, timeout)
            return self._snap

    def _update(self, persist: Mapping[str, Any], **changes: Any) -> RoomSnapshot:
        with self._changed:
            snap = replace(self._snap, version=self._snap.version + 1, **changes)
            if self._store is not None:
                try:
                    for key, value in {**persist, "version": snap.version}.items():
                        self._store.put(key, value)
                except Exception as exc:  # the room keeps working; only a restart would lose it
                    log.warning("room state not saved to %s: %s", self._store.path, exc)
            self._snap = snap
            self._changed.notify_all()
            return snap

    def heartbeat(self, session: str, preset_id: str | None, clock: Callable[[], float] = time.monotonic) -> None:
        """An attendee session is here, holding preset `preset_id` (in memory only)."""
        with self._lock:
            self._seen[session] = (clock(), preset_id)

    def attendance(self, window: float = 10.0, clock: Callable[[], float] = time.monotonic) -> tuple[int, int]:
        """(attendees seen in the last `window` seconds, those holding the current preset)."""
        now = clock()
        with self._lock:
            self._seen = {k: v for k, v in self._seen.items() if now - v[0] < max(window, 60.0)}
            here = [pid for t, pid in self._seen.values() if now - t < window]
            current = self._snap.preset.id if self._snap.preset else None
        return len(here), sum(1 for pid in here if current is not None and pid == current)

    def publish(self, preset: Preset, clock: Callable[[], float] = time.time) -> Preset:
        """Push `preset` to every session (a new id, so each session applies it once)."""
        published = replace(preset, id=uuid.uuid4().hex, published_at=clock())
        self._update({"preset": published.to_dict()}, preset=published)
        return published

    def call_to(self, page: str) -> None:
        """Ask every attendee session to open `page` (a url path of ui.navigation), once."""
        call = (uuid.uuid4().hex, page)
        self._update({"call": list(call)}, call=call)

    def withdraw(self) -> None:
        """No preset any more (and nothing locked to it)."""
        self._update({"preset": None, "locked": False}, preset=None, locked=False)

    def touch(self) -> None:
        """A new version with nothing else changed: every session reruns within a couple of
        seconds (a room activity — a poll round opening or closing — uses it to be seen)."""
        self._update({})

    def set_locked(self, locked: bool) -> None:
        self._update({"locked": bool(locked)}, locked=bool(locked))

    def set_pages(self, pages: tuple[str, ...] | None) -> None:
        value = None if pages is None else tuple(pages)
        self._update({"pages": None if value is None else list(value)}, pages=value)

    def set_limits(self, limits: RoomLimits) -> None:
        """The room's per-session limits, in force at once (see playground.room)."""
        self._room.set_limits(limits)
        self._update({"limits": _limits_dict(limits)}, limits=limits)


_CLASSROOM: Classroom | None = None
_CLASSROOM_LOCK = threading.Lock()


def classroom(secrets: Mapping | None = None) -> Classroom:
    """The process-wide room, read from its SQLite file the first time."""
    global _CLASSROOM
    with _CLASSROOM_LOCK:
        if _CLASSROOM is None:
            try:
                store: RoomStore | None = RoomStore(default_room_db())
            except (OSError, Exception) as exc:  # sqlite3.Error, unwritable folder: memory only
                log.warning("room state kept in memory only: %s", exc)
                store = None
            _CLASSROOM = Classroom(store, ROOM, base_limits=RoomLimits.from_config(secrets))
        return _CLASSROOM


def reset_classroom() -> None:
    """Forget the process-wide room (tests)."""
    global _CLASSROOM
    with _CLASSROOM_LOCK:
        _CLASSROOM = None


# ---------------------------------------------------------------- the instructor's password


@dataclass(frozen=True)
class Attempt:
    ok: bool
    retry_after: float = 0.0  # > 0: refused without checking; try again in that many seconds


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class InstructorGate:
    """Checks the instructor's password; slows down guessing.

    Per session: 3 free tries, then a wait doubling from 5 s (capped at 5 min). Across the
    room: once 10 wrong tries fall within 10 minutes, any try waits at least 2 s after the
    previous one — an attendee who reloads for a new session still guesses at most ~30 times
    a minute, while the instructor gets in within seconds.
    """

    FREE_TRIES = 3
    FIRST_WAIT = 5.0
    MAX_WAIT = 300.0
    ROOM_WINDOW = 600.0
    ROOM_FREE = 10
    ROOM_SPACING = 2.0

    def __init__(self, password: str | None, clock: Callable[[], float] = time.monotonic) -> None:
        self._digest = _digest(password) if password else None
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}  # session -> (wrong tries, may retry at)
        self._room_failures: list[float] = []
        self._last_try = float("-inf")

    @property
    def enabled(self) -> bool:
        return self._digest is not None

    def fingerprint(self) -> str:
        """A short digest naming the current password (so a changed password locks sessions out)."""
        return hashlib.sha256(b"instructor:" + (self._digest or b"")).hexdigest()[:16]

    def try_unlock(self, session: str, attempt: str) -> Attempt:
        if self._digest is None:
            return Attempt(False)
        now = self._clock()
        with self._lock:
            n, until = self._failures.get(session, (0, 0.0))
            if now < until:
                return Attempt(False, until - now)
            self._room_failures = [t for t in self._room_failures if now - t < self.ROOM_WINDOW]
            if len(self._room_failures) >= self.ROOM_FREE and now - self._last_try < self.ROOM_SPACING:
                return Attempt(False, self.ROOM_SPACING - (now - self._last_try))
            self._last_try = now
            if hmac.compare_digest(_digest(attempt), self._digest):
                self._failures.pop(session, None)
                return Attempt(True)
            n += 1
            self._room_failures.append(now)
            wait = 0.0 if n < self.FREE_TRIES else min(self.MAX_WAIT, self.FIRST_WAIT * 2 ** (n - self.FREE_TRIES))
            self._failures[session] = (n, now + wait)
            log.info("wrong instructor password (session try %d)", n)  # never the text tried
            return Attempt(False, wait)


def instructor_password(secrets: Mapping | None) -> str | None:
    """`[instructor] password` in secrets.toml; absent or empty = instructor mode off."""
    section = (secrets or {}).get("instructor")
    if not isinstance(section, Mapping):
        return None
    value = section.get("password")
    return value if isinstance(value, str) and value else None
