"""Where the history database lives and whether visitors may delete runs (env, then secrets.toml)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

import platformdirs

from playground.config import load_secrets

APP_NAME = "llm-playground"


def default_db_path(env: Mapping[str, str] | None = None, secrets: Mapping | None = None) -> Path:
    """PLAYGROUND_HISTORY_DB, else secrets [history] path, else the user's data directory."""
    env = os.environ if env is None else env
    if env.get("PLAYGROUND_HISTORY_DB"):
        return Path(env["PLAYGROUND_HISTORY_DB"]).expanduser()
    if secrets is None:
        try:
            secrets = load_secrets()
        except ValueError:
            secrets = {}
    configured = (secrets.get("history") or {}).get("path") if isinstance(secrets.get("history"), Mapping) else None
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "history.sqlite3"


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _flag(value: Any, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return False  # an unreadable setting must not open deletion to every visitor


def history_allow_delete(env: Mapping[str, str] | None = None, secrets: Mapping | None = None) -> bool:
    """May visitors delete runs from the History page? PLAYGROUND_HISTORY_ALLOW_DELETE, else secrets
    [history] allow_delete, else True. An unrecognised value reads as False."""
    env = os.environ if env is None else env
    if env.get("PLAYGROUND_HISTORY_ALLOW_DELETE", "").strip():
        return _flag(env["PLAYGROUND_HISTORY_ALLOW_DELETE"], True)
    if secrets is None:
        try:
            secrets = load_secrets()
        except ValueError:
            secrets = {}
    section = secrets.get("history") if isinstance(secrets.get("history"), Mapping) else {}
    return _flag(section.get("allow_delete"), True)


def public_reason(reason: str, path: str | Path | None = None) -> str:
    """A history error as shown to visitors: the server's absolute paths replaced by the file name."""
    p = Path(path) if path else default_db_path()
    out = reason.replace(str(p), p.name)
    return out.replace(str(p.parent), "…")
