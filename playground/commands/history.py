"""`history`: where the history database is, whether it works, how many runs it holds (admin view)."""

from __future__ import annotations

from playground.history_settings import default_db_path, history_allow_delete
from playground.store import RUN_KINDS, HistoryError, history_status

NAME = "history"
HELP = "Show the history database's path (not shown in the web UI), its status, runs per kind and the delete setting."


def add_arguments(p) -> None:
    p.add_argument("--db", help="another database file (default: PLAYGROUND_HISTORY_DB, secrets [history] path, "
                                "or the user data directory)")


def run(args) -> int:
    path = args.db or default_db_path()
    print(f"database: {path}")
    print(f"visitors may delete runs: {'yes' if history_allow_delete() else 'no'}")
    store, err = history_status(path)
    if store is None:
        print(f"unavailable: {err}")
        return 1
    try:
        print(f"schema: v{store.schema_version()}")
        print(f"runs: {store.count()}" + "".join(f" · {k} {store.count(kind=k)}" for k in RUN_KINDS))
    except HistoryError as exc:
        print(f"unavailable: {exc}")
        return 1
    return 0
