"""Ollama provider against a local HTTP server replaying the documented native-API shapes."""

from __future__ import annotations

import json

import pytest
from conftest import free_port
from remote_shapes import (
    OLLAMA_TAGS,
    Blackhole,
    dropping_response,
    ndjson,
    ollama_chat_chunks,
    ollama_show,
    slow_response,
)
from werkzeug.wrappers import Response

from playground.runner import run_request
from providers.base import ChatMessage, Finished, GenerationRequest, Notice, ProviderError, RequestInfo, TextDelta
from providers.ollama import OllamaConfig, OllamaProvider, normalise_host
from providers.remote import RetryPolicy, Timeouts

NDJSON = "application/x-ndjson"


def make(url: str, **kw) -> OllamaProvider:
    cfg = dict(name="ollama", host=url, timeouts=Timeouts(connect=1.0, read=1.5),
               retry=RetryPolicy(max_retries=2, base_delay=0.01, max_delay=0.05))
    cfg.update(kw)
    return OllamaProvider(OllamaConfig(**cfg))


def serve_basics(httpserver, version="0.12.11", template=None):
    httpserver.expect_request("/api/tags", method="GET").respond_with_json(OLLAMA_TAGS)
    httpserver.expect_request("/api/version", method="GET").respond_with_json({"version": version})
    show = ollama_show() if template is None else ollama_show(template=template)
    httpserver.expect_request("/api/show", method="POST").respond_with_json(show)


@pytest.fixture()
def prov(httpserver):
    serve_basics(httpserver)
    return make(httpserver.url_for("/").rstrip("/"))


def chat(model="ollama/qwen2.5:1.5b", **kw) -> GenerationRequest:
    base = dict(model=model, messages=(ChatMessage("user", "La souris de l'ordinateur est un"),),
                temperature=0.3, top_p=0.9, top_k=40, min_p=0.05, max_tokens=64, seed=42, stop=("\n\n",), top_logprobs=2)
    base.update(kw)
    return GenerationRequest(**base)


def test_host_forms_are_normalised():
    assert normalise_host("gpu:11434") == "http://gpu:11434"
    assert normalise_host("0.0.0.0") == "http://127.0.0.1:11434"
    assert normalise_host("https://ollama.example.org") == "https://ollama.example.org:443"
    assert normalise_host(":5000") == "http://127.0.0.1:5000"
    # behind a reverse proxy: the path prefix is kept (trailing slash, query and fragment dropped)
    assert normalise_host("https://host.example/ollama") == "https://host.example:443/ollama"
    assert normalise_host("https://host.example/ollama/") == "https://host.example:443/ollama"
    assert normalise_host("gpu:11434/llm/ollama?x=1") == "http://gpu:11434/llm/ollama"


def test_ollama_behind_a_reverse_proxy_path(httpserver):
    # every native-API call goes under the prefix: listing, version, show, chat
    prefix = "/proxy/ollama"
    httpserver.expect_request(f"{prefix}/api/tags", method="GET").respond_with_json(OLLAMA_TAGS)
    httpserver.expect_request(f"{prefix}/api/version", method="GET").respond_with_json({"version": "0.12.11"})
    httpserver.expect_request(f"{prefix}/api/show", method="POST").respond_with_json(ollama_show())
    httpserver.expect_request(f"{prefix}/api/chat", method="POST").respond_with_data(
        ndjson(ollama_chat_chunks(["Bonjour"], logprobs=False)), content_type=NDJSON)
    prov = make(httpserver.url_for(prefix) + "/")
    assert prov.label.endswith(prefix)
    assert [m.id for m in prov.list_models()][:1] and prov.probe()["reachable"]
    r = run_request(prov, chat(top_logprobs=0))
    assert r.ok and r.text == "Bonjour", r.error
    assert all(req.path.startswith(prefix + "/api/") for req, _ in httpserver.log)


def test_models_and_details_from_tags_and_show(prov):
    models = prov.list_models()
    assert [m.id for m in models] == ["ollama/qwen2.5:1.5b", "ollama/gemma3:270m"]
    assert models[0].details["parameter_size"] == "1.5B" and models[0].details["quantization"] == "Q4_K_M"
    caps = prov.capabilities("qwen2.5:1.5b")
    assert caps.mode == "chat" and caps.context_length == 32768
    assert caps.details["family"] == "qwen2" and "tools" in caps.details["capabilities"]
    assert caps.raw_logprobs and caps.max_top_logprobs == 20


