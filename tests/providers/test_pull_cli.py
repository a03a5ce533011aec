"""`python -m playground pull / rm / models` as a person runs them: progress on stderr, the model id
on stdout, exit 0; any failure one line naming the model, a non-zero exit, no traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, free_port
from remote_shapes import ndjson, ollama_pull_lines
from support.hf_hub import LocalHub

REPO = "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF"
FILE = "smollm2-135m-instruct-q4_1.gguf"
WEIGHTS = ("sha256:c5396e06af294bd101b30dce59131a76d2b773e76950acc870eda801d3ab0515", 397_807_936)


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "playground", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, **(env or {})})


def one_line_error(p: subprocess.CompletedProcess, model: str) -> None:
    assert p.returncode != 0
    lines = p.stderr.strip().splitlines()
    assert lines and model in lines[-1] and lines[-1].startswith("error:")
    assert "Traceback" not in p.stderr


@pytest.fixture(scope="module")
def served(smollm2_path, tmp_path_factory):
    gguf = tmp_path_factory.mktemp("cli-hub") / FILE
    shutil.copyfile(smollm2_path, gguf)
    return {(REPO, FILE): gguf}


def test_pull_rm_and_models_with_the_hub(served, tmp_path):
    cache = tmp_path / "hf-cache"
    with LocalHub(served) as hub:
        env = {"HF_ENDPOINT": hub.url, "HF_HUB_CACHE": str(cache)}
        p = cli("pull", f"hf:{REPO}/{FILE}", env=env)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "embedded/smollm2-135m-instruct-q4_1"
    assert "downloading:" in p.stderr and "(100%)" in p.stderr and "success" in p.stderr.splitlines()[-1]
    listed = json.loads(cli("models", "--json", env=env).stdout)["models"]
    row = next(m for m in listed if m["id"] == "embedded/smollm2-135m-instruct-q4_1")
    assert (row["family"], row["quantization"], row["context_length"], row["source"]) == ("llama", "Q4_1", 8192, "hub")
    assert row["size_bytes"] == served[(REPO, FILE)].stat().st_size
    p = cli("rm", "embedded/smollm2-135m-instruct-q4_1", env=env)
    assert p.returncode == 0, p.stderr
    assert "embedded/smollm2-135m-instruct-q4_1" not in cli("models", env=env).stdout


def test_pull_failures_are_one_line(served, tmp_path):
    cache = tmp_path / "hf-cache"
    with LocalHub(served) as hub:
        env = {"HF_ENDPOINT": hub.url, "HF_HUB_CACHE": str(cache)}
        one_line_error(cli("pull", f"hf:{REPO}/missing.gguf", env=env), f"hf:{REPO}/missing.gguf")
    gone = {"HF_ENDPOINT": f"http://127.0.0.1:{free_port()}", "HF_HUB_CACHE": str(cache)}
    one_line_error(cli("pull", f"hf:{REPO}/{FILE}", env=gone), f"hf:{REPO}/{FILE}")
    bad = cli("pull", "qwen2.5", env=gone)
    one_line_error(bad, "qwen2.5")
    assert bad.returncode == 2
    one_line_error(cli("pull", "ollama/qwen2.5:0.5b"), "ollama/qwen2.5:0.5b")  # no Ollama configured
    one_line_error(cli("rm", "embedded/smollm2-135m-instruct"), "embedded/smollm2-135m-instruct")  # bundled


def test_pull_and_rm_with_ollama(httpserver):
    httpserver.expect_request("/api/pull", method="POST", json={"model": "qwen2.5:0.5b", "insecure": False,
                                                                "stream": True}).respond_with_data(
        ndjson(ollama_pull_lines([WEIGHTS])), content_type="application/x-ndjson")
    httpserver.expect_request("/api/pull", method="POST").respond_with_data(
        ndjson([{"status": "pulling manifest"}, {"error": "pull model manifest: file does not exist"}]),
        content_type="application/x-ndjson")
    httpserver.expect_request("/api/delete", method="DELETE").respond_with_data("")
    env = {"OLLAMA_HOST": httpserver.url_for("/").rstrip("/")}
    p = cli("pull", "ollama/qwen2.5:0.5b", env=env)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "ollama/qwen2.5:0.5b"
    assert "pulling manifest" in p.stderr and "(100%)" in p.stderr and "success" in p.stderr
    one_line_error(cli("pull", "ollama/qwen9:zz", env=env), "ollama/qwen9:zz")
    assert cli("rm", "ollama/qwen2.5:0.5b", env=env).returncode == 0
    assert [r.path for r, _ in httpserver.log] == ["/api/pull", "/api/pull", "/api/delete"]
    assert Path(ROOT).exists()
