"""A pure stop-sequence buffer: text arrives token by token, a stop sequence may span tokens.

Text that could still be the start of a stop sequence is held back; everything before a
stop is released, the stop and what follows it never are."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class StopBuffer:
    stops: tuple[str, ...] = ()
    _pending: str = ""
    _emitted: str = field(default="", repr=False)
    stopped: bool = False

    def __post_init__(self) -> None:
        self.stops = tuple(s for s in self.stops if s)
        self._hold = max((len(s) for s in self.stops), default=1) - 1

    def push(self, text: str) -> str:
        """Add text; return what can be shown now (may be ""). After a stop, `stopped` is set."""
        if self.stopped:
            return ""
        self._pending += text
        if not self.stops:
            out, self._pending = self._pending, ""
            return out
        hit = self._find(self._emitted + self._pending, len(self._emitted))
        if hit >= 0:
            out = self._pending[: hit - len(self._emitted)]
            self._pending = ""
            self.stopped = True
            self._emitted += out
            return out
        safe = len(self._pending) - self._hold
        if safe <= 0:
            return ""
        out, self._pending = self._pending[:safe], self._pending[safe:]
        self._emitted += out
        return out

    def flush(self) -> str:
        """At the end of generation: what was held back (no stop came)."""
        out, self._pending = ("" if self.stopped else self._pending), ""
        self._emitted += out
        return out

    def _find(self, text: str, start: int) -> int:
        """Earliest index of a stop sequence that ends after `start` (i.e. in new text)."""
        best = -1
        lo = max(0, start - self._hold)
        for s in self.stops:
            i = text.find(s, lo)
            if i >= 0 and (best < 0 or i < best):
                best = i
        return best
