"""Shared plumbing for remote backends: timeouts, retry policy, HTTP statuses as errors, secret scrubbing, host labels."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import urlsplit, urlunsplit

from providers.base import (
    AuthenticationFailed,
    ContextTooLong,
    InvalidRequest,
    ModelNotFound,
    ProviderError,
    RateLimited,
    ServerError,
)

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


# The shortest piece of a configured key that is masked wherever it appears: a server may echo
# a key partly (without its `sk-` prefix, cut in the middle, masked at one end only).
KEY_FRAGMENT = 8


def _key_fragments(text: str, secret: str) -> list[tuple[int, int]]:
    """Spans of `text` made of pieces of `secret` at least KEY_FRAGMENT characters long.

    Any such piece is a chain of overlapping KEY_FRAGMENT-character pieces of the key, so
    marking where each of those occurs marks the whole of it."""
    spans = []
    for i in range(len(secret) - KEY_FRAGMENT + 1):
        gram = secret[i:i + KEY_FRAGMENT]
        start = text.find(gram)
        while start != -1:
            spans.append((start, start + KEY_FRAGMENT))
            start = text.find(gram, start + 1)
    return spans


def mask_secrets(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` with every configured secret, and every piece of one at least KEY_FRAGMENT long, as `***`."""
    out = str(text)
    secrets = [s.strip() for s in secrets if s and s.strip()]
    for s in secrets:
        if len(s) >= 4:
            out = out.replace(s, "***")
    spans = sorted(span for s in secrets for span in _key_fragments(out, s))
    if spans:
        merged: list[list[int]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        pieces, last = [], 0
        for a, b in merged:
            pieces += [out[last:a], "***"]
            last = b
        out = "".join(pieces) + out[last:]
    return out


def scrub(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Remove configured secrets (whole or in pieces) and anything that looks like a key from a message."""
    out = mask_secrets(text, secrets)
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


def classify_status(status: int, detail: str, model: str, host: str, retry_after: float | None = None,
                    param: str | None = None) -> ProviderError:
    """One readable ProviderError for an HTTP status from a backend (carrying that `status`).

    `detail` is the server's own (scrubbed) explanation: it is quoted, and read only to tell a
    prompt that is too long from other 400s (no status says that).
    """
    low = detail.lower()
    tags = dict(status=status, param=param)
    if status in (401, 403):
        return AuthenticationFailed(
            f"{host} refused the key (HTTP {status}) for “{model}”: check the API key configured for this backend. ({detail})",
            **tags,
        )
    if status == 404:
        return ModelNotFound(f"Model “{model}” was not found on {host} (HTTP 404). ({detail})", **tags)
    if status == 429:
        when = f"retry in about {retry_after:.0f} s" if retry_after is not None else "wait a little and retry"
        return RateLimited(f"{host} is rate-limiting requests for “{model}” (HTTP 429): {when}. ({detail})",
                           retry_after=retry_after, **tags)
    if status in (400, 413, 422):
        if "context" in low or "too long" in low or ("maximum" in low and "token" in low) or status == 413:
            return ContextTooLong(
                f"The prompt is too long for “{model}”'s context on {host}: shorten it or lower max tokens. ({detail})", **tags)
        return InvalidRequest(f"{host} rejected the request for “{model}” (HTTP {status}): {detail}", **tags)
    if status >= 500:
        return ServerError(f"{host} failed on “{model}” (HTTP {status}): {detail}", retry_after=retry_after, **tags)
    return ServerError(f"{host} answered HTTP {status} for “{model}”: {detail}", **tags)


# Worth another try before any text arrived: too many requests, or a server that said it is busy.
RETRY_STATUSES = (429, 503)


def is_retryable(exc: ProviderError) -> bool:
    return isinstance(exc, RateLimited) or (isinstance(exc, ServerError) and exc.status in RETRY_STATUSES)


def caused_by(exc: BaseException, types: type | tuple[type, ...]) -> bool:
    """Whether `exc` or an exception it was raised from is one of `types`: transport errors wrap
    the operating system's (socket.gaierror: the host name does not resolve)."""
    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, types):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def sleep_or_cancel(seconds: float, cancel: threading.Event | None) -> bool:
    """Sleep; return True if cancelled meanwhile."""
    if cancel is None:
        time.sleep(seconds)
        return False
    return cancel.wait(seconds)
