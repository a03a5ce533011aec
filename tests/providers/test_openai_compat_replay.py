"""OpenAI, Azure OpenAI, OpenRouter and generic endpoints against a local server replaying documented SSE shapes."""

from __future__ import annotations

import json

import pytest
from conftest import free_port
from remote_shapes import (
    Blackhole,
    dropping_response,
    openai_chunk,
    openai_error,
    openai_lp,
    openai_usage_chunk,
    slow_response,
    sse,
)
from werkzeug.wrappers import Response

from playground.runner import run_request
from providers.base import (
    ChatMessage,
    Finished,
    GenerationRequest,
    InvalidRequest,
    Notice,
    ProviderError,
    RequestInfo,
    TextDelta,
)
from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider
from providers.remote import RetryPolicy, Timeouts

SSE = "text/event-stream"
CANARY = "sk-canary-0123456789abcdef"


def make(url: str, kind="openai", name=None, **kw) -> OpenAICompatProvider:
    cfg = dict(name=name or kind, kind=kind, base_url=url, api_key=CANARY, timeouts=Timeouts(connect=1.0, read=1.5),
               retry=RetryPolicy(max_retries=2, base_delay=0.01, max_delay=0.05))
    cfg.update(kw)
    return OpenAICompatProvider(OpenAICompatConfig(**cfg))


def chat(model="openai/gpt-4o-mini", **kw) -> GenerationRequest:
    base = dict(model=model, messages=(ChatMessage("user", "Le gratin dauphinois est un plat"),), system="Réponds en français.",
                temperature=0.2, top_p=0.95, max_tokens=32, seed=7, stop=("###",), top_logprobs=3)
    base.update(kw)
    return GenerationRequest(**base)


def good_stream(model="gpt-4o-mini", usage=True, **usage_kw):
    chunks = [
        openai_chunk(role="assistant", content="", model=model),
        openai_chunk("Un plat", logprobs=openai_lp("Un plat", -0.1, [("Un plat", -0.1), ("Une", -2.4)]), model=model),
        openai_chunk(" savoyard", logprobs=openai_lp(" savoyard", -0.7, [(" savoyard", -0.7), (" du", -1.2)]), model=model),
        openai_chunk(finish="stop", model=model),
    ]
    if usage:
        chunks.append(openai_usage_chunk(model=model, **usage_kw))
    return sse(chunks)


@pytest.fixture()
def url(httpserver):
    return httpserver.url_for("/v1")


# ---------------------------------------------------------------- OpenAI
def test_openai_exact_body_usage_chunk_and_logprobs(httpserver, url):
    expected = {
        "model": "gpt-4o-mini",
        "messages": [{"role": "system", "content": "Réponds en français."},
                     {"role": "user", "content": "Le gratin dauphinois est un plat"}],
        "stream": True, "stream_options": {"include_usage": True},
        "temperature": 0.2, "top_p": 0.95, "max_completion_tokens": 32, "seed": 7, "stop": ["###"],
        "logprobs": True, "top_logprobs": 3,
    }
    httpserver.expect_request("/v1/chat/completions", method="POST", json=expected,
                              headers={"Authorization": f"Bearer {CANARY}"}).respond_with_data(good_stream(), content_type=SSE)
    prov = make(url)
    events = list(prov.stream(chat()))
    assert isinstance(events[0], RequestInfo) and events[0].payload == expected
    assert CANARY not in json.dumps(events[0].payload)
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert "".join(d.text for d in deltas) == "Un plat savoyard"
    assert deltas[1].logprobs[0].token == " savoyard" and [a.token for a in deltas[1].logprobs[0].top] == [" savoyard", " du"]
    fin = events[-1]
    assert isinstance(fin, Finished) and fin.finish_reason == "stop"
    assert (fin.usage.prompt_tokens, fin.usage.completion_tokens, fin.usage.estimated) == (12, 3, False)


