"""AppTest of the Benchmark, History and Training-sentences pages, and of Compare saving its runs."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from conftest import APP_TIMEOUT_S
from streamlit.testing.v1 import AppTest

from playground.export import compare_record, compare_summary
from playground.runner import Result
from playground.store import HistoryStore, reset_cache
from providers.base import ChatMessage, GenerationRequest

SMOL = "embedded/smollm2-135m-instruct"
APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture()
def db(tmp_path, monkeypatch):
    path = tmp_path / "history.sqlite3"
    monkeypatch.setenv("PLAYGROUND_HISTORY_DB", str(path))
    reset_cache()
    yield path
    reset_cache()


def _app(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=APP_TIMEOUT_S)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def _compare_run(store: HistoryStore, text_a: str, text_b: str, prompt: str = "Le gratin dauphinois est un plat") -> int:
    reqs = [GenerationRequest(model=SMOL, messages=(ChatMessage("user", prompt),), temperature=0.3, seed=5,
                              max_tokens=32),
            GenerationRequest(model="embedded/gemma-3-270m", prompt=prompt, temperature=1.1, top_k=40, max_tokens=16)]
    results = [Result(model=SMOL, text=text_a, ttft_s=0.1, total_s=0.5, completion_tokens=8, tokens_per_s=20.0),
               Result(model="embedded/gemma-3-270m", text=text_b, ttft_s=0.2, total_s=0.9, completion_tokens=9)]
    rec = compare_record(reqs, results)
    return store.save("compare", rec, title=prompt, models=[q.model for q in reqs], prompt=prompt,
                      summary=compare_summary(rec))


def test_benchmark_page_runs_a_small_benchmark(db):
    at = _app("pages/benchmark.py")
    at.number_input(key="bench_n_prompts").set_value(2)
    at.number_input(key="bench_max_tokens").set_value(6)
    at.multiselect(key="bench_models").set_value([SMOL])
    at.button(key="bench_run").click()
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any("Terminé" in s.value for s in at.success)
    assert len(at.get("plotly_chart")) == 2  # TTFT and tok/s box plots; one level: no throughput line
    table = at.dataframe[-2].value if len(at.dataframe) > 1 else at.dataframe[0].value
    store = HistoryStore(db)
    [row] = store.list_runs(kind="benchmark")
    assert row.status == "done" and row.models == [SMOL]
    assert len(store.get(row.id).data["samples"]) == 2
    assert table is not None


def test_benchmark_page_with_several_levels_draws_the_throughput_line(db):
    at = _app("pages/benchmark.py")
    at.number_input(key="bench_n_prompts").set_value(2)
    at.number_input(key="bench_max_tokens").set_value(4)
    at.checkbox(key="bench_warmup").uncheck()
    at.radio(key="bench_mode").set_value("parallel")
    at.run()
    at.multiselect(key="bench_levels").set_value([1, 2])
    at.button(key="bench_run").click()
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 3


def _live_benchmark(registry, repetitions: int) -> dict:
    """A benchmark running in a worker thread, in the shape the page keeps in session state."""
    import threading

    from playground.bench import BenchConfig, run_benchmark
    from playground.prompt_sets import BUILTIN_SETS

    config = BenchConfig(models=(SMOL,), prompts=tuple(BUILTIN_SETS["fr"][:3]), repetitions=repetitions,
                         params={"max_tokens": 24, "seed": 3, "temperature": 0.0})
    state = {"cancel": threading.Event(), "progress": None, "report": None, "config": config, "running": True}

    def work() -> None:
        state["report"] = run_benchmark(registry, config, on_progress=lambda p: state.__setitem__("progress", p),
                                        cancel=state["cancel"])

    state["thread"] = threading.Thread(target=work, daemon=True)
    return state


def test_a_rerun_keeps_following_a_live_benchmark(db, registry):
    """Switching page and back or changing language reruns the page: that must not cancel the run."""
    at = _app("pages/benchmark.py")
    state = _live_benchmark(registry, repetitions=2)
    at.session_state["bench_state"] = state
    state["thread"].start()
    at.run()  # any rerun that is not the Cancel button
    assert not at.exception, at.exception
    assert not state["cancel"].is_set()
    assert not state["report"].cancelled and len(state["report"].samples) == 6
    assert state["running"] is False
    assert any("Terminé" in s.value for s in at.success)


def test_the_cancel_button_cancels_a_live_benchmark(db, registry):
    at = _app("pages/benchmark.py")
    state = _live_benchmark(registry, repetitions=20)
    at.session_state["bench_state"] = state
    state["thread"].start()
    at.button(key="bench_cancel").click()
    at.run()
    assert not at.exception, at.exception
    assert state["cancel"].is_set() and state["report"].cancelled
    assert len(state["report"].samples) < 60
    assert any("annulé" in i.value for i in at.info)


def test_benchmark_page_without_models_says_so(db):
    at = _app("pages/benchmark.py")
    at.multiselect(key="bench_models").set_value([])
    at.button(key="bench_run").click()
    at.run()
    assert not at.exception
    assert any("au moins un modèle" in e.value for e in at.error)


def test_history_lists_filters_diffs_and_reopens(db):
    store = HistoryStore(db)
    a = _compare_run(store, "Un plat savoyard au four", "un gratin de pommes de terre")
    b = _compare_run(store, "Un plat dauphinois au four", "un gratin de pommes de terre")
    store.save("sentences", {"kind": "sentences", "model": SMOL, "sentences": ["salut le bot"]}, title="bonjour",
               models=[SMOL], prompt="bonjour le bot")
    at = _app("pages/history.py")
    assert any("3 exécutions" in c.value for c in at.caption)
    at.selectbox(key="hist_kind").set_value("sentences")
    at.run()
    assert any("1 affichée sur 1 exécution" in c.value for c in at.caption)
    at.selectbox(key="hist_kind").set_value("")
    at.text_input(key="hist_search").set_value("gratin")
    at.run()
    assert any("2 affichées sur 2" in c.value for c in at.caption)
    at.selectbox(key="hist_selected").set_value(b)
    at.run()
    at.selectbox(key="hist_other").set_value(a)
    at.run()
    assert not at.exception, at.exception
    diff = [m.value for m in at.markdown if "pg-diff" in m.value]
    assert diff and "<del" in diff[0] and "dauphinois" in diff[0] and "savoyard" in diff[0]
    at.button(key="hist_reopen").click()
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["cmp_prompt"] == "Le gratin dauphinois est un plat"
    assert at.session_state["cmp_model_1"] == "embedded/gemma-3-270m"
    assert at.session_state["cmp_col1_top_k"] == 40
    assert at.text_area(key="cmp_prompt").value == "Le gratin dauphinois est un plat"
    assert at.number_input(key="cmp_ncols").value == 2


def test_history_delete_asks_for_confirmation(db):
    store = HistoryStore(db)
    a = _compare_run(store, "x", "y")
    at = _app("pages/history.py")
    assert not any(str(db) in c.value or str(db.parent) in c.value for c in at.caption)  # no server path
    at.button(key="hist_delete").click()
    at.run()
    assert not at.exception
    assert store.get(a) is not None  # one click is not enough
    assert any("définitivement" in w.value for w in at.warning)
    at.button(key="hist_delete_no").click()
    at.run()
    assert store.get(a) is not None and not at.warning
    at.button(key="hist_delete").click()
    at.run()
    at.button(key="hist_delete_yes").click()
    at.run()
    assert not at.exception
    assert store.get(a) is None
    assert any(f"Exécution {a} supprimée" in s.value for s in at.success)


def test_history_delete_can_be_turned_off(db, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_HISTORY_ALLOW_DELETE", "false")
    store = HistoryStore(db)
    a = _compare_run(store, "x", "y")
    at = _app("pages/history.py")
    assert at.button(key="hist_delete").disabled
    at.session_state["hist_confirm_delete"] = a  # even a forged confirmation state deletes nothing
    at.run()
    assert not [b for b in at.button if b.key == "hist_delete_yes"]
    assert store.get(a) is not None


def test_history_page_without_a_usable_database_still_works(db):
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE runs(id INTEGER PRIMARY KEY)")
    con.execute("PRAGMA user_version=7")
    con.commit()
    con.close()
    at = _app("pages/history.py")
    assert any("version plus récente" in w.value or "newer version" in w.value for w in at.warning)
    assert not any(str(db.parent) in w.value for w in at.warning)  # the server's path stays private
    at.switch_page("pages/compare.py")
    at.run()
    assert not at.exception


def test_compare_page_stores_its_run(db):
    at = AppTest.from_file(APP, default_timeout=APP_TIMEOUT_S)
    at.run()
    at.number_input(key="cmp_ncols").set_value(1)
    at.run()
    at.number_input(key="cmp_col0_max_tokens").set_value(8)
    at.button(key="cmp_run").click()
    at.run()
    assert not at.exception, at.exception
    [row] = HistoryStore(db).list_runs()
    assert row.kind == "compare" and row.status == "done" and row.models == [SMOL]
    run = HistoryStore(db).get(row.id)
    assert run.data["results"][0]["text"] and run.data["results"][0]["logprobs"]


def test_sentences_page_with_smollm2(db):
    at = _app("pages/sentences.py")
    at.number_input(key="sent_n").set_value(4)
    at.number_input(key="sent_max_tokens").set_value(120)
    at.button(key="sent_generate").click()
    at.run()
    assert not at.exception, at.exception
    state = at.session_state["sent_state"]
    errors = [e.value for e in at.error]
    if state["sentences"]:  # the (possibly repaired) list, to tick and export
        assert any(re.search(r"phrases? gardées?", c.value) for c in at.caption)
        assert not errors
    elif state["error"]:  # or a clear message with the raw answer shown
        assert "inutilisable" in errors[0] and at.code[-1].value == (state["raw"] or "∅")
    else:  # or only duplicates of the examples
        assert any("doublons" in w.value for w in at.warning)
    [row] = HistoryStore(db).list_runs(kind="sentences")
    assert row.models == [SMOL]


def test_sentences_page_bad_template(db):
    at = _app("pages/sentences.py")
    at.text_area(key="sent_template").set_value("Give {count} variants of {examples}")
    at.run()
    assert any("placeholder" in e.value for e in at.error)


def test_sampling_lab_grid_is_saved_with_its_determinism_check_and_exportable(db):
    at = _app("pages/sampling_lab.py")
    at.selectbox(key="lab_model").set_value("embedded/gemma-3-270m")
    at.text_input(key="lab_temps").set_value("0, 1.5")
    at.number_input(key="lab_n").set_value(2)
    at.number_input(key="lab_max_tokens").set_value(6)
    at.button(key="lab_run").click().run()
    assert not at.exception, at.exception
    store = HistoryStore(db)
    [row] = store.list_runs(kind="sampling")
    run = store.get(row.id)
    assert run.models == ["embedded/gemma-3-270m"] and run.status == "done"
    assert run.data["temperatures"] == [0.0, 1.5] and run.data["n_samples"] == 2
    assert run.data["request"]["max_tokens"] == 6 and len(run.data["results"]) == 4
    assert [d["temperature"] for d in run.data["diversity"]] == [0.0, 1.5]
    assert run.data["determinism"] is None
    assert any(f"n° {row.id}" in c.value for c in at.caption)
    downloads = [d for d in at.get("download_button") if d.proto.id and "lab_dl" in str(d.proto.id)]
    assert len(downloads) == 3
    at.button(key="lab_det_run").click().run()
    assert not at.exception, at.exception
    [row2] = store.list_runs(kind="sampling")  # the check completes the same record
    assert row2.id == row.id
    assert store.get(row.id).data["determinism"]["identical"] is True