def test_base_model_without_template_is_completion(httpserver):
    serve_basics(httpserver, template="{{ .Prompt }}")
    assert make(httpserver.url_for("/").rstrip("/")).capabilities("gemma3:270m").mode == "completion"


def test_chat_stream_sends_exact_options_and_maps_logprobs_and_ns_timings(prov, httpserver):
    expected = {
        "model": "qwen2.5:1.5b",
        "messages": [{"role": "user", "content": "La souris de l'ordinateur est un"}],
        "stream": True,
        "options": {"temperature": 0.3, "top_p": 0.9, "top_k": 40, "min_p": 0.05, "num_predict": 64, "seed": 42,
                    "stop": ["\n\n"]},
        "logprobs": True,
        "top_logprobs": 2,
    }
    httpserver.expect_request("/api/chat", method="POST", json=expected).respond_with_data(
        ndjson(ollama_chat_chunks([" périphérique", " d'entrée", "."])), content_type=NDJSON)
    events = list(prov.stream(chat()))
    info = events[0]
    assert isinstance(info, RequestInfo) and info.payload == expected and info.endpoint.endswith("/api/chat")
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert "".join(d.text for d in deltas) == " périphérique d'entrée."
    first = deltas[0].logprobs[0]
    assert first.token == " périphérique" and first.logprob == -0.25
    assert [a.token for a in first.top] == [" périphérique", "X"]
    fin = events[-1]
    assert isinstance(fin, Finished)
    assert fin.usage.prompt_tokens == 26 and fin.usage.completion_tokens == 3 and not fin.usage.estimated
    assert fin.server_timings == {"load_ms": 1.335, "prompt_eval_ms": 342.546, "eval_ms": 4535.599, "total_ms": 4883.583}
    assert fin.finish_reason == "stop"
    assert "cold_load" not in fin.extra


def test_cold_load_is_flagged_and_cached_prompt_count_is_none(prov, httpserver):
    chunks = ollama_chat_chunks(["Oui"], logprobs=False, load_ns=4_000_000_000, prompt_eval_count=None)
    httpserver.expect_request("/api/chat", method="POST").respond_with_data(ndjson(chunks), content_type=NDJSON)
    r = run_request(prov, chat(top_logprobs=0))
    assert r.ok and r.extra["cold_load"] is True
    assert any("Cold load" in n for n in r.notes)
    assert r.prompt_tokens is None  # cached prompt: unknown, not zero
    assert r.server_timings["load_ms"] == 4000.0


def test_raw_prompt_goes_to_generate_with_raw_true(prov, httpserver):
    expected = {"model": "gemma3:270m", "prompt": "Le gratin dauphinois est un plat", "raw": True, "stream": True,
                "options": {"temperature": 0.7, "top_p": 1.0, "top_k": 0, "min_p": 0.0, "num_predict": 8, "num_ctx": 2048}}
    httpserver.expect_request("/api/generate", method="POST", json=expected).respond_with_data(
        ndjson(ollama_chat_chunks([" savoyard"], logprobs=False, generate=True, model="gemma3:270m")), content_type=NDJSON)
    r = run_request(prov, GenerationRequest(model="ollama/gemma3:270m", prompt="Le gratin dauphinois est un plat",
                                            max_tokens=8, num_ctx=2048))
    assert r.ok, r.error
    assert r.text == " savoyard" and r.request_payload == expected


def test_old_server_without_logprobs_gets_a_note_not_an_error(httpserver):
    serve_basics(httpserver, version="0.6.2")
    prov = make(httpserver.url_for("/").rstrip("/"))
    caps = prov.capabilities("qwen2.5:1.5b")
    assert "top_logprobs" not in caps.params and "too old" in caps.param_notes["top_logprobs"]
    httpserver.expect_request("/api/chat", method="POST").respond_with_data(
        ndjson(ollama_chat_chunks(["Bonjour"], logprobs=False)), content_type=NDJSON)
    r = run_request(prov, chat())
    assert r.ok and r.text == "Bonjour" and r.logprobs == []
    assert any("too old for probabilities" in n for n in r.notes)
    assert "logprobs" not in r.request_payload


