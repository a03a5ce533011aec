"""Conversations in Compare: multi-turn requests (exact message lists and base-model transcripts),
failed turns, the record that history and exports keep, and a real SQLite round trip."""

from __future__ import annotations

import csv
import io
import json

import pytest

from playground.conversation import Turn, exchanges, follow_up_requests, missing_turns, record_turns
from playground.export import compare_record, compare_summary, load_record, replay_requests, to_csv, to_json, to_markdown
from playground.request import build_request
from playground.runner import Result
from playground.store import HistoryStore
from providers.base import ChatMessage, GenerationRequest

CHAT = "embedded/smollm2-135m-instruct"
BASE = "embedded/gemma-3-270m"
PARAMS = dict(temperature=0.2, top_p=0.9, top_k=40, min_p=0.05, max_tokens=48, seed=7, stop=("###",), top_logprobs=3)


def _first_turn() -> Turn:
    reqs = [build_request(CHAT, "Que veut dire SNCF ?", True, "Réponds en français.", **PARAMS),
            build_request(BASE, "Que veut dire SNCF ?", False, "Réponds en français.", temperature=0.0, max_tokens=16)]
    return Turn("Que veut dire SNCF ?", reqs, [Result(CHAT, text="Société nationale des chemins de fer."),
                                               Result(BASE, text=" La SNCF est")])


def test_chat_follow_up_is_the_exact_message_list_with_the_columns_own_answers_and_parameters():
    turns = [_first_turn()]
    chat, base = follow_up_requests(turns, "Et la RATP ?", "Réponds en français.")
    assert chat == GenerationRequest(
        model=CHAT, system="Réponds en français.",
        messages=(ChatMessage("user", "Que veut dire SNCF ?"),
                  ChatMessage("assistant", "Société nationale des chemins de fer."),
                  ChatMessage("user", "Et la RATP ?")), **PARAMS)
    # the system prompt comes first, once, as every backend receives it
    assert [m.role for m in chat.chat_messages()] == ["system", "user", "assistant", "user"]
    # a base model continues its own document: earlier message + its own continuation, a blank line, the new one
    assert base == GenerationRequest(
        model=BASE, prompt="Réponds en français.\n\nQue veut dire SNCF ? La SNCF est\n\nEt la RATP ?",
        temperature=0.0, max_tokens=16)


def test_a_failed_turn_is_left_out_of_that_column_only_and_said():
    turns = [_first_turn()]
    t2_reqs = follow_up_requests(turns, "Et la RATP ?")
    turns.append(Turn("Et la RATP ?", t2_reqs, [Result(CHAT, error="Server error (HTTP 503).", finish_reason="error"),
                                               Result(BASE, text=" la Régie")]))
    chat, base = follow_up_requests(turns, "Merci !")
    # column 1 skips turn 2 entirely (user message too): user and assistant still alternate
    assert [(m.role, m.content) for m in chat.messages] == [
        ("user", "Que veut dire SNCF ?"), ("assistant", "Société nationale des chemins de fer."), ("user", "Merci !")]
    assert missing_turns(turns, 0) == [2] and missing_turns(turns, 1) == []
    assert base.prompt == "Que veut dire SNCF ? La SNCF est\n\nEt la RATP ? la Régie\n\nMerci !"
    # text that did arrive before a failure (a dropped stream, a Stop) is what the model said: kept
    turns[1].results[0] = Result(CHAT, text="Régie autonome", error="Stream interrupted.", finish_reason="error")
    assert exchanges(turns, 0)[-1] == ("Et la RATP ?", "Régie autonome") and missing_turns(turns, 0) == []
    # stopped before any text: nothing to continue from
    turns[1].results[0] = Result(CHAT, text="", finish_reason="cancelled")
    assert missing_turns(turns, 0) == [2]


def test_a_follow_up_needs_a_conversation():
    with pytest.raises(ValueError, match="first prompt"):
        follow_up_requests([], "Et la RATP ?")


