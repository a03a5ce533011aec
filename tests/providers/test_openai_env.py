"""The OpenAI SDK's environment variables, honoured as the SDK honours them (OPENAI_BASE_URL,
OPENAI_API_KEY, OPENAI_ORG_ID, OPENAI_PROJECT_ID, OPENAI_CUSTOM_HEADERS) — and sent to that base
URL only: another endpoint configured beside it never receives the key, the ids or the headers."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer
from remote_shapes import openai_chunk, openai_usage_chunk, sse

from playground.config import build_registry, load_config
from playground.runner import run_request
from providers.base import ChatMessage, GenerationRequest

CANARY = "sk-canary-env-0123456789abcdef"
ORG = "org-canary-env"
PROJECT = "proj_canary_env"
SSE = "text/event-stream"


def ask(model: str) -> GenerationRequest:
    return GenerationRequest(model=model, messages=(ChatMessage("user", "Nomme un fromage."),), temperature=0.0,
                             max_tokens=8)


def answer(model: str) -> str:
    return sse([openai_chunk(role="assistant", content="", model=model), openai_chunk("Comté", model=model),
                openai_chunk(finish="stop", model=model), openai_usage_chunk(model=model)])


@pytest.fixture()
def other_server():
    """A second OpenAI-compatible server, configured in secrets.toml beside the env's endpoint."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture()
def sdk_env(monkeypatch, httpserver):
    """The variables set the way a developer sets them for the SDK (read by the SDK at client creation)."""
    monkeypatch.setenv("OPENAI_BASE_URL", httpserver.url_for("/v1"))
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    monkeypatch.setenv("OPENAI_ORG_ID", ORG)
    monkeypatch.setenv("OPENAI_PROJECT_ID", PROJECT)
    monkeypatch.setenv("OPENAI_CUSTOM_HEADERS", "X-Canary-Header: canary-value")
    import os

    return os.environ


def test_openai_base_url_receives_the_key_ids_and_headers(httpserver, sdk_env):
    httpserver.expect_request("/v1/chat/completions", method="POST").respond_with_data(answer("local-model"),
                                                                                       content_type=SSE)
    registry = build_registry(load_config(secrets={}, env=sdk_env))
    result = run_request(registry.get("openai"), ask("openai/local-model"))
    assert result.ok and result.text == "Comté"
    assert registry.describe("openai").address == httpserver.url_for("/v1")
    (request, _), = httpserver.log
    assert request.headers["Authorization"] == f"Bearer {CANARY}"
    assert request.headers["OpenAI-Organization"] == ORG and request.headers["OpenAI-Project"] == PROJECT
    assert request.headers["X-Canary-Header"] == "canary-value"
    assert json.loads(request.get_data())["model"] == "local-model"


def test_a_base_url_alone_configures_openai_for_a_keyless_local_server(httpserver, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", httpserver.url_for("/v1"))
    httpserver.expect_request("/v1/chat/completions", method="POST").respond_with_data(answer("m"), content_type=SSE)
    import os

    registry = build_registry(load_config(secrets={}, env=os.environ))
    assert "openai" in registry.names
    assert run_request(registry.get("openai"), ask("openai/m")).text == "Comté"


def test_nothing_from_the_sdk_env_reaches_another_endpoint(httpserver, other_server, sdk_env):
    other_server.expect_request("/v1/models").respond_with_json(
        {"object": "list", "data": [{"id": "other", "object": "model", "created": 0, "owned_by": "lab"}]})
    other_server.expect_request("/v1/chat/completions", method="POST").respond_with_data(answer("other"),
                                                                                         content_type=SSE)
    secrets = {"openai_compatible": {"lab": {"base_url": other_server.url_for("/v1")}}}
    registry = build_registry(load_config(secrets=secrets, env=sdk_env))
    assert run_request(registry.get("lab"), ask("lab/other")).text == "Comté"
    assert any(r.path == "/v1/chat/completions" for r, _ in other_server.log)
    for request, _ in other_server.log:
        sent = json.dumps(dict(request.headers.items())) + request.get_data(as_text=True)
        for secret in (CANARY, ORG, PROJECT, "canary-value"):
            assert secret not in sent
        assert "OpenAI-Organization" not in request.headers and "X-Canary-Header" not in request.headers
    assert httpserver.log == []  # the env's endpoint was not called either


def test_the_real_llama_cpp_server_through_openai_base_url(llama_server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", llama_server)
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    import os

    registry = build_registry(load_config(secrets={}, env=os.environ))
    assert [m.id for m in registry.get("openai").list_models()] == ["openai/smollm2"]
    result = run_request(registry.get("openai"), ask("openai/smollm2"))
    assert result.ok and result.text.strip()