def test_openai_capabilities_hide_top_k_min_p_with_reason(url):
    caps = make(url).capabilities("gpt-4o-mini")
    assert "top_k" not in caps.params and "min_p" not in caps.params
    assert "no top_k" in caps.param_notes["top_k"]
    reasoning = make(url).capabilities("o3-mini")
    assert {"temperature", "top_p", "top_logprobs"}.isdisjoint(reasoning.params) and reasoning.max_top_logprobs == 0


def test_openai_model_list_keeps_chat_models(httpserver, url):
    httpserver.expect_request("/v1/models").respond_with_json({"object": "list", "data": [
        {"id": "gpt-4o-mini", "object": "model", "created": 1721172741, "owned_by": "system"},
        {"id": "text-embedding-3-small", "object": "model", "created": 1705948997, "owned_by": "system"},
        {"id": "o3-mini", "object": "model", "created": 1737146383, "owned_by": "system"},
    ]})
    assert [m.id for m in make(url).list_models()] == ["openai/gpt-4o-mini", "openai/o3-mini"]


def test_reasoning_model_refusing_logprobs_still_runs(httpserver, url):
    calls = []

    def handler(req):
        body = json.loads(req.data)
        calls.append(body)
        if body.get("logprobs"):
            return Response(json.dumps(openai_error("logprobs are not supported with reasoning models", param="logprobs")),
                            status=400, content_type="application/json")
        return Response(good_stream(model="my-reasoner"), content_type=SSE)

    httpserver.expect_request("/v1/chat/completions").respond_with_handler(handler)
    prov = make(url, kind="compatible", name="lab", models=("my-reasoner",))
    r = run_request(prov, chat(model="lab/my-reasoner"))
    assert r.ok and r.text == "Un plat savoyard"
    assert any("does not return probabilities" in n for n in r.notes)
    assert "logprobs" not in r.request_payload and len(calls) == 2
    assert prov.capabilities("my-reasoner").max_top_logprobs == 0  # remembered for this model


def test_missing_usage_is_estimated_and_said(httpserver, url):
    httpserver.expect_request("/v1/chat/completions").respond_with_data(good_stream(usage=False), content_type=SSE)
    r = run_request(make(url), chat())
    assert r.ok and r.tokens_estimated and r.completion_tokens == 2  # one server token per logprob entry
    assert r.prompt_tokens is not None and r.prompt_tokens > 0
    assert any("estimate" in n for n in r.notes)


# ---------------------------------------------------------------- Azure
def test_azure_deployment_path_api_version_and_key_header(httpserver):
    expected_q = {"api-version": "2024-10-21"}
    httpserver.expect_request("/openai/deployments/gpt4o-prod/chat/completions", method="POST", query_string=expected_q,
                              headers={"api-key": CANARY}).respond_with_data(good_stream(model="gpt-4o"), content_type=SSE)
    prov = make(None, kind="azure", base_url=None, azure_endpoint=httpserver.url_for("/"), api_version="2024-10-21",
                models=("gpt4o-prod",))
    assert [m.id for m in prov.list_models()] == ["azure/gpt4o-prod"]
    r = run_request(prov, chat(model="azure/gpt4o-prod", top_logprobs=5))
    assert r.ok, r.error
    assert r.request_payload["model"] == "gpt4o-prod" and r.request_payload["max_tokens"] == 32
    assert r.extra["endpoint"].endswith("/chat/completions")


def test_azure_caps_top_logprobs_at_5(httpserver):
    prov = make(None, kind="azure", base_url=None, azure_endpoint=httpserver.url_for("/"), api_version="2024-10-21",
                models=("gpt4o-prod",))
    caps = prov.capabilities("gpt4o-prod")
    assert caps.max_top_logprobs == 5
    with pytest.raises(InvalidRequest, match="at most 5"):
        list(prov.stream(chat(model="azure/gpt4o-prod", top_logprobs=8)))


def test_azure_v1_base_url(httpserver):
    httpserver.expect_request("/openai/v1/chat/completions", method="POST",
                              headers={"Authorization": f"Bearer {CANARY}"}).respond_with_data(good_stream(), content_type=SSE)
    prov = make(httpserver.url_for("/openai/v1/"), kind="azure", models=("gpt4o-prod",))
    assert run_request(prov, chat(model="azure/gpt4o-prod")).ok


