"""Messages that say what really happened, against local servers replaying the exact wire shapes:
an HTML error page, a 404 on the model list, a key with a line break, an empty 200 stream
(llama.cpp's server past its context), and the real duration of a run that timed out."""

from __future__ import annotations

import logging

import pytest
from remote_shapes import ndjson, ollama_chat_chunks, ollama_show, openai_chunk, slow_response, sse

from playground.config import load_config
from playground.runner import run_request
from providers.base import ChatMessage, GenerationRequest
from providers.config_values import ConfigError
from providers.ollama import OllamaConfig, OllamaProvider
from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider
from providers.remote import RetryPolicy, Timeouts
from ui.widgets import error_text

FAST = dict(timeouts=Timeouts(connect=1.0, read=2.0), retry=RetryPolicy(max_retries=0))
NGINX_500 = ("<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal "
             "Server Error</h1></center>\r\n<hr><center>nginx/1.25.3 (internal-gw-7.corp.local)</center>\r\n"
             + "<!-- padding -->\r\n" * 40 + "</body>\r\n</html>\r\n")


def chat(model: str) -> GenerationRequest:
    return GenerationRequest(model=model, messages=(ChatMessage("user", "Bonjour"),), max_tokens=8)


def compatible(url: str, **kw) -> OpenAICompatProvider:
    cfg = dict(name="lab", base_url=url, models=("m",), **FAST)
    cfg.update(kw)
    return OpenAICompatProvider(OpenAICompatConfig(**cfg))


def test_an_html_error_page_is_summed_up_and_logged(httpserver, caplog):
    httpserver.expect_request("/v1/chat/completions").respond_with_data(NGINX_500, status=500, content_type="text/html")
    with caplog.at_level(logging.WARNING, logger="providers.remote"):
        r = run_request(compatible(httpserver.url_for("/v1")), chat("lab/m"))
    assert r.error_kind == "server" and "HTTP 500" in r.error
    for shown in (r.error, error_text(r, "fr"), error_text(r, "en")):
        assert "<html" not in shown and "<center>" not in shown and "internal-gw-7" not in shown
        assert "500 Internal Server Error" in shown  # the page's title is the short reason
    assert "page d'erreur HTML" in error_text(r, "fr")
    assert "internal-gw-7" in caplog.text  # the whole page is in the server log


def test_an_ollama_host_without_a_model_list_says_so(httpserver):
    httpserver.expect_request("/api/tags").respond_with_data("404 page not found", status=404)
    probe = OllamaProvider(OllamaConfig(host=httpserver.url_for("/").rstrip("/"), **FAST)).probe()
    assert not probe["reachable"]
    assert "no model list" in probe["error"] and "/api/tags" in probe["error"]
    assert "ollama pull" not in probe["error"] and "(model list)" not in probe["error"]
    assert "Model the model list" not in probe["error"]


def test_an_openai_style_host_without_a_model_list_says_so(httpserver):
    httpserver.expect_request("/models").respond_with_data("Not Found", status=404)
    probe = compatible(httpserver.url_for("/"), models=()).probe()
    assert not probe["reachable"] and "no model list" in probe["error"] and "base URL" in probe["error"]
    assert "Model the model list" not in probe["error"]


def test_a_key_with_a_trailing_newline_is_sent_without_it(httpserver):
    httpserver.expect_request("/v1/chat/completions", headers={"Authorization": "Bearer sk-pasted-0123456789"}) \
        .respond_with_data(sse([openai_chunk("Salut"), openai_chunk(finish="stop")]), content_type="text/event-stream")
    r = run_request(compatible(httpserver.url_for("/v1"), api_key="sk-pasted-0123456789\n"), chat("lab/m"))
    assert r.error is None and r.text == "Salut"


@pytest.mark.parametrize("key, what", [("sk-pasted\n0123456789", "a line break"), ("sk-pasted 0123456789", "a space"),
                                       ("sk-pasted’0123456789", "non-ASCII")])
def test_a_key_that_cannot_be_sent_says_so_not_connection_refused(httpserver, key, what):
    # a key with a space is a legal header: such a request leaves, and the server refuses the key
    httpserver.expect_request("/v1/chat/completions").respond_with_json({"error": {"message": "bad key"}}, status=401)
    r = run_request(compatible(httpserver.url_for("/v1"), api_key=key), chat("lab/m"))
    assert r.error_kind == "auth" and what in r.error and "connection refused" not in r.error
    assert "0123456789" not in r.error
    assert "clé" in error_text(r, "fr")
    ollama = OllamaProvider(OllamaConfig(host=httpserver.url_for("/").rstrip("/"), api_key=key, **FAST))
    httpserver.expect_request("/api/tags").respond_with_json({"error": "unauthorized"}, status=401)
    probe = ollama.probe()
    assert not probe["reachable"] and what in probe["error"]


def test_a_negative_timeout_is_a_configuration_error_not_a_malformed_chunk():
    with pytest.raises(ConfigError, match=r"\[timeouts\] read must be a number of seconds above 0"):
        load_config({"timeouts": {"read": -1}}, env={})
    with pytest.raises(ConfigError, match="PLAYGROUND_CONNECT_TIMEOUT"):
        load_config({}, env={"PLAYGROUND_CONNECT_TIMEOUT": "-5"})
    with pytest.raises(ValueError, match="above 0"):
        Timeouts(read=-1)


def test_an_empty_200_stream_says_the_prompt_likely_exceeds_the_context(httpserver):
    # llama.cpp's server, past its context: HTTP 200, an event-stream with nothing in it
    httpserver.expect_request("/v1/chat/completions").respond_with_data("", status=200, content_type="text/event-stream")
    r = run_request(compatible(httpserver.url_for("/v1")), chat("lab/m"))
    assert r.error_kind == "interrupted" and "context" in r.error
    assert "contexte" in error_text(r, "fr") and "context" in error_text(r, "en")


def test_the_total_of_a_run_that_timed_out_is_the_time_it_really_took(httpserver):
    httpserver.expect_request("/api/show").respond_with_json(ollama_show(template="{{ .Prompt }}"))
    httpserver.expect_request("/api/version").respond_with_json({"version": "0.13.0"})
    first = ndjson(ollama_chat_chunks(["Le "], logprobs=False, generate=True)[:1])
    httpserver.expect_request("/api/generate").respond_with_handler(
        lambda req: slow_response(first, "application/x-ndjson", 3.0))
    prov = OllamaProvider(OllamaConfig(host=httpserver.url_for("/").rstrip("/"),
                                       timeouts=Timeouts(connect=1.0, read=1.5), retry=RetryPolicy(max_retries=0)))
    r = run_request(prov, GenerationRequest(model="ollama/m", prompt="Le chat", max_tokens=8))
    assert r.text == "Le " and r.error_kind == "interrupted" and "read timeout" in r.error
    assert r.total_s >= 1.5  # at least the read timeout, not the instant of the last text
    assert r.ttft_s < 1.5
