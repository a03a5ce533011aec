"""Structured output without a model: the schema check, the answer check, the request fields
through history/export, and the SNCF exercise's schema."""

import json

import pytest

from playground.export import compare_record, load_record, replay_requests, to_json
from playground.i18n import translate
from playground.locales.structured import STRINGS
from playground.structured_presets import SNCF, SNCF_SCHEMA
from providers.base import Capabilities, ChatMessage, GenerationRequest, InvalidRequest
from providers.structured import canonical_schema, check_output, check_request, complete_json, parse_schema


@pytest.mark.parametrize("text, code", [
    ('{"type": ', "schema_not_json"),
    ("[1, 2]", "schema_not_object"),
    ('{"type": "objet"}', "schema_invalid"),
    ('{"type": "object", "properties": {"a": {"minLength": -1}}}', "schema_invalid"),
    ('{"required": "name"}', "schema_invalid"),
])
def test_invalid_schemas_are_refused_with_a_code(text, code):
    with pytest.raises(InvalidRequest) as err:
        parse_schema(text)
    assert err.value.code == code and err.value.param == "json_schema"
    # the French text is complete: every placeholder filled
    fr = translate(f"error.{code}", "fr", **err.value.params)
    assert "{" not in fr.replace("({…})", "") and "Corrigez-le" in fr


def test_empty_box_means_no_schema_and_canonical_is_compact():
    assert parse_schema("") is None and parse_schema("  \n") is None and canonical_schema(None) is None
    assert canonical_schema('{\n  "type": "object"\n}') == '{"type":"object"}'


def test_check_output_lists_parse_and_schema_errors():
    schema = json.dumps({"type": "object", "properties": {"role": {"enum": ["user", "assistant"]}}, "required": ["role", "content"]})
    good = check_output(' {"role": "user", "content": "x"} ', schema)
    assert good.ok and good.value == {"role": "user", "content": "x"} and good.pretty.startswith("{\n  ")
    bad = check_output('{"role": "bot"}', schema)
    assert bad.parsed and not bad.ok and len(bad.schema_errors) == 2
    assert any(e.startswith("/role: 'bot' is not one of") for e in bad.schema_errors)
    assert any("'content' is a required property" in e for e in bad.schema_errors)
    cut = check_output('{"role": "us', schema)
    assert not cut.parsed and cut.parse_error.startswith("line 1, column") and not cut.ok
    assert check_output('```json\n{"a": 1}\n```').ok  # a chat model's fence is tolerated
    assert check_output("[1, 2]").ok  # no schema: any JSON


def test_complete_json_is_whole_object_or_array_only():
    assert complete_json('{"a": [1, 2]}') and complete_json(" [1] ")
    assert not complete_json('{"a": [1, 2]') and not complete_json('{"a": "}"') and not complete_json("12")


def test_request_fields_round_trip_and_old_records_read_unchanged():
    q = GenerationRequest(model="embedded/x", messages=(ChatMessage("user", "hi"),), json_schema='{"type":"object"}')
    assert q.wants_json and not q.json_output  # a schema implies JSON output
    d = q.to_dict()
    assert d["json_output"] is True and d["json_schema"] == '{"type":"object"}'
    assert GenerationRequest.from_dict(d).wants_json and GenerationRequest.from_dict(d).json_schema == q.json_schema
    plain = GenerationRequest(model="embedded/x", messages=(ChatMessage("user", "hi"),))
    assert "json_output" not in plain.to_dict() and "json_schema" not in plain.to_dict()
    assert not GenerationRequest.from_dict(plain.to_dict()).wants_json


def test_export_and_replay_carry_the_schema():
    q = GenerationRequest(model="embedded/x", messages=(ChatMessage("user", "hi"),), json_output=True,
                          json_schema=canonical_schema(json.dumps(SNCF_SCHEMA)))
    record = load_record(to_json(compare_record([q], [None])).encode())
    assert replay_requests(record) == [q]
    record["requests"][0]["json_schema"] = {"type": "object"}  # damaged: not text
    with pytest.raises(Exception) as err:
        replay_requests(record)
    assert "damaged" in str(err.value)


def test_json_output_is_refused_where_the_backend_has_none():
    q = GenerationRequest(model="p/m", messages=(ChatMessage("user", "hi"),), json_output=True)
    with pytest.raises(InvalidRequest) as err:
        check_request(q, Capabilities())
    assert err.value.code == "json_unsupported"
    assert check_request(q, Capabilities(structured="schema")) is None


def test_sncf_exercise_schema_is_valid_and_accepts_a_real_answer():
    parse_schema(SNCF.schema_text())
    turn = [{"role": "user", "content": "Que veut dire SNCF ?"},
            {"role": "assistant", "content": "Société nationale des chemins de fer français."}]
    answer = json.dumps({"conversations": [{"turns": turn}] * 5}, ensure_ascii=False)
    assert check_output(answer, canonical_schema(SNCF.schema_text())).ok
    four = json.dumps({"conversations": [{"turns": turn}] * 4})
    assert not check_output(four, canonical_schema(SNCF.schema_text())).ok  # exactly five
    assert "SNCF" in SNCF.prompt["fr"] and "SNCF" in SNCF.prompt["en"] and "5" in SNCF.prompt["fr"]


def test_every_structured_string_is_in_french_and_english():
    for key, texts in STRINGS.items():
        assert set(texts) == {"fr", "en"} and all(texts.values()), key
        assert texts["fr"] != texts["en"] or key == "structured.load_sncf_help", key


def test_sncf_course_preset_carries_its_schema_through_the_room_store_shape():
    from playground.classroom import Preset
    from playground.course_presets import COURSE_PRESETS, course_preset

    assert "sncf" in {c.key for c in COURSE_PRESETS}
    p = course_preset("sncf", "en", title="SNCF")
    assert p.page == "compare" and "SNCF" in p.prompt and p.params["max_tokens"] >= 512
    assert json.loads(p.json_schema) == SNCF_SCHEMA
    back = Preset.from_dict(json.loads(json.dumps(p.to_dict())))
    assert back == p and back.json_schema == p.json_schema
    # a preset without JSON output keeps its old stored shape, and old stored presets read back
    plain = course_preset("souris", "fr")
    assert "json_schema" not in plain.to_dict() and Preset.from_dict(plain.to_dict()).json_schema == ""
    assert "SNCF" in translate("course.sncf", "fr") and "JSON" in translate("course.sncf", "fr")


def test_a_follow_up_keeps_asking_for_json_against_the_same_schema():
    from playground.conversation import Turn, follow_up_requests
    from playground.request import build_request
    from playground.runner import Result

    schema = canonical_schema('{"type": "object"}')
    first = build_request("embedded/x", "Un objet ?", True, json_output=True, json_schema=schema)
    plain = build_request("embedded/y", "Un objet ?", True)
    turns = [Turn("Un objet ?", [first, plain], [Result(model="embedded/x", text="{}"), Result(model="embedded/y", text="ok")])]
    nxt = follow_up_requests(turns, "Un autre ?")
    assert nxt[0].json_output and nxt[0].json_schema == schema
    assert not nxt[1].wants_json
    assert [m.content for m in nxt[0].messages] == ["Un objet ?", "{}", "Un autre ?"]
