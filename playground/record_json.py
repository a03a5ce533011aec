"""Records as JSON for the history and exports: secret-looking fields dropped at any depth first."""

from __future__ import annotations

import json
from typing import Any, Mapping

SECRET_KEYS = frozenset({"api_key", "apikey", "api-key", "x-api-key", "authorization", "password", "secret",
                         "client_secret", "access_token", "refresh_token", "bearer"})


def redact_secrets(obj: Any) -> Any:
    """A copy with secret-looking fields removed and bearer tokens masked, at any depth."""
    if isinstance(obj, Mapping):
        return {k: redact_secrets(v) for k, v in obj.items() if str(k).lower() not in SECRET_KEYS}
    if isinstance(obj, (list, tuple)):
        return [redact_secrets(v) for v in obj]
    if isinstance(obj, str) and obj.lower().startswith("bearer "):
        return "Bearer ***"
    return obj


def _json_default(o: Any) -> Any:
    if hasattr(o, "to_dict"):
        return o.to_dict()
    if hasattr(o, "item"):  # numpy scalars (logprobs are float32)
        return o.item()
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    return str(o)


def dumps(obj: Any) -> str:
    """JSON text for history and exports. Non-ASCII stays readable, unless the data holds a lone
    surrogate (half a UTF-16 pair, from a JSON escape in an uploaded file): no UTF-8 file or
    SQLite text can hold one, so then everything non-ASCII is escaped and nothing is lost."""
    data = redact_secrets(obj)
    text = json.dumps(data, ensure_ascii=False, default=_json_default)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, ensure_ascii=True, default=_json_default)
    return text


def capabilities_record(caps) -> dict:
    """What a record keeps of a model's Capabilities: its mode, context and plain details."""
    return {"mode": caps.mode, "context_length": caps.context_length,
            **{k: v for k, v in caps.details.items() if isinstance(v, (str, int, float, bool))}}
