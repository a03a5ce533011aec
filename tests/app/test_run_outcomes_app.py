"""AppTest: the history row of a comparison says what happened to it when the page loses the run,
and History shows what an interrupted run had finished."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support.scripted import ScriptedProvider

from playground.compare import ColumnRun
from playground.export import compare_record
from playground.runner import Result
from playground.store import HistoryStore, reset_cache
from providers.base import ChatMessage, Finished, GenerationRequest, TextDelta, Usage
from providers.registry import Registry
from ui import compare_state

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture()
def db(tmp_path, monkeypatch):
    path = tmp_path / "history.sqlite3"
    monkeypatch.setenv("PLAYGROUND_HISTORY_DB", str(path))
    reset_cache()
    yield path
    reset_cache()


def _script(request):
    yield TextDelta("Bonjour à tous")
    yield Finished(Usage(5, 3), "stop")


def _reqs() -> list[GenerationRequest]:
    return [GenerationRequest(model="fake/m", messages=(ChatMessage("user", "Salut"),), max_tokens=8, seed=i) for i in range(2)]


def test_leaving_the_page_after_every_column_finished_records_done_not_cancelled(db):
    """The page was left (a rerun) after both columns had finished but before the script saw it."""
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    assert not at.exception, at.exception
    store = HistoryStore(db)
    reqs = _reqs()
    run = ColumnRun(Registry({"fake": ScriptedProvider(_script)}), reqs).start()
    for _ in run.events():  # both columns finish on their own
        pass
    state = compare_state.new_run_state(reqs, running=True)
    state["run"] = run
    state["history_id"] = store.begin("compare", title="Salut", models=[q.model for q in reqs])
    at.session_state[compare_state.STATE] = state
    at.run()  # any rerun of the page finds the run it lost
    assert not at.exception, at.exception
    [row] = store.list_runs(kind="compare")
    assert row.status == "done"
    assert [r["text"] for r in store.get(row.id).data["results"]] == ["Bonjour à tous"] * 2
    assert not any("arrêté" in i.value for i in at.info)  # no "stopped" note for a finished run


def test_history_shows_what_an_interrupted_run_had_finished(db):
    store = HistoryStore(db)
    reqs = _reqs()
    rec = compare_record(reqs, [Result(model="fake/m", text="La moitié d'une répo", finish_reason="cancelled"),
                                Result(model="fake/m", text="", finish_reason="cancelled")])
    rid = store.begin("compare", title="Salut", models=[q.model for q in reqs])
    store.finish(rid, rec, status="interrupted")
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.switch_page("pages/history.py")
    at.run()
    assert not at.exception, at.exception
    assert any("interrompue avant la fin" in w.value for w in at.warning)
    assert any("La moitié d'une répo" in m.value for m in at.markdown)


def test_the_benchmark_page_keeps_finished_samples_in_its_row_while_it_runs(db):
    """Were the app process to die now, the row (then read as interrupted) would hold them."""
    import threading
    import time

    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.switch_page("pages/benchmark.py")
    at.run()
    at.number_input(key="bench_n_prompts").set_value(3)
    at.number_input(key="bench_max_tokens").set_value(4)
    at.checkbox(key="bench_warmup").uncheck()
    at.multiselect(key="bench_models").set_value(["embedded/smollm2-135m-instruct"])
    seen: list[tuple[str, int]] = []
    stop = threading.Event()

    def watch() -> None:
        store = HistoryStore(db)
        while not stop.is_set():
            for row in store.list_runs(kind="benchmark"):
                seen.append((row.status, len(store.get(row.id).data.get("samples") or [])))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    at.button(key="bench_run").click()
    at.run()
    stop.set()
    watcher.join()
    assert not at.exception, at.exception
    # (a second store in this process reads the live row as its writer's restart would: interrupted)
    assert any(status in ("running", "interrupted") and 1 <= n < 3 for status, n in seen), seen[-5:]
    assert seen[-1] == ("done", 3)


def test_a_base_models_prompt_is_shown_as_typed_not_as_markdown(db):
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.number_input(key="cmp_ncols").set_value(1).run()
    at.selectbox(key="cmp_model_0").set_value("embedded/gemma-3-270m")
    at.text_area(key="cmp_prompt").set_value("# Pas un titre *ni* $x$ <b>")
    at.number_input(key="cmp_col0_max_tokens").set_value(2)
    at.button(key="cmp_run").click().run()
    assert not at.exception, at.exception
    shown = [m.value for m in at.markdown if "pg-caption" in m.value]
    assert shown and "# Pas un titre *ni* $x$ &lt;b&gt;" in shown[0]
    assert not any("Pas un titre" in c.value for c in at.caption)  # never through Markdown
