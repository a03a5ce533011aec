"""`python -m playground embed` as a person runs it: JSON on stdout, one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "playground", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


def test_embed_json_similarity_rows_follow_the_texts():
    texts = ["Le chat dort sur le canapé.", "Un matou fait la sieste sur le sofa.", "La bourse a chuté hier soir."]
    r = cli("embed", *[a for t in texts for a in ("--text", t)], "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["model"] == "offline/use-multilingual-v3" and out["dimensions"] == 512
    sim = out["similarity"]
    assert len(sim) == 3 and all(len(row) == 3 for row in sim)
    assert [sim[i][i] for i in range(3)] == pytest.approx([1.0, 1.0, 1.0], abs=1e-3)
    assert sim[0][1] == sim[1][0] and sim[0][1] > sim[0][2]


@pytest.mark.parametrize("args, message", [
    (("embed", "--json"), "give at least one --text"),
    (("embed", "--model", "nomodel", "--text", "a"), "--model must be provider/model"),
    (("embed", "--text", "a", "--text", "  "), "Text 2 is empty"),
    (("embed", "--model", "offline/other", "--text", "a"), "Unknown offline embedding model"),
])
def test_embed_usage_errors_are_one_line_exit_2(args, message):
    r = cli(*args)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.strip().count("\n") == 0 and message in r.stderr
