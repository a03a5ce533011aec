"""Sampling-lab records: failed samples left out of diversity, history round trip, exports without secrets."""

from __future__ import annotations

import csv
import io
import json

from playground.export import load_record, to_csv, to_json, to_markdown
from playground.runner import Result
from playground.sampling_lab import Determinism, LabRun, lab_record
from playground.store import HistoryStore
from providers.base import ChatMessage, GenerationRequest

MODEL = "embedded/smollm2-135m-instruct"
SECRET = "sk-test-DO-NOT-LEAK-1234567890"


def _run() -> tuple[GenerationRequest, LabRun]:
    base = GenerationRequest(model=MODEL, messages=(ChatMessage("user", "La souris est"),), max_tokens=12)
    run = LabRun([0.0, 1.0], 3, 42)
    payload = {"model": MODEL, "api_key": SECRET, "headers": {"Authorization": f"Bearer {SECRET}"}}
    run.results[0.0] = [Result(model=MODEL, text="un animal", request_payload=payload) for _ in range(3)]
    run.results[1.0] = [
        Result(model=MODEL, text="un rongeur", completion_tokens=2, request_payload=payload),
        Result(model=MODEL, text="", error="The server closed the stream.", error_kind="StreamInterrupted"),
        Result(model=MODEL, text="   "),
    ]
    return base, run


def test_failed_and_empty_samples_are_not_distinct_outputs():
    _, run = _run()
    div = {d.temperature: d for d in run.diversity()}
    assert (div[0.0].distinct_outputs, div[0.0].n, div[0.0].failed) == (1, 3, 0)
    # one real output, one error, one empty text: 1 distinct of 1 success, 2 failed (not 3 distinct of 3)
    assert (div[1.0].distinct_outputs, div[1.0].n, div[1.0].failed) == (1, 1, 2)
    assert div[1.0].distinct_ratio == 1.0
    assert run.failed() == 2


def test_sampling_record_round_trips_through_history_and_every_export(tmp_path):
    base, run = _run()
    det = Determinism(0.7, 7, "a b", "a c", False, "-b\n+c")
    record = lab_record(base, run, det, {MODEL: {"mode": "chat"}})
    assert record["kind"] == "sampling"
    assert record["request"]["max_tokens"] == 12 and record["temperatures"] == [0.0, 1.0]
    assert len(record["results"]) == 6 and record["failed"] == 2
    assert record["determinism"]["identical"] is False

    store = HistoryStore(tmp_path / "h.db")
    rid = store.save("sampling", record, title="lab", models=[MODEL], prompt=record["prompt"])
    stored = store.get(rid)
    assert stored.kind == "sampling" and stored.data["diversity"][1]["failed"] == 2
    assert SECRET not in json.dumps(stored.data)

    exported = {"kind": "sampling", **stored.data}
    js = to_json(exported)
    assert load_record(js)["kind"] == "sampling"
    rows = list(csv.DictReader(io.StringIO(to_csv(exported))))
    assert len(rows) == 6
    assert [r["temperature"] for r in rows] == ["0.0"] * 3 + ["1.0"] * 3
    assert rows[4]["error"] == "The server closed the stream." and rows[4]["failed"] == "True"
    md = to_markdown(exported)
    assert "# Sampling lab" in md and "| 1.0 | 1/1 |" in md and "outputs differ" in md
    for text in (js, to_csv(record), to_markdown(record), to_json(record)):
        assert SECRET not in text


def test_compare_exports_carry_no_secret():
    from playground.export import compare_record

    req = GenerationRequest(model="openai/gpt-4o-mini", messages=(ChatMessage("user", "Bonjour"),))
    res = Result(model="openai/gpt-4o-mini", text="Salut",
                 request_payload={"api_key": SECRET, "headers": {"Authorization": f"Bearer {SECRET}"}})
    record = compare_record([req], [res])
    for text in (to_json(record), to_csv(record), to_markdown(record)):
        assert SECRET not in text
