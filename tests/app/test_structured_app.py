"""AppTest: Compare's JSON output option: the schema box says when the schema is invalid (and
nothing runs), the SNCF exercise fills prompt, schema and budget, a column shows its JSON check."""

from __future__ import annotations

import json

from test_compare_app import _open_compare

from playground.structured_presets import SNCF_SCHEMA


def test_invalid_schema_is_said_and_nothing_runs():
    at = _open_compare()
    at.toggle(key="cmp_json").set_value(True).run()
    at.text_area(key="cmp_json_schema").set_value('{"type": "objet"}').run()
    assert not at.exception, at.exception
    assert any("Le schéma JSON est invalide en type" in e.value for e in at.error)
    at.button(key="cmp_run").click().run()
    assert "compare_state" not in at.session_state  # no run started
    assert at.text_area(key="cmp_json_schema").value == '{"type": "objet"}'  # nothing lost


def test_sncf_button_fills_prompt_schema_and_budget():
    at = _open_compare()
    at.button(key="cmp_json_sncf").click().run()
    assert not at.exception, at.exception
    assert at.toggle(key="cmp_json").value is True
    assert json.loads(at.text_area(key="cmp_json_schema").value) == SNCF_SCHEMA
    assert "acronyme SNCF" in at.text_area(key="cmp_prompt").value
    assert at.session_state["cmp_col0_max_tokens"] == 1024
    assert not at.error


def test_a_column_shows_valid_json_with_its_schema():
    at = _open_compare()
    at.number_input(key="cmp_ncols").set_value(1).run()
    at.selectbox(key="cmp_model_0").set_value("embedded/smollm2-135m-instruct").run()
    at.text_area(key="cmp_prompt").set_value("Un objet JSON :").run()
    at.toggle(key="cmp_json").set_value(True).run()
    schema = {"type": "object", "properties": {"sigle": {"type": "string", "maxLength": 8}}, "required": ["sigle"]}
    at.text_area(key="cmp_json_schema").set_value(json.dumps(schema)).run()
    at.button(key="cmp_run").click().run()
    assert not at.exception, at.exception
    assert any(s.value == "JSON valide — conforme au schéma" for s in at.success), [s.value for s in at.success]
    req = at.session_state["compare_state"]["requests"][0]
    assert req.json_output and json.loads(req.json_schema) == schema
