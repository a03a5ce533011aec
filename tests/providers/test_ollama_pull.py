"""Pulling and deleting Ollama models, against a local server replaying /api/pull's documented
NDJSON progress and /api/delete's answers (no Ollama can run here)."""

from __future__ import annotations

import json
import threading

import pytest
from conftest import free_port
from remote_shapes import dropping_response, ndjson, ollama_pull_lines
from werkzeug.wrappers import Response

from playground.config import build_registry, load_config
from playground.models import Overall, PullJob, parse_target, pull, remove
from providers.base import BackendUnavailable, InvalidRequest, ModelNotFound, ServerError, StreamInterrupted
from providers.ollama import OllamaConfig, OllamaProvider
from providers.pulls import DiskFull, PullCancelled
from providers.remote import RetryPolicy, Timeouts

NDJSON = "application/x-ndjson"
WEIGHTS = ("sha256:c5396e06af294bd101b30dce59131a76d2b773e76950acc870eda801d3ab0515", 397_807_936)
TEMPLATE = ("sha256:66b9ea09bd5b7099cbb4fc820f31b575c0366fa439b08245566692c6784e281e", 1_482)


def make(url: str) -> OllamaProvider:
    return OllamaProvider(OllamaConfig(name="ollama", host=url, timeouts=Timeouts(connect=1.0, read=2.0),
                                       retry=RetryPolicy(max_retries=0)))


@pytest.fixture()
def prov(httpserver):
    return make(httpserver.url_for("/").rstrip("/"))


