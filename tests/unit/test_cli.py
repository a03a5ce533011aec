"""The command line: real runs on the embedded models, one-line errors with exit code 2."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "playground", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_models_json_lists_the_embedded_models():
    p = cli("models", "--json")
    assert p.returncode == 0, p.stderr
    ids = [m["id"] for m in json.loads(p.stdout)["models"]]
    assert "embedded/smollm2-135m-instruct" in ids and "embedded/gemma-3-270m" in ids


def test_compare_json_prints_one_object_per_model():
    p = cli("compare", "--model", "embedded/smollm2-135m-instruct", "--model", "embedded/gemma-3-270m",
            "--prompt", "La souris de l'ordinateur est un", "--max-tokens", "8", "--seed", "3",
            "--top-logprobs", "3", "--json")
    assert p.returncode == 0, p.stderr
    rows = [json.loads(line) for line in p.stdout.splitlines()]
    assert [r["model"] for r in rows] == ["embedded/smollm2-135m-instruct", "embedded/gemma-3-270m"]
    for r in rows:
        assert set(r) >= {"model", "text", "prompt_tokens", "completion_tokens", "ttft_s", "total_s",
                          "tokens_per_s", "finish_reason", "logprobs", "error"}
        assert r["error"] is None and r["completion_tokens"] == 8 and r["text"]
        assert 0 < r["ttft_s"] <= r["total_s"] and r["tokens_per_s"] > 0
        assert len(r["logprobs"]) == 8 and all(len(t["top"]) == 3 for t in r["logprobs"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["--model", "embedded/nope"], "Unknown embedded model"),
        (["--model", "nothing"], "provider/model"),
        (["--model", "embedded/gemma-3-270m", "--temperature", "3"], "--temperature"),
        (["--model", "embedded/gemma-3-270m", "--top-p", "0"], "--top-p"),
        (["--model", "embedded/gemma-3-270m", "--max-tokens", "99999"], "context"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(args, message):
    p = cli("compare", "--prompt", "Bonjour", *args)
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_negative_seed_is_refused_by_the_cli():
    p = cli("compare", "--prompt", "Bonjour", "--model", "embedded/smollm2-135m-instruct", "--seed", "-3")
    assert p.returncode == 2 and "--seed" in p.stderr
