"""History store on real SQLite: round trip, v1 -> v2 migration, newer schema, crash safety."""

from __future__ import annotations

import gc
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from playground.store import SCHEMA_V1, SCHEMA_VERSION, HistoryError, HistoryStore, history_status, reset_cache, save_run

ROOT = Path(__file__).resolve().parents[2]


def test_round_trip_keeps_everything_but_secrets(tmp_path):
    s = HistoryStore(tmp_path / "h.db")
    data = {
        "requests": [{"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "Bonjour"}],
                      "temperature": 0.3}],
        "results": [{"model": "openai/gpt-4o", "text": "Salut", "logprobs": [{"token": "Sal", "logprob": -0.1,
                                                                             "top": []}],
                     "request": {"model": "gpt-4o", "api_key": "sk-secret", "headers": {"Authorization": "Bearer sk-x"}},
                     "extra": {"note": "Bearer sk-hidden"}}],
    }
    rid = s.save("compare", data, title="t", models=["openai/gpt-4o"], prompt="Bonjour", summary={"a": 1})
    got = s.get(rid)
    assert got.kind == "compare" and got.status == "done" and got.models == ["openai/gpt-4o"]
    assert got.summary == {"a": 1}
    assert got.data["results"][0]["logprobs"][0]["token"] == "Sal"
    assert got.data["results"][0]["text"] == "Salut"
    raw = (tmp_path / "h.db").read_bytes() + (tmp_path / "h.db-wal").read_bytes()
    assert b"sk-secret" not in raw and b"sk-x" not in raw and b"sk-hidden" not in raw
    assert "api_key" not in got.data["results"][0]["request"]


def test_list_filters_and_search(tmp_path):
    s = HistoryStore(tmp_path / "h.db")
    a = s.save("compare", {}, title="gratin", models=["embedded/smollm2", "ollama/qwen2.5:1.5b"], prompt="Le gratin dauphinois")
    b = s.save("benchmark", {}, title="bench", models=["embedded/smollm2"], prompt="x")
    c = s.save("sentences", {}, title="bonjour", models=["ollama/mistral:7b"], prompt="bonjour le bot")
    assert [r.id for r in s.list_runs()] == [c, b, a]
    assert [r.id for r in s.list_runs(kind="benchmark")] == [b]
    assert [r.id for r in s.list_runs(model="embedded/smollm2")] == [b, a]
    assert [r.id for r in s.list_runs(model="ollama/qwen2.5:1.5b")] == [a]
    assert [r.id for r in s.list_runs(search="DAUPHINOIS")] == [a]
    assert [r.id for r in s.list_runs(search="100%")] == []
    assert s.count(model="embedded/smollm2") == 2
    assert s.all_models() == ["embedded/smollm2", "ollama/mistral:7b", "ollama/qwen2.5:1.5b"]
    assert s.delete(b) and s.get(b) is None and not s.delete(b)


def test_running_row_of_this_process_reads_running_then_done(tmp_path):
    s = HistoryStore(tmp_path / "h.db")
    rid = s.begin("benchmark", title="b", models=["m/x"])
    assert s.get(rid).status == "running"
    s.finish(rid, {"samples": [1, 2]}, status="cancelled", summary={"n": 2})
    got = s.get(rid)
    assert got.status == "cancelled" and got.data == {"samples": [1, 2]}
    # a store reopened (a new app process) sees a 'running' row it does not own as interrupted
    rid2 = s.begin("compare")
    assert HistoryStore(tmp_path / "h.db").get(rid2).status == "interrupted"


def _make_v1(path: Path) -> None:
    con = sqlite3.connect(path)
    con.executescript(SCHEMA_V1)
    con.execute("INSERT INTO runs(kind, created_at, title, models, data) VALUES (?,?,?,?,?)",
                ("compare", 1700000000.0, "old run", "embedded/smollm2-135m-instruct,embedded/gemma-3-270m",
                 json.dumps({"requests": [{"model": "embedded/gemma-3-270m", "prompt": "La souris de l'ordinateur est un"}],
                             "results": [{"model": "embedded/gemma-3-270m", "text": " objet"}]})))
    con.execute("PRAGMA user_version=1")
    con.commit()
    con.close()


def test_migrates_a_v1_database(tmp_path):
    path = tmp_path / "old.db"
    _make_v1(path)
    s = HistoryStore(path)
    assert s.schema_version() == SCHEMA_VERSION == 2
    [row] = s.list_runs()
    assert row.title == "old run" and row.status == "done"
    assert row.models == ["embedded/smollm2-135m-instruct", "embedded/gemma-3-270m"]
    assert row.prompt == "La souris de l'ordinateur est un"
    assert [r.id for r in s.list_runs(model="embedded/gemma-3-270m", search="souris")] == [row.id]
    assert s.get(row.id).data["results"][0]["text"] == " objet"
    s.save("compare", {}, title="new")  # and the migrated database takes new runs
    assert s.count() == 2


