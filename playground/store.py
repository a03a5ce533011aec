"""Run history in SQLite: versioned schema with migrations, WAL, atomic run writes, crash detection.

A run is inserted as 'running' when it starts (with the writer's pid) and completed in one
transaction when it finishes; a 'running' row whose process is gone reads as 'interrupted'.
Secrets never reach the database: records are written through record_json.dumps, which drops
key-like fields first.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from playground.history_settings import default_db_path
from playground.record_json import dumps

SCHEMA_VERSION = 2
RUN_KINDS = ("compare", "benchmark", "sampling", "sentences")
STATUSES = ("running", "done", "cancelled", "error", "interrupted")

# v1: the first released layout (one JSON blob per run). Kept so tests can build a v1 database.
SCHEMA_V1 = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    created_at REAL NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    models TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL
);
"""

SCHEMA_V2 = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'done',
    created_at REAL NOT NULL,
    finished_at REAL,
    title TEXT NOT NULL DEFAULT '',
    models TEXT NOT NULL DEFAULT '',
    prompt TEXT NOT NULL DEFAULT '',
    pid INTEGER,
    pid_start TEXT,
    summary TEXT NOT NULL DEFAULT '{}',
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX runs_created ON runs(created_at DESC);
CREATE INDEX runs_kind_created ON runs(kind, created_at DESC);
"""

class HistoryError(Exception):
    """The history cannot be used (newer schema, unwritable path, corrupt file); the app goes on without it."""


@dataclass
class RunRow:
    """One line of the history list (no full data: listing stays fast)."""

    id: int
    kind: str
    status: str
    created_at: float
    finished_at: float | None
    title: str
    models: list[str]
    prompt: str
    summary: dict


@dataclass
class StoredRun(RunRow):
    data: dict = field(default_factory=dict)


def _pack_models(models: Iterable[str]) -> str:
    # tab-delimited with tabs at both ends, so "= model" filtering is one LIKE '%\tname\t%'
    ms = [m for m in dict.fromkeys(models) if m]
    return "\t" + "\t".join(ms) + "\t" if ms else ""


def _proc_start(pid: int) -> str | None:
    """The process's start time (clock ticks since boot, Linux), to tell a reused pid apart."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return None


def _pid_alive(pid: int | None, started: str | None = None) -> bool:
    if not pid:
        return False
    if started is not None and _proc_start(pid) not in (None, started):
        return False  # the pid now belongs to another process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    # A zombie (killed, not yet reaped) still answers kill(0): check its state on Linux.
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


