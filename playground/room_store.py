"""The classroom's SQLite file: what the instructor set for the room survives a restart.

One small database beside the history (`room.sqlite3`, or PLAYGROUND_ROOM_DB): a key/value
table for the room's state (published preset, locks, visible pages, limits), and the tables
the room's activities add (polls, blind votes) through `ensure_schema`. Every call opens its
own short connection (WAL, busy timeout), so Streamlit's many session threads never share one.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping

from playground.history_settings import default_db_path

STATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS room_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at REAL NOT NULL
);
"""


def default_room_db(env: Mapping[str, str] | None = None) -> Path:
    """PLAYGROUND_ROOM_DB, else `room.sqlite3` in the history database's folder."""
    env = os.environ if env is None else env
    if env.get("PLAYGROUND_ROOM_DB"):
        return Path(env["PLAYGROUND_ROOM_DB"]).expanduser()
    return default_db_path(env).with_name("room.sqlite3")


class RoomStore:
    """Small, durable room state. Writes are atomic; a broken file leaves the room in memory only."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._schemas: set[str] = set()
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.ensure_schema(STATE_SCHEMA)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for one transaction (committed on success, rolled back on error)."""
        con = sqlite3.connect(self.path, timeout=10.0)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA busy_timeout=10000")
            with con:
                yield con
        finally:
            con.close()

    def ensure_schema(self, schema: str) -> None:
        """Create an activity's tables once per process (CREATE TABLE IF NOT EXISTS statements)."""
        with self._lock:
            if schema in self._schemas:
                return
            with self.connect() as con:
                con.executescript(schema)
            self._schemas.add(schema)

    def get(self, key: str, default: Any = None) -> Any:
        with self.connect() as con:
            row = con.execute("SELECT value FROM room_state WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def put(self, key: str, value: Any) -> None:
        with self.connect() as con:
            con.execute("INSERT INTO room_state(key, value, updated_at) VALUES (?, ?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                        (key, json.dumps(value, ensure_ascii=False), time.time()))

    def all(self) -> dict[str, Any]:
        with self.connect() as con:
            rows = con.execute("SELECT key, value FROM room_state").fetchall()
        return {k: json.loads(v) for k, v in rows}