def test_unknown_version_server_that_ignores_logprobs_is_detected(httpserver):
    httpserver.expect_request("/api/tags").respond_with_json(OLLAMA_TAGS)
    httpserver.expect_request("/api/version").respond_with_data("404 page not found", status=404)
    httpserver.expect_request("/api/show").respond_with_json(ollama_show())
    httpserver.expect_request("/api/chat").respond_with_data(
        ndjson(ollama_chat_chunks(["Salut"], logprobs=False)), content_type=NDJSON)
    r = run_request(make(httpserver.url_for("/").rstrip("/")), chat())
    assert r.ok and r.text == "Salut"
    assert any("too old for probabilities" in n for n in r.notes)


def test_error_line_mid_stream_keeps_partial_text(prov, httpserver):
    chunks = ollama_chat_chunks(["Le ", "camembert"], logprobs=False)[:2]
    body = ndjson(chunks) + json.dumps({"error": "an error was encountered while running the model: CUDA error"}) + "\n"
    httpserver.expect_request("/api/chat").respond_with_data(body, content_type=NDJSON)
    r = run_request(prov, chat())
    assert r.text == "Le camembert"
    assert r.error_kind == "interrupted" and "CUDA error" in r.error and "qwen2.5:1.5b" in r.error


def test_malformed_chunk(prov, httpserver):
    body = ndjson(ollama_chat_chunks(["Bon"], logprobs=False)[:1]) + '{"model": "qwen2.5:1.5b", "message": {\n'
    httpserver.expect_request("/api/chat").respond_with_data(body, content_type=NDJSON)
    r = run_request(prov, chat())
    assert r.text == "Bon" and r.error_kind == "interrupted" and "malformed" in r.error


def test_stream_dropped_mid_way(prov, httpserver):
    first = ndjson(ollama_chat_chunks(["Le ", "riz"], logprobs=False)[:2])
    httpserver.expect_request("/api/chat").respond_with_handler(lambda req: dropping_response(first, NDJSON))
    r = run_request(prov, chat())
    assert r.text == "Le riz" and r.error_kind == "interrupted"
    assert r.tokens_estimated and r.completion_tokens == 2  # counted from the chunks received


def test_stream_ending_without_done_is_interrupted(prov, httpserver):
    httpserver.expect_request("/api/chat").respond_with_data(
        ndjson(ollama_chat_chunks(["Le "], logprobs=False)[:1]), content_type=NDJSON)
    r = run_request(prov, chat())
    assert r.text == "Le " and r.error_kind == "interrupted" and "ended before" in r.error


def test_read_timeout_mid_stream(prov, httpserver):
    first = ndjson(ollama_chat_chunks(["Lent"], logprobs=False)[:1])
    httpserver.expect_request("/api/chat").respond_with_handler(lambda req: slow_response(first, NDJSON, 3.0))
    r = run_request(prov, chat())
    assert r.text == "Lent" and r.error_kind == "interrupted" and "read timeout" in r.error


def test_empty_reply_is_said(prov, httpserver):
    httpserver.expect_request("/api/chat").respond_with_data(ndjson(ollama_chat_chunks([], logprobs=False)), content_type=NDJSON)
    r = run_request(prov, chat())
    assert r.ok and r.text == "" and any("empty reply" in n for n in r.notes)


def test_unknown_model_names_model_and_host(prov, httpserver):
    httpserver.clear()
    httpserver.expect_request("/api/version").respond_with_json({"version": "0.12.11"})
    httpserver.expect_request("/api/show").respond_with_json({"error": "model 'mistral:7b' not found"}, status=404)
    r = run_request(prov, chat(model="ollama/mistral:7b"))
    assert r.error_kind == "model_not_found"
    assert "mistral:7b" in r.error and prov.label in r.error and "ollama pull" in r.error


def test_prompt_over_context(prov, httpserver):
    httpserver.expect_request("/api/chat").respond_with_json(
        {"error": "the input length exceeds the context length"}, status=400)
    r = run_request(prov, chat())
    assert r.error_kind == "invalid_request" and "too long" in r.error


def test_rejected_parameter(prov, httpserver):
    httpserver.expect_request("/api/chat").respond_with_json(
        {"error": "json: cannot unmarshal string into Go struct field Options.options.seed of type int"}, status=400)
    r = run_request(prov, chat())
    assert r.error_kind == "invalid_request" and "seed" in r.error and "qwen2.5:1.5b" in r.error


