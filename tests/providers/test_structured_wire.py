"""JSON output on the wire: Ollama's `format`, OpenAI's `response_format` (exact bodies against a
local server replaying the documented shapes) and a real llama-cpp-python server on loopback."""

from __future__ import annotations

import json

import pytest
from remote_shapes import ndjson, ollama_chat_chunks, openai_chunk, openai_usage_chunk, sse
from test_ollama import make as make_ollama
from test_ollama import serve_basics

from playground.runner import run_request
from providers.base import ChatMessage, GenerationRequest, InvalidRequest, Notice, RequestInfo, TextDelta
from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider
from providers.remote import RetryPolicy, Timeouts
from providers.structured import check_output

SCHEMA = {"type": "object", "properties": {"sigle": {"type": "string"}, "mots": {"type": "array", "items": {"type": "string"}}},
          "required": ["sigle", "mots"], "additionalProperties": False, "title": "Sigle SNCF"}
ANSWER = '{"sigle": "SNCF", "mots": ["Société", "nationale", "des", "chemins de fer", "français"]}'
SSE = "text/event-stream"


def ask(model, **kw) -> GenerationRequest:
    base = dict(model=model, messages=(ChatMessage("user", "Que veut dire SNCF ?"),), temperature=0.0, max_tokens=64)
    base.update(kw)
    return GenerationRequest(**base)


# ---------------------------------------------------------------- Ollama
@pytest.mark.parametrize("schema, fmt", [(SCHEMA, SCHEMA), (None, "json")])
def test_ollama_format_is_the_schema_or_json(httpserver, schema, fmt):
    serve_basics(httpserver)
    prov = make_ollama(httpserver.url_for("/").rstrip("/"))
    expected = {"model": "qwen2.5:1.5b", "messages": [{"role": "user", "content": "Que veut dire SNCF ?"}], "stream": True,
                "options": {"temperature": 0.0, "top_p": 1.0, "top_k": 0, "min_p": 0.0, "num_predict": 64},
                "format": fmt}
    httpserver.expect_request("/api/chat", method="POST", json=expected).respond_with_data(
        ndjson(ollama_chat_chunks([ANSWER[:20], ANSWER[20:]], logprobs=False)), content_type="application/x-ndjson")
    req = ask("ollama/qwen2.5:1.5b", json_output=True, json_schema=json.dumps(schema) if schema else None)
    events = list(prov.stream(req))
    assert isinstance(events[0], RequestInfo) and events[0].payload == expected
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert check_output(text, req.json_schema).ok


def test_ollama_raw_generate_carries_format_too(httpserver):
    serve_basics(httpserver)
    prov = make_ollama(httpserver.url_for("/").rstrip("/"))
    expected = {"model": "qwen2.5:1.5b", "prompt": "SNCF :", "raw": True, "stream": True,
                "options": {"temperature": 0.0, "top_p": 1.0, "top_k": 0, "min_p": 0.0, "num_predict": 64}, "format": "json"}
    httpserver.expect_request("/api/generate", method="POST", json=expected).respond_with_data(
        ndjson(ollama_chat_chunks([ANSWER], logprobs=False, generate=True)), content_type="application/x-ndjson")
    events = list(prov.stream(GenerationRequest(model="ollama/qwen2.5:1.5b", prompt="SNCF :", temperature=0.0,
                                                max_tokens=64, json_output=True)))
    assert events[0].payload == expected


# ---------------------------------------------------------------- OpenAI and OpenAI-compatible
def openai(url, kind):
    return OpenAICompatProvider(OpenAICompatConfig(
        name=kind, kind=kind, base_url=url, api_key="sk-test-structured", models=["m"] if kind == "compatible" else [],
        timeouts=Timeouts(connect=1.0, read=1.5), retry=RetryPolicy(max_retries=0)))


def answer_stream():
    return sse([openai_chunk(role="assistant", content="", model="m"), openai_chunk(ANSWER, model="m"),
                openai_chunk(finish="stop", model="m"), openai_usage_chunk(model="m")])


def test_openai_gets_a_strict_json_schema(httpserver):
    fmt = {"type": "json_schema", "json_schema": {"name": "Sigle_SNCF", "schema": SCHEMA, "strict": True}}
    expected = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Que veut dire SNCF ?"}], "stream": True,
                "stream_options": {"include_usage": True}, "temperature": 0.0, "top_p": 1.0, "max_completion_tokens": 64,
                "response_format": fmt}
    httpserver.expect_request("/v1/chat/completions", method="POST", json=expected).respond_with_data(
        answer_stream(), content_type=SSE)
    events = list(openai(httpserver.url_for("/v1"), "openai").stream(
        ask("openai/gpt-4o-mini", json_output=True, json_schema=json.dumps(SCHEMA))))
    assert events[0].payload == expected
    assert not any(isinstance(e, Notice) and e.code == "schema_not_enforced" for e in events)


def test_openai_plain_json_mode_is_json_object(httpserver):
    httpserver.expect_request("/v1/chat/completions", method="POST").respond_with_data(answer_stream(), content_type=SSE)
    events = list(openai(httpserver.url_for("/v1"), "openai").stream(ask("openai/gpt-4o-mini", json_output=True)))
    assert events[0].payload["response_format"] == {"type": "json_object"}
    body = json.loads(httpserver.log[-1][0].get_data())
    assert body["response_format"] == {"type": "json_object"}


def test_other_servers_get_json_object_with_the_schema_and_a_notice(httpserver):
    expected_fmt = {"type": "json_object", "schema": SCHEMA}
    httpserver.expect_request("/v1/chat/completions", method="POST").respond_with_data(answer_stream(), content_type=SSE)
    events = list(openai(httpserver.url_for("/v1"), "compatible").stream(
        ask("compatible/m", json_output=True, json_schema=json.dumps(SCHEMA))))
    assert json.loads(httpserver.log[-1][0].get_data())["response_format"] == expected_fmt
    notices = [e for e in events if isinstance(e, Notice) and e.code == "schema_not_enforced"]
    assert len(notices) == 1 and "schema" in notices[0].message


def test_bad_schema_never_reaches_the_server(httpserver):
    with pytest.raises(InvalidRequest) as err:
        list(openai(httpserver.url_for("/v1"), "openai").stream(
            ask("openai/gpt-4o-mini", json_output=True, json_schema='{"type": ')))
    assert err.value.code == "schema_not_json"
    assert httpserver.log == []


# ---------------------------------------------------------------- a real llama.cpp server
def test_real_llama_cpp_server_enforces_the_schema(llama_server):
    local = OpenAICompatProvider(OpenAICompatConfig(name="local", kind="compatible", base_url=llama_server))
    schema = {"type": "object", "properties": {"answer": {"type": "string", "maxLength": 30}, "sure": {"type": "boolean"}},
              "required": ["answer", "sure"]}
    for seed in (1, 2):
        req = ask("local/smollm2", json_output=True, json_schema=json.dumps(schema), temperature=0.9, seed=seed,
                  max_tokens=80)
        r = run_request(local, req)
        assert r.ok, r.error
        check = check_output(r.text, req.json_schema)
        assert check.ok, (r.text, check.parse_error, check.schema_errors)
        assert r.request_payload["response_format"] == {"type": "json_object", "schema": schema}