class HistoryStore:
    """A history database. Each call opens its own short connection (safe from any thread)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._active: set[int] = set()  # runs this process is writing now
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HistoryError(f"Cannot create the history folder {self.path.parent}: {exc.strerror or exc}.") from None
        try:
            with self._connect() as con:
                mode = con.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise HistoryError(f"The history database {self.path} cannot use WAL mode (got {mode}).")
                self._migrate(con)
        except sqlite3.DatabaseError as exc:
            raise HistoryError(self._explain(exc)) from None

    def _explain(self, exc: Exception) -> str:
        msg = str(exc)
        if "readonly" in msg or "unable to open" in msg or "disk I/O" in msg:
            return (f"The history database {self.path} cannot be written ({msg}). Set PLAYGROUND_HISTORY_DB "
                    f"to a writable path; the playground works without history meanwhile.")
        if "not a database" in msg or "malformed" in msg:
            return f"{self.path} is not a usable SQLite history database ({msg}). Move it away to start a new one."
        return f"History database error ({self.path}): {msg}"

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)  # explicit transactions only
        con.execute("PRAGMA busy_timeout=10000")
        con.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at checkpoint, never corrupt
        return con

    # ------------------------------------------------------------ schema
    def _migrate(self, con: sqlite3.Connection) -> None:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryError(
                f"The history database {self.path} was written by a newer version of the playground "
                f"(schema v{version}; this version reads up to v{SCHEMA_VERSION}). Update the playground, or "
                f"point PLAYGROUND_HISTORY_DB to another file. The playground works without history meanwhile."
            )
        if version == SCHEMA_VERSION:
            return
        con.execute("BEGIN IMMEDIATE")
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated
            has_runs = con.execute("SELECT 1 FROM sqlite_master WHERE name='runs'").fetchone()
            if version == 0 and not has_runs:
                for stmt in filter(str.strip, SCHEMA_V2.split(";")):
                    con.execute(stmt)
            else:
                if version <= 1:
                    _migrate_v1_to_v2(con)
            con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------ writing
    def begin(self, kind: str, *, title: str = "", models: Sequence[str] = (), prompt: str = "",
              data: Mapping | None = None) -> int:
        """Insert a 'running' row now, so a crash before `finish` shows as interrupted."""
        with self._connect() as con:
            cur = con.execute(
                "INSERT INTO runs(kind, status, created_at, title, models, prompt, pid, pid_start, data) "
                "VALUES (?,?,?,?,?,?,?,?,?)",
                (kind, "running", time.time(), title[:300], _pack_models(models), prompt[:2000], os.getpid(),
                 _proc_start(os.getpid()), dumps(data or {})),
            )
            run_id = int(cur.lastrowid)
        with self._lock:
            self._active.add(run_id)
        return run_id

    def resume(self, run_id: int) -> bool:
        """Mark a finished run 'running' again, as `begin` would (a conversation's next turn is
        written into its own row); False when the row is gone (deleted meanwhile)."""
        with self._connect() as con:
            n = con.execute("UPDATE runs SET status='running', pid=?, pid_start=? WHERE id=?",
                            (os.getpid(), _proc_start(os.getpid()), run_id)).rowcount
        if n:
            with self._lock:
                self._active.add(run_id)
        return n > 0

    def finish(self, run_id: int, data: Mapping, *, status: str = "done", summary: Mapping | None = None,
               models: Sequence[str] | None = None, title: str | None = None) -> None:
        """Write the whole run in one transaction (all of it or, after a crash, none of it)."""
        payload = dumps(data)
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                sets = ["status=?", "finished_at=?", "data=?", "summary=?", "pid=NULL", "pid_start=NULL"]
                args: list[Any] = [status, time.time(), payload, dumps(summary or {})]
                if models is not None:
                    sets.append("models=?")
                    args.append(_pack_models(models))
                if title is not None:
                    sets.append("title=?")
                    args.append(title[:300])
                con.execute(f"UPDATE runs SET {', '.join(sets)} WHERE id=?", (*args, run_id))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        with self._lock:
            self._active.discard(run_id)

    def checkpoint(self, run_id: int, data: Mapping, *, summary: Mapping | None = None) -> None:
        """Save what a live run has produced so far, keeping it 'running': if the process dies
        before `finish`, the row reads 'interrupted' and still holds what had finished."""
        payload = dumps(data)
        with self._connect() as con:
            sets, args = ["data=?"], [payload]
            if summary is not None:
                sets.append("summary=?")
                args.append(dumps(summary))
            con.execute(f"UPDATE runs SET {', '.join(sets)} WHERE id=? AND status='running'", (*args, run_id))

    def save(self, kind: str, data: Mapping, *, title: str = "", models: Sequence[str] = (), prompt: str = "",
             summary: Mapping | None = None, status: str = "done") -> int:
        """A finished run in one go."""
        with self._connect() as con:
            cur = con.execute(
                "INSERT INTO runs(kind, status, created_at, finished_at, title, models, prompt, summary, data) "
                "VALUES (?,?,?,?,?,?,?,?,?)",
                (kind, status, time.time(), time.time(), title[:300], _pack_models(models), prompt[:2000],
                 dumps(summary or {}), dumps(data)),
            )
            return int(cur.lastrowid)

    def delete(self, run_id: int) -> bool:
        try:
            with self._connect() as con:
                return con.execute("DELETE FROM runs WHERE id=?", (run_id,)).rowcount > 0
        except sqlite3.DatabaseError as exc:
            raise HistoryError(self._explain(exc)) from None

    # ------------------------------------------------------------ reading
    def _status(self, status: str, pid: int | None, run_id: int, started: str | None = None) -> str:
        if status != "running":
            return status
        if pid == os.getpid():
            return "running" if run_id in self._active else "interrupted"
        return "running" if _pid_alive(pid, started) else "interrupted"

    def _where(self, kind: str | None, model: str | None, since: float | None, until: float | None,
               search: str | None, status: str | None = None) -> tuple[str, list]:
        clauses, args = [], []
        if kind:
            clauses.append("kind=?")
            args.append(kind)
        if model:
            clauses.append("models LIKE ? ESCAPE '\\'")
            args.append("%\t" + _like_escape(model) + "\t%")
        if since is not None:
            clauses.append("created_at>=?")
            args.append(since)
        if until is not None:
            clauses.append("created_at<?")
            args.append(until)
        if search:
            like = "%" + _like_escape(search) + "%"
            clauses.append("(title LIKE ? ESCAPE '\\' OR prompt LIKE ? ESCAPE '\\' OR models LIKE ? ESCAPE '\\')")
            args += [like, like, like]
        if status and status != "interrupted":
            clauses.append("status=?")
            args.append(status)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args

    def list_runs(self, *, kind: str | None = None, model: str | None = None, since: float | None = None,
                  until: float | None = None, search: str | None = None, limit: int = 200,
                  offset: int = 0) -> list[RunRow]:
        """Newest first; never loads the full run data."""
        where, args = self._where(kind, model, since, until, search)
        sql = ("SELECT id, kind, status, created_at, finished_at, title, models, prompt, summary, pid, pid_start FROM runs"
               f"{where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
        try:
            with self._connect() as con:
                rows = con.execute(sql, (*args, limit, offset)).fetchall()
        except sqlite3.DatabaseError as exc:
            raise HistoryError(self._explain(exc)) from None
        return [RunRow(r[0], r[1], self._status(r[2], r[9], r[0], r[10]), r[3], r[4], r[5],
                       [m for m in r[6].split("\t") if m], r[7], json.loads(r[8] or "{}")) for r in rows]

    def count(self, *, kind: str | None = None, model: str | None = None, since: float | None = None,
              until: float | None = None, search: str | None = None) -> int:
        where, args = self._where(kind, model, since, until, search)
        try:
            with self._connect() as con:
                return int(con.execute(f"SELECT COUNT(*) FROM runs{where}", args).fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise HistoryError(self._explain(exc)) from None

    def get(self, run_id: int) -> StoredRun | None:
        try:
            with self._connect() as con:
                r = con.execute("SELECT id, kind, status, created_at, finished_at, title, models, prompt, summary, "
                                "pid, data, pid_start FROM runs WHERE id=?", (run_id,)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise HistoryError(self._explain(exc)) from None
        if r is None:
            return None
        return StoredRun(r[0], r[1], self._status(r[2], r[9], r[0], r[11]), r[3], r[4], r[5],
                         [m for m in r[6].split("\t") if m], r[7], json.loads(r[8] or "{}"), json.loads(r[10] or "{}"))

    def all_models(self) -> list[str]:
        """Every model id that appears in the history (for the filter)."""
        try:
            with self._connect() as con:
                rows = con.execute("SELECT DISTINCT models FROM runs").fetchall()
        except sqlite3.DatabaseError as exc:
            raise HistoryError(self._explain(exc)) from None
        seen: dict[str, None] = {}
        for (packed,) in rows:
            for m in packed.split("\t"):
                if m:
                    seen[m] = None
        return sorted(seen)

    def schema_version(self) -> int:
        try:
            with self._connect() as con:
                return int(con.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise HistoryError(self._explain(exc)) from None


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _migrate_v1_to_v2(con: sqlite3.Connection) -> None:
    """v1 kept only (kind, created_at, title, models as comma list, data). v2 adds status, finish
    time, a searchable prompt, the writer's pid, a summary, and tab-packed models."""
    for col, decl in (("status", "TEXT NOT NULL DEFAULT 'done'"), ("finished_at", "REAL"),
                      ("prompt", "TEXT NOT NULL DEFAULT ''"), ("pid", "INTEGER"), ("pid_start", "TEXT"),
                      ("summary", "TEXT NOT NULL DEFAULT '{}'")):
        con.execute(f"ALTER TABLE runs ADD COLUMN {col} {decl}")
    rows = con.execute("SELECT id, created_at, models, data FROM runs").fetchall()
    for run_id, created, models, data in rows:
        try:
            d = json.loads(data)
        except (TypeError, ValueError):
            d = {}
        prompt = _prompt_of(d)
        con.execute("UPDATE runs SET finished_at=?, models=?, prompt=? WHERE id=?",
                    (created, _pack_models(m.strip() for m in (models or "").split(",")), prompt[:2000], run_id))
    con.execute("CREATE INDEX IF NOT EXISTS runs_created ON runs(created_at DESC)")
    con.execute("CREATE INDEX IF NOT EXISTS runs_kind_created ON runs(kind, created_at DESC)")