def test_azure_unknown_deployment(httpserver):
    httpserver.expect_request("/openai/deployments/nope/chat/completions").respond_with_json(
        {"error": {"code": "DeploymentNotFound", "message": "The API deployment for this resource does not exist."}}, status=404)
    prov = make(None, kind="azure", base_url=None, azure_endpoint=httpserver.url_for("/"), api_version="2024-10-21")
    r = run_request(prov, chat(model="azure/nope"))
    assert r.error_kind == "model_not_found" and "Deployment “nope”" in r.error and prov.label in r.error


# ---------------------------------------------------------------- OpenRouter
def test_openrouter_cost_and_serving_provider(httpserver, url):
    model = "meta-llama/llama-3.2-3b-instruct"
    chunks = [openai_chunk("Bonjour", model=model, extra={"provider": "DeepInfra"}),
              openai_chunk(finish="stop", model=model, extra={"provider": "DeepInfra"}),
              openai_usage_chunk(prompt=20, completion=1, model=model, usage_extra={"cost": 0.0000042, "is_byok": False},
                                 extra={"provider": "DeepInfra"})]
    httpserver.expect_request("/v1/chat/completions", json={
        "model": model, "messages": [{"role": "user", "content": "Salut"}], "stream": True,
        "stream_options": {"include_usage": True}, "temperature": 0.7, "top_p": 1.0, "top_k": 20, "min_p": 0.1,
        "max_tokens": 16, "logprobs": True, "top_logprobs": 2,
    }).respond_with_data(sse(chunks), content_type=SSE)
    prov = make(url, kind="openrouter")
    r = run_request(prov, GenerationRequest(model=f"openrouter/{model}", messages=(ChatMessage("user", "Salut"),),
                                            max_tokens=16, top_k=20, min_p=0.1, top_logprobs=2))
    assert r.ok, r.error
    assert r.extra["cost"] == 0.0000042 and r.extra["served_by"] == "DeepInfra"
    assert any("No probabilities came back" in n and "DeepInfra" in n for n in r.notes)  # logprobs null, no error


# ---------------------------------------------------------------- generic server + completions
def test_raw_prompt_uses_completions_with_integer_logprobs(httpserver, url):
    chunk = {"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "base",
             "choices": [{"index": 0, "text": " plat", "finish_reason": None,
                          "logprobs": {"tokens": [" plat"], "token_logprobs": [-0.5], "text_offset": [0],
                                       "top_logprobs": [{" plat": -0.5, " mets": -1.5}]}}]}
    last = {"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "base",
            "choices": [{"index": 0, "text": "", "finish_reason": "length", "logprobs": None}]}
    httpserver.expect_request("/v1/completions", json={
        "model": "base", "prompt": "Le gratin est un", "stream": True, "stream_options": {"include_usage": True},
        "temperature": 0.7, "top_p": 1.0, "top_k": 0, "min_p": 0.0, "max_tokens": 4, "logprobs": 2,
    }).respond_with_data(sse([chunk, last]), content_type=SSE)
    prov = make(url, kind="compatible", name="lab", models=("base",), completion_models=("base",), api_key=None)
    assert prov.capabilities("base").mode == "completion"
    r = run_request(prov, GenerationRequest(model="lab/base", prompt="Le gratin est un", max_tokens=4, top_logprobs=2))
    assert r.ok and r.text == " plat" and [a.token for a in r.logprobs[0].top] == [" plat", " mets"]