def test_newer_schema_is_refused_clearly(tmp_path):
    path = tmp_path / "new.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE runs(id INTEGER PRIMARY KEY)")
    con.execute("PRAGMA user_version=99")
    con.commit()
    con.close()
    with pytest.raises(HistoryError, match="newer version.*v99"):
        HistoryStore(path)
    reset_cache()
    store, err = history_status(path)
    assert store is None and "newer version" in err
    assert save_run("compare", {}, path=path) is None  # the app carries on without history


def test_unwritable_path_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(HistoryError, match="Cannot create the history folder"):
        HistoryStore(blocker / "sub" / "h.db")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if os.geteuid() == 0:  # root ignores directory permissions; use /proc instead
            target = Path("/proc/self/history.db")
        else:
            target = ro / "h.db"
        with pytest.raises(HistoryError):
            HistoryStore(target)
    finally:
        ro.chmod(0o700)


def test_not_a_database(tmp_path):
    p = tmp_path / "junk.db"
    p.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(HistoryError, match="not a usable SQLite"):
        HistoryStore(p)


WRITER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from playground.store import HistoryStore
    s = HistoryStore({db!r})
    rid = s.begin("benchmark", title="long run", models=["embedded/smollm2-135m-instruct"])
    print(rid, flush=True)
    i = 0
    while True:  # keep writing other finished runs until killed
        s.save("compare", {{"i": i, "text": "x" * 5000}}, title=f"row {{i}}")
        i += 1
        time.sleep(0.002)
""")


def test_kill_9_mid_run_leaves_db_intact_and_run_interrupted(tmp_path):
    db = tmp_path / "h.db"
    s = HistoryStore(db)
    keep = s.save("compare", {"text": "before"}, title="before the crash")
    proc = subprocess.Popen([sys.executable, "-c", WRITER.format(root=str(ROOT), db=str(db))],
                            stdout=subprocess.PIPE, text=True)
    rid = int(proc.stdout.readline())
    deadline = time.monotonic() + 60
    while s.count() < 30 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert s.get(rid).status == "running"  # its writer is alive
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    fresh = HistoryStore(db)
    assert fresh.get(rid).status == "interrupted"
    assert fresh.get(keep).data == {"text": "before"}
    rows = fresh.list_runs(search="row ", limit=100000)
    assert len(rows) >= 29
    for r in rows[:50]:  # every row written before the kill is whole
        d = fresh.get(r.id).data
        assert d["text"] == "x" * 5000 and r.title == f"row {d['i']}"
    fresh.save("compare", {}, title="after")  # and the database still takes writes


def test_a_reused_pid_does_not_keep_a_dead_run_running(tmp_path):
    s = HistoryStore(tmp_path / "h.db")
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with s._connect() as con:
            live = con.execute("INSERT INTO runs(kind, status, created_at, pid, pid_start) VALUES "
                               "('compare', 'running', 1, ?, ?)", (other.pid, _start_of(other.pid))).lastrowid
            reused = con.execute("INSERT INTO runs(kind, status, created_at, pid, pid_start) VALUES "
                                 "('compare', 'running', 2, ?, '1')", (other.pid,)).lastrowid
        assert s.get(live).status == "running"
        assert s.get(reused).status == "interrupted"  # same pid, but a process started at another time
        assert {r.id: r.status for r in s.list_runs()} == {live: "running", reused: "interrupted"}
    finally:
        other.kill()
        other.wait()
    assert s.get(live).status == "interrupted"


def _start_of(pid: int) -> str:
    from playground.store import _proc_start

    return _proc_start(pid)


def test_reads_on_a_database_corrupted_after_opening_raise_history_error(tmp_path):
    """A file replaced or damaged while the app runs: every read is a HistoryError, not a traceback."""
    p = tmp_path / "h.db"
    s = HistoryStore(p)
    rid = s.save("compare", {"x": 1}, title="t", models=["a/b"])
    # A connection not yet collected keeps SQLite's view of the old file (its WAL index) in this
    # process, and the next read could still see the old database: collect them first.
    gc.collect()
    for extra in (Path(str(p) + "-wal"), Path(str(p) + "-shm")):
        extra.unlink(missing_ok=True)
    p.write_bytes(b"garbage, not sqlite" * 400)
    for name in ("count", "get", "all_models", "list_runs", "delete"):
        args = (rid,) if name in ("get", "delete") else ()
        with pytest.raises(HistoryError, match="not a usable SQLite"):
            getattr(s, name)(*args)


def test_a_locked_database_read_is_a_history_error(tmp_path):
    p = tmp_path / "h.db"
    s = HistoryStore(p)
    s.save("compare", {"x": 1}, title="t", models=["a/b"])
    with sqlite3.connect(p) as con:
        con.execute("DROP TABLE runs")  # stands for any SQLite failure a read can meet
    for call in (lambda: s.count(), lambda: s.get(1), lambda: s.all_models()):
        with pytest.raises(HistoryError):
            call()