def _prompt_of(d: Mapping) -> str:
    for req in d.get("requests") or []:
        if isinstance(req, Mapping):
            if req.get("prompt"):
                return str(req["prompt"])
            for m in req.get("messages") or []:
                if isinstance(m, Mapping) and m.get("role") == "user":
                    return str(m.get("content", ""))
    return str(d.get("prompt") or "")


# ---------------------------------------------------------------- the process-wide store
_default: dict[str, HistoryStore | HistoryError] = {}
_default_lock = threading.Lock()


def open_store(path: str | Path | None = None) -> HistoryStore:
    """The store at `path` (default: `default_db_path()`), opened once per process; raises HistoryError."""
    p = str(Path(path) if path else default_db_path())
    with _default_lock:
        cached = _default.get(p)
        if cached is None:
            try:
                cached = HistoryStore(p)
            except HistoryError as exc:
                cached = exc
            _default[p] = cached
    if isinstance(cached, HistoryError):
        raise cached
    return cached


def reset_cache() -> None:
    with _default_lock:
        _default.clear()


def history_status(path: str | Path | None = None) -> tuple[HistoryStore | None, str | None]:
    """(store, None) when history works, (None, readable reason) when it does not."""
    try:
        return open_store(path), None
    except HistoryError as exc:
        return None, str(exc)


def save_run(kind: str, data: Mapping, *, title: str = "", models: Sequence[str] = (), prompt: str = "",
             summary: Mapping | None = None, status: str = "done", path: str | Path | None = None) -> int | None:
    """Store one finished run in the default history; returns its id, or None when history is unavailable.

    kind: "compare" | "benchmark" | "sampling" | "sentences". `data` is everything needed to show or
    replay the run (requests, results with logprobs, parameters, model details); keys are scrubbed.
    """
    store, _ = history_status(path)
    if store is None:
        return None
    try:
        return store.save(kind, data, title=title, models=models, prompt=prompt, summary=summary, status=status)
    except sqlite3.DatabaseError:
        return None
