"""A server that echoes a configured key in part (without its `sk-` prefix, cut short) never gets
it shown: not in the column's text on the page, not in history, not in any export."""

from __future__ import annotations

import json

import pytest
from remote_shapes import ollama_show, openai_error

from playground.export import compare_record, to_csv, to_json, to_markdown
from playground.runner import run_request
from playground.store import HistoryStore
from providers.base import ChatMessage, GenerationRequest
from providers.ollama import OllamaConfig, OllamaProvider
from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider
from providers.remote import RetryPolicy, Timeouts, scrub
from ui.widgets import error_text

KEY = "sk-canary-0123456789abcdef"
SANS_PREFIX = KEY[3:]  # "canary-0123456789abcdef": no `sk-`, so no key-looking pattern catches it
FAST = dict(timeouts=Timeouts(connect=1.0, read=2.0), retry=RetryPolicy(max_retries=0))


def chat(model: str) -> GenerationRequest:
    return GenerationRequest(model=model, messages=(ChatMessage("user", "Bonjour"),), max_tokens=8)


def everywhere_shown(result, request, tmp_path) -> str:
    """Every text a person can see of this run: the page (both languages), history, the exports."""
    record = compare_record([request], [result])
    store = HistoryStore(tmp_path / "history.db")
    run_id = store.save("compare", record, models=[request.model], summary={"error": result.error})
    stored = store.get(run_id)
    return "\n".join([error_text(result, "fr"), error_text(result, "en"), json.dumps(stored.data),
                      json.dumps(stored.summary), to_json(record), to_markdown(record), to_csv(record)])


def test_an_openai_style_server_echoing_the_key_without_its_prefix(httpserver, tmp_path):
    httpserver.expect_request("/v1/chat/completions").respond_with_json(
        openai_error(f"Invalid credentials '{SANS_PREFIX}' (key ending {KEY[-10:]})"), status=401)
    provider = OpenAICompatProvider(OpenAICompatConfig(name="lab", base_url=httpserver.url_for("/v1"), api_key=KEY,
                                                       models=("m",), **FAST))
    request = chat("lab/m")
    result = run_request(provider, request)
    assert result.error_kind == "auth" and "HTTP 401" in result.error
    shown = everywhere_shown(result, request, tmp_path)
    assert "Invalid credentials" in shown  # the server's explanation is still quoted...
    for piece in (SANS_PREFIX, KEY[-10:], KEY[5:13]):
        assert piece not in shown  # ...without any piece of the key


def test_ollama_behind_a_proxy_echoing_its_key_in_part(httpserver, tmp_path):
    httpserver.expect_request("/api/show").respond_with_json(ollama_show())
    httpserver.expect_request("/api/version").respond_with_json({"version": "0.13.0"})
    httpserver.expect_request("/api/chat").respond_with_json({"error": f"token {SANS_PREFIX[:12]}… not allowed"},
                                                             status=403)
    provider = OllamaProvider(OllamaConfig(host=httpserver.url_for("/").rstrip("/"), api_key=KEY, **FAST))
    request = chat("ollama/qwen2.5:0.5b")
    result = run_request(provider, request)
    assert result.error_kind == "auth"
    assert SANS_PREFIX[:12] not in everywhere_shown(result, request, tmp_path)


@pytest.mark.parametrize("text, hidden", [
    (f"got {KEY[3:]}", KEY[3:]),
    (f"got {KEY[:11]}", KEY[:11]),
    (f"ends …{KEY[-8:]}", KEY[-8:]),
    (f"middle {KEY[6:20]} here", KEY[6:20]),
])
def test_any_piece_of_eight_characters_or_more_is_masked(text, hidden):
    out = scrub(text, [KEY])
    assert hidden not in out and "***" in out


def test_short_pieces_and_other_words_are_left_alone():
    assert scrub("status 0123 for model canary", [KEY]) == "status 0123 for model canary"
