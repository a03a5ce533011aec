"""What a run's history row says happened to it: every column finished -> done; cut short ->
cancelled / interrupted; a benchmark whose process died keeps its finished samples."""

from __future__ import annotations

import threading

from support.scripted import FakeClock, ScriptedProvider

from playground.bench import BenchConfig, BenchReport, Checkpoint, run_benchmark
from playground.compare import outcome
from playground.prompt_sets import Prompt
from playground.runner import Result
from playground.store import HistoryStore
from providers.base import Finished, TextDelta, Usage
from providers.registry import Registry


def test_a_run_whose_columns_all_finished_is_done_whatever_stopped_the_script():
    done = [Result(model="a", text="x", finish_reason="stop"), Result(model="b", error="boom", finish_reason="error")]
    assert outcome(done, "cancelled") == "done"
    assert outcome(done, "interrupted") == "done"


def test_a_run_cut_short_says_how():
    partial = [Result(model="a", text="x", finish_reason="stop"), Result(model="b", text="y", finish_reason="cancelled")]
    assert outcome(partial, "cancelled") == "cancelled"
    assert outcome(partial, "interrupted") == "interrupted"
    assert outcome([Result(model="a"), None], "interrupted") == "interrupted"
    assert outcome([], "cancelled") == "cancelled"


def test_a_checkpoint_keeps_the_row_running_and_a_dead_writer_leaves_its_data(tmp_path):
    s = HistoryStore(tmp_path / "h.db")
    rid = s.begin("benchmark", title="t", data={"config": {"x": 1}})
    s.checkpoint(rid, {"config": {"x": 1}, "samples": [{"n": 1}, {"n": 2}]})
    assert s.get(rid).status == "running"
    assert s.get(rid).data["samples"] == [{"n": 1}, {"n": 2}]
    # another process (a restarted app) sees the row of a writer that is gone as interrupted, with its data
    fresh = HistoryStore(tmp_path / "h.db")
    got = fresh.get(rid)
    assert got.status == "interrupted" and len(got.data["samples"]) == 2
    # a finished row is never overwritten by a late checkpoint
    s.finish(rid, {"samples": []}, status="cancelled")
    s.checkpoint(rid, {"samples": [1, 2, 3]})
    assert s.get(rid).data == {"samples": []} and s.get(rid).status == "cancelled"


def test_checkpoint_saves_at_the_first_sample_then_at_most_every_period():
    clock = FakeClock()
    saved: list[dict] = []
    cp = Checkpoint(saved.append, every_s=2.0, clock=clock)
    report = BenchReport(config=BenchConfig(models=("m",), prompts=(Prompt("p1", "q"),)))
    cp(report)
    clock.advance(1.0)
    cp(report)
    assert len(saved) == 1
    clock.advance(1.5)
    cp(report)
    assert len(saved) == 2
    assert saved[0]["partial"] is True and saved[0]["cancelled"] is True  # never reads as a finished run


def _script(request):
    yield TextDelta("ok")
    yield Finished(Usage(3, 1), "stop")


def test_a_benchmark_that_dies_keeps_its_finished_samples(tmp_path):
    """The benchmark page checkpoints through run_benchmark(on_report=Checkpoint(...)): when the
    app process dies mid-run, a restarted app reads the row as interrupted with every sample
    checkpointed so far (here every sample: a period of 0 s)."""
    s = HistoryStore(tmp_path / "h.db")
    cfg = BenchConfig(models=("fake/m",), prompts=tuple(Prompt(f"p{i}", f"q{i}") for i in range(4)), warmup=False)
    rid = s.begin("benchmark", data={"config": cfg.to_dict()})
    cancel = threading.Event()
    n_seen = []

    def save(data: dict) -> None:
        s.checkpoint(rid, data)
        n_seen.append(len(data["samples"]))
        if len(data["samples"]) == 3:
            cancel.set()  # the process "dies" here: no final write

    run_benchmark(Registry({"fake": ScriptedProvider(_script)}), cfg, cancel=cancel,
                  on_report=Checkpoint(save, every_s=0.0))
    got = HistoryStore(tmp_path / "h.db").get(rid)
    assert got.status == "interrupted"
    report = BenchReport.from_dict(got.data)
    assert len(report.samples) == 3 and all(smp.ok for smp in report.samples)
    assert n_seen == [1, 2, 3]


def test_a_stopped_stream_still_counts_the_prompt_it_was_sent():
    """After Stop no usage arrives: the column showed "—" for its prompt tokens."""
    from playground.runner import run_stream
    from providers.base import RequestInfo

    cancel = threading.Event()

    def events():
        yield RequestInfo(payload={}, rendered_prompt="Il était une fois")
        yield TextDelta("un")
        cancel.set()  # Stop, before the backend's Finished (and its usage)
        yield TextDelta(" chat")

    r = run_stream(events, "fake/m", count_tokens=lambda text: len(text.split()), cancel=cancel)
    assert r.finish_reason == "cancelled"
    assert r.prompt_tokens == 4 and r.text.startswith("un")


def test_french_strings_keep_their_format_specs_and_read_french():
    from playground.i18n import NNBSP, format_number, format_percent, translate, translate_n

    assert translate("nt.percent", "fr", p=40.5) == f"40,5{NNBSP}%"
    assert translate("nt.percent", "en", p=40.5) == "40.5%"
    assert translate("compare.column", "fr", n=3) == "Colonne 3"  # a whole number without a spec: as is
    assert format_number(49152, 0, "fr") == f"49{NNBSP}152" and format_percent(0.405, 1, "fr") == f"40,5{NNBSP}%"
    assert translate_n("sent.kept", 1, "fr") == "1 phrase gardée"
    assert translate_n("sent.kept", 3, "fr") == "3 phrases gardées"
    assert translate_n("sent.kept", 1, "en") == "1 sentence kept"


def test_typed_temperatures_accept_french_decimal_commas():
    import pytest

    from playground.sampling_lab import parse_temperatures
    from providers.base import InvalidRequest

    assert parse_temperatures("0,3") == [0.3]  # one temperature, not two
    assert parse_temperatures("0 ; 0,3 ; 1,5") == [0.0, 0.3, 1.5]
    assert parse_temperatures("0 0,7 1") == [0.0, 0.7, 1.0]
    assert parse_temperatures("0, 0.7, 1.5") == [0.0, 0.7, 1.5]
    with pytest.raises(InvalidRequest) as err:
        parse_temperatures("0 ; chaud")
    assert err.value.code == "lab_temperature_invalid" and err.value.params == {"part": "chaud"}