@pytest.mark.parametrize("status,kind", [(401, "auth"), (403, "auth"), (500, "server")])
def test_http_errors(prov, httpserver, status, kind):
    httpserver.expect_request("/api/chat").respond_with_json({"error": "nope"}, status=status)
    r = run_request(prov, chat())
    assert r.error_kind == kind and f"HTTP {status}" in r.error


@pytest.mark.parametrize("status,cls", [(400, "InvalidRequest"), (401, "AuthenticationFailed"), (404, "ModelNotFound"),
                                        (429, "RateLimited"), (500, "ServerError"), (503, "ServerError")])
def test_errors_carry_the_http_status(prov, httpserver, status, cls):
    httpserver.expect_request("/api/chat").respond_with_json({"error": "nope"}, status=status)
    with pytest.raises(ProviderError) as info:
        list(prov.stream(chat()))
    assert type(info.value).__name__ == cls and info.value.status == status


def test_503_then_success_retries_with_a_notice(prov, httpserver):
    calls = []

    def handler(req):
        calls.append(1)
        if len(calls) == 1:
            return Response(json.dumps({"error": "server busy"}), status=503, content_type="application/json")
        return Response(ndjson(ollama_chat_chunks(["Ok"], logprobs=False)), content_type=NDJSON)

    httpserver.expect_request("/api/chat").respond_with_handler(handler)
    events = list(prov.stream(chat(top_logprobs=0)))
    retries = [e for e in events if isinstance(e, Notice) and e.code == "retry"]
    assert len(retries) == 1 and "503" in retries[0].message and len(calls) == 2
    assert isinstance(events[-1], Finished)


def test_429_retries_are_bounded_and_say_when_to_retry(prov, httpserver):
    httpserver.expect_request("/api/chat").respond_with_json({"error": "too many requests"}, status=429,
                                                             headers={"Retry-After": "7"})
    events = []
    r = run_request(prov, chat(), on_event=lambda ev, m: events.append(ev))
    assert [e.code for e in events if isinstance(e, Notice)] == ["retry", "retry"]
    assert r.error_kind == "rate_limited" and "HTTP 429" in r.error


def test_connection_refused():
    prov = make(f"http://127.0.0.1:{free_port()}")
    r = run_request(prov, chat())
    assert r.error_kind == "unavailable" and "connection refused" in r.error and "qwen2.5:1.5b" in r.error
    with pytest.raises(Exception) as exc:
        prov.list_models()
    assert "Cannot connect" in str(exc.value)


def test_unknown_host():
    prov = make("http://no-such-host.invalid:11434")
    r = run_request(prov, chat())
    assert r.error_kind == "unavailable" and "Unknown host" in r.error and "no-such-host.invalid" in r.error


def test_connect_timeout():
    hole = Blackhole()
    try:
        prov = make(f"http://127.0.0.1:{hole.port}", timeouts=Timeouts(connect=0.5, read=1.0))
        r = run_request(prov, chat())
    finally:
        hole.close()
    assert r.error_kind == "unavailable" and "connect timeout" in r.error


def test_env_key_is_not_sent_to_a_configured_host(httpserver, monkeypatch):
    monkeypatch.setenv("OLLAMA_API_KEY", "canary-ollama-env-key")
    serve_basics(httpserver)
    prov = make(httpserver.url_for("/").rstrip("/"))
    prov.list_models()
    req, _ = httpserver.log[-1]
    assert "authorization" not in {k.lower() for k in req.headers.keys()}
    with_key = make(httpserver.url_for("/").rstrip("/"), api_key="configured-key-123")
    with_key.list_models()
    req, _ = httpserver.log[-1]
    assert req.headers["Authorization"] == "Bearer configured-key-123"


def test_probe_reports_version_count_latency(prov):
    p = prov.probe()
    assert p["reachable"] and p["version"] == "0.12.11" and p["models"] == 2 and p["latency_ms"] >= 0


def test_stop_button_cancels_and_keeps_partial_text(prov, httpserver):
    import threading

    first = ndjson(ollama_chat_chunks(["Un début"], logprobs=False)[:1])
    httpserver.expect_request("/api/chat").respond_with_handler(lambda req: slow_response(first, NDJSON, 1.0))
    cancel = threading.Event()
    r = run_request(prov, chat(), cancel=cancel,
                    on_event=lambda ev, m: cancel.set() if isinstance(ev, TextDelta) and ev.text else None)
    assert r.text == "Un début" and r.finish_reason == "cancelled" and r.error is None
