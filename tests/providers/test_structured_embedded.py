"""JSON output on the embedded models: llama.cpp's grammar masks each sequence's draw, so every
answer parses and satisfies its schema, whatever the seed, and batching changes nothing."""

from __future__ import annotations

import json
import threading

import pytest

from playground.request import build_request
from providers.base import Finished, InvalidRequest, Notice, RequestInfo, TextDelta
from providers.structured import check_output

SMOL = "embedded/smollm2-135m-instruct"
GEM = "embedded/gemma-3-270m"

# Strings are bounded: a small model at temperature 1 may otherwise write one until max_tokens
# (a cut answer is not JSON, and the column says so; that is a budget question, not the grammar's).
STR = {"type": "string", "maxLength": 24}
PERSON = {"type": "object", "properties": {"name": STR, "age": {"type": "integer"}},
          "required": ["name", "age"]}
CITIES = {"type": "array", "minItems": 2, "maxItems": 3,
          "items": {"type": "object", "properties": {"city": STR, "country": STR},
                    "required": ["city", "country"]}}
MOOD = {"type": "object", "properties": {"mood": {"enum": ["happy", "sad", "neutral"]}}, "required": ["mood"]}
NESTED = {"type": "object", "required": ["acronym", "meaning"], "properties": {
    "acronym": STR,
    "meaning": {"type": "object", "required": ["words", "year"], "properties": {
        "words": {"type": "array", "items": STR, "minItems": 1, "maxItems": 4},
        "year": {"type": "integer"}}}}}
SCHEMAS = {"person": PERSON, "cities": CITIES, "mood": MOOD, "nested": NESTED}


def run(embedded, model, schema, seed, prompt="Answer in JSON:", max_tokens=160, **kw):
    chat = model == SMOL
    req = build_request(model, prompt, chat, temperature=1.0, seed=seed, max_tokens=max_tokens,
                        json_schema=json.dumps(schema) if schema is not None else None, json_output=True, **kw)
    events = list(embedded.stream(req))
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    return text, events


@pytest.mark.parametrize("model", [SMOL, GEM])
@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_answer_parses_and_satisfies_its_schema(embedded, model, name):
    schema = SCHEMAS[name]
    for seed in (1, 2, 3):
        text, events = run(embedded, model, schema, seed)
        check = check_output(text, json.dumps(schema))
        assert check.parsed, (seed, text, check.parse_error)
        assert check.schema_errors == (), (seed, text)
        fin = events[-1]
        assert isinstance(fin, Finished) and fin.finish_reason == "stop", (seed, text)
        # it stopped when the value was complete: nothing after the closing bracket
        assert text.rstrip()[-1] in "}]" and text == text.rstrip(), (seed, text)


def test_plain_json_mode_without_schema(embedded):
    # No schema: any JSON object (llama.cpp's JSON grammar). Its strings are unbounded, so an answer
    # may be cut by max_tokens; one that ended by itself must parse, and every answer is an object.
    for model in (SMOL, GEM):
        text, events = run(embedded, model, None, seed=5, max_tokens=200)
        fin = events[-1]
        assert text.lstrip()[:1] == "{", text
        if fin.finish_reason == "stop":
            assert check_output(text).parsed, text
        else:
            assert fin.finish_reason == "length" and fin.usage.completion_tokens == 200
        info = next(e for e in events if isinstance(e, RequestInfo))
        assert info.payload["json_output"] is True and "json_schema" not in info.payload
        assert info.payload["sampler_order"].startswith("JSON grammar")


def test_without_json_output_the_same_seed_is_not_constrained(embedded):
    # the grammar is what makes the difference: the unconstrained answer to the same request is not JSON
    req = build_request(SMOL, "Answer in JSON:", True, temperature=1.0, seed=1, max_tokens=40)
    free = "".join(e.text for e in embedded.stream(req) if isinstance(e, TextDelta))
    constrained, _ = run(embedded, SMOL, PERSON, seed=1, max_tokens=40)
    assert free != constrained
    assert not check_output(free, json.dumps(PERSON)).ok


def test_same_seed_same_json_solo_or_with_others_running(embedded):
    jobs = [(SMOL, PERSON, 11), (SMOL, CITIES, 12), (SMOL, MOOD, 13), (SMOL, NESTED, 14)]
    solo = [run(embedded, m, s, seed)[0] for m, s, seed in jobs]
    together: list[str | None] = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def work(i):
        m, s, seed = jobs[i]
        start.wait()
        together[i] = run(embedded, m, s, seed)[0]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert together == solo
    for (_model, s, _seed), text in zip(jobs, solo):
        assert check_output(text, json.dumps(s)).ok, text


def test_an_invalid_schema_is_refused_before_anything_runs(embedded):
    req = build_request(SMOL, "hi", True, json_schema='{"type": "objet"}')
    with pytest.raises(InvalidRequest) as err:
        list(embedded.stream(req))
    assert err.value.code == "schema_invalid" and err.value.param == "json_schema"


def test_a_schema_the_converter_cannot_read_still_gives_json_and_says_so(embedded):
    # "not" has no grammar: the plain JSON grammar applies and a notice says the schema was not enforced
    schema = {"not": {"type": "string"}}
    text, events = run(embedded, SMOL, schema, seed=3)
    assert check_output(text).parsed, text
    assert any(isinstance(e, Notice) and e.code == "schema_not_enforced" for e in events)


def test_a_grammar_llama_cpp_cannot_read_is_refused_in_the_request_not_the_scheduler(embedded):
    from providers.embedded.grammar import check_grammar

    m = embedded.loaded("smollm2-135m-instruct")
    with pytest.raises(InvalidRequest) as err:
        check_grammar(m.model.vocab, 'root ::= "{" undefined-rule')
    assert err.value.code == "grammar_failed"
    check_grammar(m.model.vocab, 'root ::= "{}"')  # a readable one passes
