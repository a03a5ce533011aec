"""Bad files and bad numbers on the command line: one line, exit code 2, nothing lost.

A prompt file or an export holding a lone surrogate (JSON's "\\ud800", half a character), nested
thousands deep, or with fields of the wrong type; `--temperature nan`, a seed beyond 64 bits."""

from __future__ import annotations

import json

import pytest

from playground.cli import main
from playground.commands.bench import write_out
from playground.export import load_record, to_json
from playground.prompt_sets import PromptSetError, describe_prompt_set_error, parse_prompt_file

SMOL = "embedded/smollm2-135m-instruct"
LONE = '{"prompt": "\\ud800"}\n'


def one_line_exit_2(capsys, argv: list[str], *needles: str) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    for needle in needles:
        assert needle in err, err
    return err


def test_a_prompt_file_with_a_lone_surrogate_is_refused_in_one_line():
    with pytest.raises(PromptSetError) as info:
        parse_prompt_file("prompts.jsonl", ('{"prompt": "Bonjour"}\n' + LONE).encode())
    assert "line 2" in str(info.value) and "surrogate" in str(info.value)
    assert describe_prompt_set_error(info.value, "fr").startswith("« prompts.jsonl » ligne 2 :")


@pytest.mark.parametrize("content", [LONE, "[" * 100_000 + "]" * 100_000, '{"prompt": "x", "system": 5}\n'])
def test_bench_refuses_a_bad_prompt_file_before_the_run_and_writes_nothing(tmp_path, capsys, content):
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text(content, encoding="utf-8")
    out = tmp_path / "report.json"
    one_line_exit_2(capsys, ["bench", "--model", SMOL, "--prompts", str(prompts), "--json", str(out)], "prompts.jsonl")
    assert not out.exists()


DAMAGED_EXPORTS = {
    "deep": "[" * 100_000 + "]" * 100_000,
    "deep_object": '{"kind": "compare", "requests": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "lone_surrogate": json.dumps({"kind": "compare", "requests": [{"model": SMOL, "prompt": "a"}]})
    .replace('"a"', '"\\ud800"'),
    "benchmark_without_config": '{"kind": "benchmark"}',
    "benchmark_config_null": '{"kind": "benchmark", "config": null}',
    "benchmark_prompts_wrong": '{"kind": "benchmark", "config": {"models": ["%s"], "prompts": [5]}}' % SMOL,
    "benchmark_models_number": '{"kind": "benchmark", "config": {"models": 5, "prompts": []}}',
    "requests_number": '{"kind": "compare", "requests": 5}',
    "request_list": '{"kind": "compare", "requests": [["x"]]}',
    "message_number": '{"kind": "compare", "requests": [{"model": "%s", "messages": [{"role": "user", "content": 5}]}]}'
    % SMOL,
    "seed_float": '{"kind": "compare", "requests": [{"model": "%s", "prompt": "a", "seed": 1e23}]}' % SMOL,
    "temperature_text": '{"kind": "compare", "requests": [{"model": "%s", "prompt": "a", "temperature": "hot"}]}'
    % SMOL,
}


@pytest.mark.parametrize("name", sorted(DAMAGED_EXPORTS))
def test_replay_of_a_damaged_export_is_one_line_and_exit_2(tmp_path, capsys, name):
    path = tmp_path / f"{name}.json"
    path.write_text(DAMAGED_EXPORTS[name], encoding="utf-8")
    out = tmp_path / "new.json"
    one_line_exit_2(capsys, ["replay", str(path), "--json", str(out)])
    assert not out.exists()


def test_a_record_holding_a_lone_surrogate_is_still_written_whole():
    record = {"kind": "compare", "requests": [{"prompt": "Café \ud800 crème"}], "results": []}
    text = to_json(record)
    assert json.loads(text) == record  # nothing lost: the escapes read back the same
    text.encode("utf-8")  # and it can be written


def test_a_write_that_fails_leaves_the_previous_file_as_it_was(tmp_path, capsys):
    out = tmp_path / "report.json"
    out.write_text('{"kind": "benchmark"}', encoding="utf-8")
    assert write_out(str(out), "half a character: \ud800") is False
    assert out.read_text(encoding="utf-8") == '{"kind": "benchmark"}'
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left


def test_load_record_says_what_is_wrong():
    for text, words in ((DAMAGED_EXPORTS["deep"], "nested too deeply"), (DAMAGED_EXPORTS["lone_surrogate"], "surrogate")):
        with pytest.raises(ValueError, match=words):
            load_record(text.encode())


@pytest.mark.parametrize("argv, needle", [
    (["compare", "--model", SMOL, "--prompt", "Bonjour", "--temperature", "nan"], "--temperature"),
    (["compare", "--model", SMOL, "--prompt", "Bonjour", "--top-p", "nan"], "--top-p"),
    (["compare", "--model", SMOL, "--prompt", "Bonjour", "--min-p", "inf"], "--min-p"),
    (["compare", "--model", SMOL, "--prompt", "Bonjour", "--seed", str(10**23)], "--seed"),
    (["bench", "--model", SMOL, "--temperature", "nan"], "--temperature"),
    (["bench", "--model", SMOL, "--seed", str(2**63)], "--seed"),
    (["next-token", "--model", SMOL, "--prompt", "Bonjour", "--temperature", "nan"], "--temperature"),
])
def test_numbers_no_backend_takes_are_usage_errors(capsys, argv, needle):
    one_line_exit_2(capsys, argv, needle)
