"""`compare --json-schema FILE` / `--json-output`: real runs on both embedded models; a bad
schema file is one line on stderr and exit code 2."""

import json

import pytest
from test_cli import cli

SCHEMA = {"type": "object", "properties": {"sigle": {"type": "string", "maxLength": 12},
                                           "annee": {"type": "integer"}}, "required": ["sigle", "annee"]}


def test_compare_with_a_schema_checks_every_column(tmp_path):
    f = tmp_path / "schema.json"
    f.write_text(json.dumps(SCHEMA), encoding="utf-8")
    p = cli("compare", "--model", "embedded/smollm2-135m-instruct", "--model", "embedded/gemma-3-270m",
            "--prompt", "La SNCF en JSON :", "--max-tokens", "60", "--seed", "4", "--json-schema", str(f), "--json")
    assert p.returncode == 0, p.stderr
    rows = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(rows) == 2
    for r in rows:
        assert r["json_check"] == {"valid_json": True, "parse_error": None, "schema_errors": [], "valid": True}, r["text"]
        assert set(json.loads(r["text"])) >= {"sigle", "annee"}


def test_plain_json_output_checks_the_answer():
    # no schema: any JSON object; its strings are unbounded, so the answer may be cut by the budget,
    # and then the check says it is not (yet) valid JSON
    p = cli("compare", "--model", "embedded/smollm2-135m-instruct", "--prompt", "Un objet JSON :", "--max-tokens", "60",
            "--seed", "2", "--json-output", "--json")
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert r["text"].lstrip().startswith("{")
    if r["finish_reason"] == "stop":
        assert r["json_check"]["valid"] is True
    else:
        assert r["json_check"]["valid_json"] is False and r["json_check"]["parse_error"].startswith("line ")
    text = cli("compare", "--model", "embedded/smollm2-135m-instruct", "--prompt", "Un objet JSON :", "--max-tokens", "60",
               "--seed", "2", "--json-output")
    assert ("[json] valid JSON ✓" if r["finish_reason"] == "stop" else "[json] not valid JSON: line") in text.stdout


@pytest.mark.parametrize("content, message", [
    ('{"type": "objet"}', "The JSON Schema is invalid at type"),
    ('{"type": ', "not valid JSON (line 1"),
    ("[1, 2]", "must be a JSON object"),
    (None, "cannot read the file"),
])
def test_bad_schema_file_is_one_line_and_exit_code_2(tmp_path, content, message):
    f = tmp_path / "schema.json"
    if content is not None:
        f.write_text(content, encoding="utf-8")
    p = cli("compare", "--model", "embedded/smollm2-135m-instruct", "--prompt", "x", "--json-schema", str(f))
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and str(f) in lines[0], p.stderr
    assert p.stdout == ""