def _conversation_record() -> tuple[list[Turn], dict]:
    turns = [_first_turn()]
    reqs = follow_up_requests(turns, "Et la RATP ?", "Réponds en français.")
    results = [Result(CHAT, text="Régie autonome des transports parisiens.", completion_tokens=9, ttft_s=0.1,
                      total_s=0.5),
               Result(BASE, error="The model is busy.", finish_reason="error")]
    rec = compare_record(reqs, results, status="done", turns=turns, prompt="Et la RATP ?", system="Réponds en français.")
    return turns + [Turn("Et la RATP ?", reqs, results)], rec


def test_the_record_keeps_every_turn_and_reads_back():
    turns, rec = _conversation_record()
    back = record_turns(load_record(to_json(rec)))
    assert [t.prompt for t in back] == ["Que veut dire SNCF ?", "Et la RATP ?"]
    assert [t.requests for t in back] == [t.requests for t in turns]
    assert [[r.text if r else None for r in t.results] for t in back] == [
        ["Société nationale des chemins de fer.", " La SNCF est"], ["Régie autonome des transports parisiens.", ""]]
    assert back[1].results[1].error == "The model is busy."
    assert compare_summary(rec)["turns"] == 2
    # replay re-sends the latest turn exactly: its requests carry the whole conversation
    assert replay_requests(load_record(to_json(rec)))[0].messages[1].content == "Société nationale des chemins de fer."


def test_a_single_run_record_reads_as_one_turn():
    q = build_request(CHAT, "Bonjour", True, **PARAMS)
    rec = compare_record([q], [Result(CHAT, text="Salut")])
    assert "turns" not in rec
    (only,) = record_turns(rec)
    assert only.prompt == "Bonjour" and only.results[0].text == "Salut"


def test_csv_has_one_row_per_turn_and_column_with_the_text():
    _, rec = _conversation_record()
    rows = list(csv.DictReader(io.StringIO(to_csv(rec))))
    assert [(r["turn"], r["column"], r["prompt"], r["text"]) for r in rows] == [
        ("1", "1", "Que veut dire SNCF ?", "Société nationale des chemins de fer."),
        ("1", "2", "Que veut dire SNCF ?", " La SNCF est"),
        ("2", "1", "Et la RATP ?", "Régie autonome des transports parisiens."),
        ("2", "2", "Et la RATP ?", ""),
    ]
    assert rows[3]["error"] == "The model is busy."


def test_markdown_shows_each_columns_conversation_turn_by_turn():
    _, rec = _conversation_record()
    md = to_markdown(rec)
    assert md.startswith("# Conversation (2 turns)")
    col1 = md[md.index("## 1. " + CHAT):md.index("## 2. " + BASE)]
    assert col1.index("### Turn 1") < col1.index("> Que veut dire SNCF ?") < col1.index(
        "Société nationale des chemins de fer.") < col1.index("### Turn 2") < col1.index("> Et la RATP ?") < col1.index(
        "Régie autonome des transports parisiens.")
    col2 = md[md.index("## 2. " + BASE):]
    assert " La SNCF est" in col2 and "**Error:** The model is busy." in col2


def test_history_keeps_a_conversation_in_one_row_across_turns(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    turns, rec = _conversation_record()
    first = compare_record(turns[0].requests, turns[0].results, prompt=turns[0].prompt, system="Réponds en français.")
    run_id = store.begin("compare", title="Que veut dire SNCF ?", models=[CHAT, BASE], prompt="Que veut dire SNCF ?")
    store.finish(run_id, first, summary=compare_summary(first))
    assert store.get(run_id).status == "done"
    assert store.resume(run_id)  # the next turn goes into the same row
    assert store.get(run_id).status == "running"
    store.finish(run_id, rec, summary=compare_summary(rec))
    got = store.get(run_id)
    assert got.status == "done" and got.summary["turns"] == 2 and store.count() == 1
    back = record_turns(got.data)
    assert [t.prompt for t in back] == ["Que veut dire SNCF ?", "Et la RATP ?"]
    assert back[0].requests == turns[0].requests and back[1].requests == turns[1].requests
    assert back[1].results[0].text == "Régie autonome des transports parisiens."
    assert got.data["system"] == "Réponds en français."
    assert json.loads(json.dumps(got.data)) == got.data
    store.delete(run_id)
    assert store.resume(run_id) is False  # deleted meanwhile: the page starts a new row