def test_keyless_endpoint_never_gets_the_environment_key(httpserver, url, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-canary-999999")
    httpserver.expect_request("/v1/models").respond_with_json({"object": "list", "data": []})
    make(url, kind="compatible", name="lab", api_key=None).list_models()
    req, _ = httpserver.log[-1]
    assert "sk-env-canary" not in json.dumps(dict(req.headers))


# ---------------------------------------------------------------- faults
def test_401_message_is_clear_and_scrubbed(httpserver, url):
    httpserver.expect_request("/v1/chat/completions").respond_with_json(
        openai_error(f"Incorrect API key provided: {CANARY[:7]}*****cdef. You can find your API key at https://platform.openai.com/account/api-keys.",
                     code="invalid_api_key"), status=401)
    r = run_request(make(url), chat())
    assert r.error_kind == "auth" and "HTTP 401" in r.error and "gpt-4o-mini" in r.error
    assert CANARY not in r.error and CANARY[:7] not in r.error


def test_403(httpserver, url):
    httpserver.expect_request("/v1/chat/completions").respond_with_json(openai_error("Forbidden", type_="permission_error"), status=403)
    assert run_request(make(url), chat()).error_kind == "auth"


def test_404_unknown_model_names_model_and_host(httpserver, url):
    httpserver.expect_request("/v1/chat/completions").respond_with_json(
        openai_error("The model `gpt-9` does not exist or you do not have access to it.", code="model_not_found"), status=404)
    prov = make(url)
    r = run_request(prov, chat(model="openai/gpt-9"))
    assert r.error_kind == "model_not_found" and "gpt-9" in r.error and prov.label in r.error


def test_429_retry_after_then_success(httpserver, url):
    calls = []

    def handler(req):
        calls.append(1)
        if len(calls) < 3:
            return Response(json.dumps(openai_error("Rate limit reached", type_="requests", code="rate_limit_exceeded")),
                            status=429, headers={"retry-after-ms": "20"}, content_type="application/json")
        return Response(good_stream(), content_type=SSE)

    httpserver.expect_request("/v1/chat/completions").respond_with_handler(handler)
    events = list(make(url).stream(chat()))
    assert [e.code for e in events if isinstance(e, Notice)] == ["retry", "retry"]
    assert "429" in events[1].message and "retrying in" in events[1].message and "attempt 1 of 2" in events[1].message
    assert isinstance(events[-1], Finished) and len(calls) == 3


def test_429_exhausted_says_when_to_retry(httpserver, url):
    httpserver.expect_request("/v1/chat/completions").respond_with_json(
        openai_error("Rate limit reached"), status=429, headers={"Retry-After": "20"})
    r = run_request(make(url), chat())
    assert r.error_kind == "rate_limited" and "retry in about 20 s" in r.error


@pytest.mark.parametrize("status", [500, 503])
def test_5xx(httpserver, url, status):
    httpserver.expect_request("/v1/chat/completions").respond_with_json(openai_error("The server had an error", type_="server_error"), status=status)
    r = run_request(make(url), chat())
    assert r.error_kind == "server" and f"HTTP {status}" in r.error


@pytest.mark.parametrize("status,cls", [(400, "InvalidRequest"), (403, "AuthenticationFailed"), (404, "ModelNotFound"),
                                        (429, "RateLimited"), (500, "ServerError"), (503, "ServerError")])
def test_errors_carry_the_http_status(httpserver, url, status, cls):
    httpserver.expect_request("/v1/chat/completions").respond_with_json(openai_error("nope"), status=status)
    with pytest.raises(ProviderError) as info:
        list(make(url).stream(chat(top_logprobs=0)))
    assert type(info.value).__name__ == cls and info.value.status == status


def test_prompt_over_context(httpserver, url):
    httpserver.expect_request("/v1/chat/completions").respond_with_json(openai_error(
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
        code="context_length_exceeded", param="messages"), status=400)
    r = run_request(make(url), chat())
    assert r.error_kind == "invalid_request" and "too long" in r.error


def test_rejected_parameter(httpserver, url):
    httpserver.expect_request("/v1/chat/completions").respond_with_json(openai_error(
        "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.",
        code="unsupported_value", param="temperature"), status=400)
    r = run_request(make(url), chat(top_logprobs=0))
    assert r.error_kind == "invalid_request" and "temperature" in r.error


def test_error_event_mid_stream_keeps_text(httpserver, url):
    body = sse([openai_chunk("Un plat"), {"error": {"message": "The server had an error while processing your request.", "type": "server_error"}}], done=False)
    httpserver.expect_request("/v1/chat/completions").respond_with_data(body, content_type=SSE)
    r = run_request(make(url), chat())
    assert r.text == "Un plat" and r.error_kind == "interrupted"


def test_malformed_chunk(httpserver, url):
    body = sse([openai_chunk("Un plat")], done=False) + 'data: {"id": "chatcmpl-AbC123", "choices": [\n\n'
    httpserver.expect_request("/v1/chat/completions").respond_with_data(body, content_type=SSE)
    r = run_request(make(url), chat())
    assert r.text == "Un plat" and r.error_kind == "interrupted" and "malformed" in r.error


def test_stream_dropped_mid_way(httpserver, url):
    first = sse([openai_chunk("Un plat"), openai_chunk(" du")], done=False)
    httpserver.expect_request("/v1/chat/completions").respond_with_handler(lambda req: dropping_response(first, SSE))
    r = run_request(make(url), chat())
    assert r.text == "Un plat du" and r.error_kind == "interrupted"
    assert r.tokens_estimated and r.completion_tokens  # counted on the client, said to be an estimate


def test_stream_without_finish_reason_is_interrupted(httpserver, url):
    httpserver.expect_request("/v1/chat/completions").respond_with_data(sse([openai_chunk("Un")]), content_type=SSE)
    r = run_request(make(url), chat())
    assert r.text == "Un" and r.error_kind == "interrupted" and "ended before" in r.error


def test_read_timeout_mid_stream(httpserver, url):
    first = sse([openai_chunk("Lent")], done=False)
    httpserver.expect_request("/v1/chat/completions").respond_with_handler(lambda req: slow_response(first, SSE, 3.0))
    r = run_request(make(url), chat())
    assert r.text == "Lent" and r.error_kind == "interrupted"


def test_empty_reply(httpserver, url):
    httpserver.expect_request("/v1/chat/completions").respond_with_data(
        sse([openai_chunk(role="assistant", content=""), openai_chunk(finish="stop"), openai_usage_chunk(completion=0)]), content_type=SSE)
    r = run_request(make(url), chat())
    assert r.ok and r.text == "" and any("empty reply" in n for n in r.notes)


def test_connection_refused():
    r = run_request(make(f"http://127.0.0.1:{free_port()}/v1"), chat())
    assert r.error_kind == "unavailable" and "connection refused" in r.error and "gpt-4o-mini" in r.error


def test_unknown_host():
    r = run_request(make("http://no-such-host.invalid/v1"), chat())
    assert r.error_kind == "unavailable" and "Unknown host" in r.error


def test_connect_timeout():
    hole = Blackhole()
    try:
        r = run_request(make(f"http://127.0.0.1:{hole.port}/v1", timeouts=Timeouts(connect=0.5, read=1.0)), chat())
    finally:
        hole.close()
    assert r.error_kind == "unavailable" and "connect timeout" in r.error


def test_canary_key_never_in_results_or_errors(httpserver, url):
    httpserver.expect_request("/v1/chat/completions").respond_with_json(
        openai_error(f"bad key {CANARY} (Bearer {CANARY})"), status=401)
    prov = make(url)
    r = run_request(prov, chat())
    dumped = json.dumps(r.to_dict())
    assert CANARY not in dumped and CANARY not in repr(prov.config)


def test_stop_button_cancels_and_keeps_partial_text(httpserver, url):
    import threading

    first = sse([openai_chunk("Un début")], done=False)
    httpserver.expect_request("/v1/chat/completions").respond_with_handler(lambda req: slow_response(first, SSE, 1.0))
    cancel = threading.Event()

    def on_event(ev, meter):
        if isinstance(ev, TextDelta) and ev.text:
            cancel.set()

    prov = make(url, timeouts=Timeouts(connect=1.0, read=5.0))
    r = run_request(prov, chat(), cancel=cancel, on_event=on_event)
    assert r.text == "Un début" and r.finish_reason == "cancelled" and r.error is None


def test_server_rejecting_stream_options_runs_with_estimated_usage(httpserver, url):
    def handler(req):
        body = json.loads(req.data)
        if "stream_options" in body:
            return Response(json.dumps({"detail": [{"loc": ["body", "stream_options"], "msg": "extra fields not permitted"}]}),
                            status=422, content_type="application/json")
        return Response(good_stream(usage=False), content_type=SSE)

    httpserver.expect_request("/v1/chat/completions").respond_with_handler(handler)
    prov = make(url, kind="compatible", name="old", models=("m",))
    r = run_request(prov, chat(model="old/m"))
    assert r.ok and r.text == "Un plat savoyard" and r.tokens_estimated
    assert "stream_options" not in r.request_payload and any("stream_options" in n for n in r.notes)


def test_server_without_models_endpoint_still_runs(httpserver, url):
    httpserver.expect_request("/v1/models").respond_with_data("Not Found", status=404)
    httpserver.expect_request("/v1/chat/completions").respond_with_data(good_stream(model="m"), content_type=SSE)
    r = run_request(make(url, kind="compatible", name="bare"), chat(model="bare/m"))
    assert r.ok and r.text == "Un plat savoyard"


# ---------------------------------------------------------------- SSE reading (our own parser, issue 5 speed-up)
def test_sse_comments_fields_and_multiline_data_are_read_like_the_sdk(httpserver, url):
    # OpenRouter sends ": OPENROUTER PROCESSING" keep-alive comments; SSE allows `event:`/`id:` fields,
    # "data:" without the space, CRLF line ends and one event split over several data lines.
    split = json.dumps(openai_chunk(" savoyard")).replace(', "model"', ',\ndata: "model"', 1)
    body = (": OPENROUTER PROCESSING\n\n"
            f"id: 1\nevent: message\ndata:{json.dumps(openai_chunk('Un plat'))}\r\n\r\n"
            + "".join(f"data: {line}\n" for line in split.split("\ndata: ")) + "\n"
            + sse([openai_chunk(finish="stop"), openai_usage_chunk()]))
    httpserver.expect_request("/v1/chat/completions").respond_with_data(body, content_type=SSE)
    r = run_request(make(url), chat(top_logprobs=0))
    assert r.ok, r.error
    assert r.text == "Un plat savoyard" and not r.tokens_estimated


def test_chunk_of_the_wrong_shape_is_malformed_and_keeps_text(httpserver, url):
    body = sse([openai_chunk("Un plat"), {"choices": ["not an object"]}], done=False)
    httpserver.expect_request("/v1/chat/completions").respond_with_data(body, content_type=SSE)
    r = run_request(make(url), chat())
    assert r.text == "Un plat" and r.error_kind == "interrupted" and "malformed" in r.error


def test_json_that_is_not_an_object_is_malformed(httpserver, url):
    body = 'data: ["Un plat"]\n\n'
    httpserver.expect_request("/v1/chat/completions").respond_with_data(body, content_type=SSE)
    r = run_request(make(url), chat())
    assert r.error_kind == "server" and "malformed" in r.error and r.text == ""



def test_azure_reasoning_deployment_refusing_max_tokens_and_temperature_still_runs(httpserver):
    """An o-series deployment refuses max_tokens, then temperature: each is dropped (and said),
    the column still answers, and the next request goes right the first time."""
    calls = []

    def handler(req):
        body = json.loads(req.data)
        calls.append(body)
        if "max_tokens" in body:
            return Response(json.dumps(openai_error(
                "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
                param="max_tokens")), status=400, content_type="application/json")
        return Response(good_stream(model="o3-mini"), content_type=SSE)

    httpserver.expect_request("/openai/deployments/reasoner/chat/completions").respond_with_handler(handler)
    prov = make(None, kind="azure", base_url=None, azure_endpoint=httpserver.url_for("/"), api_version="2024-12-01-preview",
                models=("reasoner",))
    r = run_request(prov, chat(model="azure/reasoner", top_logprobs=0))
    assert r.ok, r.error
    assert r.request_payload["max_completion_tokens"] == 32 and "max_tokens" not in r.request_payload
    assert any("max_tokens" in n for n in r.notes) and len(calls) == 2
    again = run_request(prov, chat(model="azure/reasoner", top_logprobs=0))
    assert again.ok and len(calls) == 3  # learned: no second refusal
