"""The model listing every page starts from: one per process, never in a visitor's way.

Why: the listing asks every backend for its models, and an unreachable host costs its connect
timeout (5 s by default; a host that accepts and hangs, the read timeout). With a plain 30 s
cache, whoever drew a page just after the cache expired waited that long, every 30 s. Here a
stale listing is served at once while one background thread lists again; only the very first
listing of the process is waited for (there is nothing to show before it).
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class Listing(Generic[T]):
    """`fetch()`'s last result, refreshed in the background once older than `ttl_s`."""

    def __init__(self, fetch: Callable[[], T], ttl_s: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch, self._ttl, self._clock = fetch, ttl_s, clock
        self._value: T | None = None
        self._at = 0.0
        self._refreshing: threading.Thread | None = None
        self._lock = threading.Lock()
        self._first = threading.Lock()  # concurrent first visitors share one fetch

    def get(self) -> T:
        with self._lock:
            if self._value is not None:
                if self._refreshing is None and self._clock() - self._at >= self._ttl:
                    self._refreshing = threading.Thread(target=self._refresh, daemon=True, name="model-listing")
                    self._refreshing.start()
                return self._value
        with self._first:
            with self._lock:
                if self._value is not None:
                    return self._value
            value = self._fetch()
            with self._lock:
                self._value, self._at = value, self._clock()
            return value

    def wait_refreshed(self, timeout: float | None = None) -> None:
        """Wait for a background refresh in progress, if any (tests, the CLI)."""
        thread = self._refreshing
        if thread is not None:
            thread.join(timeout)

    def _refresh(self) -> None:
        try:
            value = self._fetch()
        except Exception:  # keep serving the last listing; the next expiry tries again
            value = None
        with self._lock:
            if value is not None:
                self._value, self._at = value, self._clock()
            self._refreshing = None
