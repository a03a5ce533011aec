"""Shared plumbing for remote backends: timeouts, bounded retries, secret scrubbing, host labels."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, TypeVar
from urllib.parse import urlsplit, urlunsplit

from providers.base import (
    AuthenticationFailed,
    BackendUnavailable,
    Event,
    InvalidRequest,
    ModelNotFound,
    Notice,
    ProviderError,
    RateLimited,
    ServerError,
)

T = TypeVar("T")
LISTING = "(model list)"  # stands for the model name in errors raised while listing models

# Key-looking strings a server may echo back ("Incorrect API key provided: sk-abc***xyz"):
# they are scrubbed from every message even when they are not our key.
_KEYLIKE = re.compile(r"(sk-[A-Za-z0-9_\-*]{4,}|Bearer\s+\S+|api[-_]?key=[^&\s]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Timeouts:
    """Connect timeout (TCP + TLS) and read timeout (longest silence between two chunks), seconds."""

    connect: float = 5.0
    read: float = 120.0


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries for 429 and 503 before any text arrived (exponential backoff)."""

    max_retries: int = 2
    base_delay: float = 1.0
    max_delay: float = 30.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None and retry_after >= 0:
            return min(float(retry_after), self.max_delay)
        return min(self.base_delay * (2**attempt), self.max_delay)


def display_host(url: str) -> str:
    """`https://user:pw@host:443/v1?api-key=x` -> `https://host:443/v1` (nothing secret survives)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "?"
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


def scrub(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Remove configured secrets and anything that looks like a key from a message."""
    out = str(text)
    for s in secrets:
        if s and len(s) >= 4:
            out = out.replace(s, "***")
    out = _KEYLIKE.sub("***", out)
    if len(out) > 400:  # a whole HTML error page helps nobody
        out = out[:400] + "…"
    return out


def parse_retry_after(value: str | None) -> float | None:
    """`Retry-After` in seconds (numeric form; HTTP dates are rare for APIs and ignored)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def classify_status(status: int, detail: str, model: str, host: str, retry_after: float | None = None) -> ProviderError:
    """One readable ProviderError for an HTTP status from a backend."""
    low = detail.lower()
    if status in (401, 403):
        return AuthenticationFailed(
            f"{host} refused the key (HTTP {status}) for “{model}”: check the API key configured for this backend. ({detail})"
        )
    if status == 404:
        return ModelNotFound(f"Model “{model}” was not found on {host} (HTTP 404). ({detail})")
    if status == 429:
        when = f"retry in about {retry_after:.0f} s" if retry_after is not None else "wait a little and retry"
        return RateLimited(f"{host} is rate-limiting requests for “{model}” (HTTP 429): {when}. ({detail})", retry_after=retry_after)
    if status in (400, 413, 422):
        if "context" in low or "too long" in low or ("maximum" in low and "token" in low) or status == 413:
            return InvalidRequest(f"The prompt is too long for “{model}”'s context on {host}: shorten it or lower max tokens. ({detail})")
        return InvalidRequest(f"{host} rejected the request for “{model}” (HTTP {status}): {detail}")
    if status >= 500:
        return ServerError(f"{host} failed on “{model}” (HTTP {status}): {detail}", retry_after=retry_after)
    return ServerError(f"{host} answered HTTP {status} for “{model}”: {detail}")


def is_retryable(exc: ProviderError) -> bool:
    if isinstance(exc, RateLimited):
        return True
    return isinstance(exc, ServerError) and "HTTP 503" in exc.message


def sleep_or_cancel(seconds: float, cancel: threading.Event | None) -> bool:
    """Sleep; return True if cancelled meanwhile."""
    if cancel is None:
        time.sleep(seconds)
        return False
    return cancel.wait(seconds)


def open_with_retries(
    open_stream: Callable[[], T],
    policy: RetryPolicy,
    what: str,
    cancel: threading.Event | None = None,
    sleep: Callable[[float, threading.Event | None], bool] = sleep_or_cancel,
) -> Iterator[Event | T]:
    """Yield retry Notices, then the opened stream as the last item.

    Only the opening of a request is retried: once text has arrived the person sees it,
    and silently starting over would mix two answers.
    """
    attempt = 0
    while True:
        try:
            stream = open_stream()
        except ProviderError as exc:
            if not is_retryable(exc) or attempt >= policy.max_retries:
                raise
            delay = policy.delay(attempt, exc.retry_after)
            attempt += 1
            reason = "rate-limited (HTTP 429)" if isinstance(exc, RateLimited) else "unavailable (HTTP 503)"
            yield Notice(
                "retry",
                f"{what} is {reason}: retrying in {delay:.1f} s (attempt {attempt} of {policy.max_retries}).",
                position=attempt,
            )
            if sleep(delay, cancel):
                raise BackendUnavailable(f"{what}: cancelled while waiting to retry.") from None
            continue
        yield stream
        return