def test_pull_reports_every_documented_line_and_sends_the_documented_body(httpserver, prov):
    lines = ollama_pull_lines([WEIGHTS, TEMPLATE])
    httpserver.expect_request("/api/pull", method="POST", json={"model": "qwen2.5:0.5b", "insecure": False,
                                                                "stream": True}).respond_with_data(ndjson(lines), content_type=NDJSON)
    steps = list(prov.pull("qwen2.5:0.5b"))
    assert [s.status for s in steps] == [line["status"] for line in lines]
    assert steps[0].fraction is None and steps[-1].done
    layer = [s for s in steps if s.digest == WEIGHTS[0]]
    assert [s.completed for s in layer] == [0, WEIGHTS[1] // 4, WEIGHTS[1] // 2, 3 * WEIGHTS[1] // 4, WEIGHTS[1]]
    overall = Overall()
    for s in steps:
        overall.add(s)
    assert overall.total == WEIGHTS[1] + TEMPLATE[1] and overall.fraction == 1.0


def test_pull_through_the_registry_returns_the_model_id(httpserver):
    httpserver.expect_request("/api/pull", method="POST").respond_with_data(ndjson(ollama_pull_lines([WEIGHTS])),
                                                                            content_type=NDJSON)
    registry = build_registry(load_config(secrets={}, env={"OLLAMA_HOST": httpserver.url_for("/").rstrip("/")}))
    target = parse_target("ollama/qwen2.5:0.5b", registry)
    seen = []
    assert pull(registry, target, report=seen.append) == "ollama/qwen2.5:0.5b"
    assert seen[-1].done and seen[1].total == WEIGHTS[1]


@pytest.mark.parametrize("respond", [
    # the documented error line inside a 200 stream, after "pulling manifest"
    lambda: Response(ndjson([{"status": "pulling manifest"}, {"error": "pull model manifest: file does not exist"}]),
                     content_type=NDJSON),
    # a server answering the whole request with an error status
    lambda: Response(json.dumps({"error": "pull model manifest: file does not exist"}), status=500,
                     content_type="application/json"),
])
def test_an_unknown_model_says_so(httpserver, prov, respond):
    httpserver.expect_request("/api/pull", method="POST").respond_with_response(respond())
    with pytest.raises(ModelNotFound) as err:
        list(prov.pull("qwen9:zz"))
    assert err.value.code == "pull_unknown_model" and "qwen9:zz" in err.value.message


def test_disk_full_mid_pull_says_so(httpserver, prov):
    lines = ollama_pull_lines([WEIGHTS])[:3] + [
        {"error": "write /root/.ollama/models/blobs/sha256-c5396e06af29-partial-0: no space left on device"}]
    httpserver.expect_request("/api/pull", method="POST").respond_with_data(ndjson(lines), content_type=NDJSON)
    with pytest.raises(DiskFull) as err:
        list(prov.pull("qwen2.5:0.5b"))
    assert err.value.code == "pull_disk_full" and err.value.params["model"] == "qwen2.5:0.5b"


def test_server_gone_mid_pull_says_so(httpserver, prov):
    first = ndjson(ollama_pull_lines([WEIGHTS])[:3])
    httpserver.expect_request("/api/pull", method="POST").respond_with_response(dropping_response(first, NDJSON))
    got = []
    with pytest.raises(StreamInterrupted) as err:
        for step in prov.pull("qwen2.5:0.5b"):
            got.append(step)
    assert err.value.code == "pull_server_gone" and len(got) == 3


def test_no_server_says_so():
    with pytest.raises(BackendUnavailable) as err:
        list(make(f"http://127.0.0.1:{free_port()}").pull("qwen2.5:0.5b"))
    assert err.value.code == "pull_unreachable"


def test_other_error_lines_are_quoted(httpserver, prov):
    httpserver.expect_request("/api/pull", method="POST").respond_with_data(
        ndjson([{"status": "pulling manifest"}, {"error": "max retries exceeded: unexpected EOF"}]), content_type=NDJSON)
    with pytest.raises(ServerError) as err:
        list(prov.pull("qwen2.5:0.5b"))
    assert err.value.code == "pull_failed" and "unexpected EOF" in err.value.params["detail"]


def test_cancel_stops_the_pull(httpserver, prov):
    release = threading.Event()

    def slow_stream():
        yield (json.dumps({"status": "pulling manifest"}) + "\n").encode()
        for line in ollama_pull_lines([WEIGHTS], steps=50)[1:]:
            release.wait(0.05)
            yield (json.dumps(line) + "\n").encode()

    httpserver.expect_request("/api/pull", method="POST").respond_with_response(Response(slow_stream(), content_type=NDJSON))
    registry = build_registry(load_config(secrets={}, env={"OLLAMA_HOST": httpserver.url_for("/").rstrip("/")}))
    job = PullJob(registry, parse_target("ollama/qwen2.5:0.5b", registry)).start()
    while job.overall.completed == 0 and not job.done:
        job.wait(0.05)
    job.cancel.set()
    assert job.wait(30)
    assert isinstance(job.error, PullCancelled) and job.error.code == "pull_cancelled" and job.model_id is None
    assert 0 < job.overall.completed < WEIGHTS[1]


def test_delete_sends_the_documented_request(httpserver):
    httpserver.expect_request("/api/delete", method="DELETE", json={"model": "qwen2.5:0.5b"}).respond_with_data("")
    registry = build_registry(load_config(secrets={}, env={"OLLAMA_HOST": httpserver.url_for("/").rstrip("/")}))
    remove(registry, "ollama/qwen2.5:0.5b")
    assert len(httpserver.log) == 1


def test_delete_of_a_missing_model_says_so(httpserver, prov):
    httpserver.expect_request("/api/delete", method="DELETE").respond_with_json(
        {"error": "model 'qwen9:zz' not found"}, status=404)
    with pytest.raises(ModelNotFound) as err:
        prov.delete("qwen9:zz")
    assert err.value.code == "delete_unknown"


def test_targets_are_checked_before_anything_is_sent(httpserver):
    registry = build_registry(load_config(secrets={}, env={}))
    for bad, code in (("qwen2.5", "pull_bad_target"), ("ollama/qwen2.5:0.5b", "pull_no_ollama"),
                      ("hf:only/two.gguf", "hf_bad_spec")):
        with pytest.raises(InvalidRequest) as err:
            parse_target(bad, registry)
        assert err.value.code == code
    with pytest.raises(InvalidRequest) as err:
        remove(build_registry(load_config(secrets={}, env={"OPENAI_API_KEY": "sk-x"})), "openai/gpt-4o-mini")
    assert err.value.code == "delete_not_local"
    assert httpserver.log == []
