"""The one reader of Server-Sent Events bodies (`text/event-stream`) as OpenAI-style APIs send them."""

from __future__ import annotations

import json
from typing import Iterable, Iterator

# OpenAI's end-of-answer sentinel: not JSON, and the server may keep the body open after it.
DONE = "[DONE]"


def sse_data(lines: Iterable[str]) -> Iterator[str]:
    """The `data` of each event, in order, up to `[DONE]` (not yielded).

    `lines` are the body's lines without their line ends (httpx's `iter_lines()`: LF and CRLF).
    Follows the SSE rules the openai SDK's decoder follows: `data:` lines (one optional space
    after the colon) accumulate until a blank line; comment lines (`: OPENROUTER PROCESSING`)
    and other fields (`event:`, `id:`, `retry:`) are ignored; an event is only complete at its
    blank line, so a body cut mid-event yields nothing for that event. After `[DONE]` nothing
    more is read: the caller closes the response, as the SDK does (waiting for the body's own
    end could hang on a server that keeps it open).
    """
    data: list[str] = []
    for line in lines:
        if line.startswith("data:"):
            data.append(line[6:] if line.startswith("data: ") else line[5:])
            continue
        if line or not data:
            continue  # comments, other fields, extra blank lines
        payload = data[0] if len(data) == 1 else "\n".join(data)
        data = []
        if payload.startswith(DONE):
            return
        yield payload


def sse_json(lines: Iterable[str]) -> Iterator[dict]:
    """The JSON object of each event (see `sse_data`); a payload that is not a JSON object raises ValueError."""
    for payload in sse_data(lines):
        chunk = json.loads(payload)  # json.JSONDecodeError is a ValueError
        if not isinstance(chunk, dict):
            raise ValueError(f"expected a JSON object, got {payload[:60]!r}")
        yield chunk
