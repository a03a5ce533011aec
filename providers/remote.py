"""Shared plumbing for remote backends: timeouts, retry policy, HTTP statuses as errors, secret scrubbing, host labels."""

from __future__ import annotations

import html
import logging
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

log = logging.getLogger(__name__)

LISTING = "(model list)"  # stands for the model name in errors raised while listing models

# Key-looking strings a server may echo back ("Incorrect API key provided: sk-abc***xyz"):
# they are scrubbed from every message even when they are not our key.
_KEYLIKE = re.compile(r"(sk-[A-Za-z0-9_\-*]{4,}|Bearer\s+\S+|api[-_]?key=[^&\s]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Timeouts:
    """Connect timeout (TCP + TLS) and read timeout (longest silence between two chunks), seconds."""

    connect: float = 5.0
    read: float = 120.0

    def __post_init__(self) -> None:
        # A negative timeout used to fail deep in the HTTP client, read back as a "malformed chunk".
        for name in ("connect", "read"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and 0 < value < float("inf")):
                raise ValueError(f"The {name} timeout must be a number of seconds above 0 (got {value}).")


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


def clean_key(key: str | None) -> str | None:
    """A key as it must be sent: without the line break or spaces a copy-paste leaves at its ends
    (a key ending in a newline is an illegal header: the request never leaves)."""
    if key is None:
        return None
    return key.strip() or None


def key_problem(key: str | None) -> str | None:
    """What in a key cannot go into an HTTP header ("a line break", "a space or tab", "a non-ASCII
    character"), or None. Such a request never leaves: left alone, it reads as "connection refused"."""
    if not key:
        return None
    if "\n" in key or "\r" in key:
        return "a line break"
    if any(c in key for c in " \t"):
        return "a space or tab"
    if not key.isascii() or not key.isprintable():
        return "a non-ASCII character"
    return None


def key_error(key: str | None, where: str) -> ProviderError | None:
    """The error to give instead of a transport failure when the key itself cannot be sent."""
    what = key_problem(key)
    if what is None:
        return None
    return AuthenticationFailed(
        f"The API key configured for {where} contains {what}: copy it again without it (the request was not sent).",
        code="key_characters", params={"where": where, "what": what})


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


_HTML = re.compile(r"<\s*(!doctype\s+html|html|head|body|title|h1|center|pre)\b", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
# Longest server explanation quoted to the person; the whole of it goes to the server log.
DETAIL_CHARS = 300


def html_title(text: str) -> str | None:
    """The <title> of a page, or its first heading, as plain text ("502 Bad Gateway"); None when none."""
    found = _TITLE.search(text) or re.search(r"<h1[^>]*>(.*?)</h1>", text, re.IGNORECASE | re.DOTALL)
    if not found:
        return None
    title = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())
    return title[:80] or None


def is_html(text: str) -> bool:
    return bool(_HTML.search(text[:2000]))


def server_detail(text: str, secrets: Iterable[str | None] = (), where: str = "") -> str:
    """What a server said about an error, as the person may read it: secrets masked, an HTML
    error page (a proxy's 502, a framework's 500) reduced to its title, a long text cut short.
    The whole (masked) text goes to the server log, for whoever runs the server."""
    masked = _KEYLIKE.sub("***", mask_secrets(text, secrets))
    if is_html(masked):
        log.warning("%s answered an HTML error page: %s", where or "a backend", masked[:5000])
        title = html_title(masked)
        return f"an HTML error page{f' “{title}”' if title else ''}, logged on the server"
    if len(masked) > DETAIL_CHARS:
        log.warning("%s explained an error at length: %s", where or "a backend", masked[:5000])
        return masked[:DETAIL_CHARS] + "… (the rest is in the server log)"
    return masked


def coded_html_error(err: ProviderError, raw: str, where: str, model: str) -> ProviderError:
    """`err` with a catalogue code when the server's explanation was an HTML page, so the column
    says it in the person's language ("error.html_page")."""
    if is_html(raw) and err.code is None:
        err.code = "html_page"
        err.params = {"where": where, "model": model, "status": err.status or "?", "title": html_title(raw) or "—"}
    return err


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
