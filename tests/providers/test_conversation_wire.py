"""A conversation's follow-up on the wire: the exact message list each backend receives for turn 2
(OpenAI and Ollama replayed on a local server asserting exact bodies, a real llama.cpp server on
loopback), and real embedded models continuing their own conversation (chat template, base-model
transcript). Every column runs through the same ColumnRun as the Compare page, in parallel."""

from __future__ import annotations

import pytest
from remote_shapes import ndjson, ollama_chat_chunks, openai_chunk, openai_usage_chunk, sse

from playground.compare import compare
from playground.conversation import Turn, follow_up_requests
from playground.request import build_request
from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider
from providers.registry import Registry
from providers.remote import RetryPolicy, Timeouts

SYSTEM = "Réponds en français."


def _openai(url: str) -> OpenAICompatProvider:
    return OpenAICompatProvider(OpenAICompatConfig(
        name="openai", kind="openai", base_url=url, api_key="sk-canary-0123456789abcdef",
        timeouts=Timeouts(connect=1.0, read=5.0), retry=RetryPolicy(max_retries=0, base_delay=0.01, max_delay=0.05)))


def _openai_body(messages: list[dict]) -> dict:
    return {"model": "gpt-4o-mini", "messages": messages, "stream": True, "stream_options": {"include_usage": True},
            "temperature": 0.2, "top_p": 0.95, "max_completion_tokens": 32, "seed": 7, "stop": ["###"]}


def _answer(*pieces: str) -> str:
    return sse([openai_chunk(role="assistant", content=""), *(openai_chunk(p) for p in pieces),
                openai_chunk(finish="stop"), openai_usage_chunk()])


def test_openai_follow_up_sends_the_whole_conversation_exactly(httpserver):
    url = httpserver.url_for("/v1")
    turn1 = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "Que veut dire SNCF ?"}]
    turn2 = turn1 + [{"role": "assistant", "content": "Société nationale des chemins de fer."},
                     {"role": "user", "content": "Et la RATP ?"}]
    httpserver.expect_request("/v1/chat/completions", method="POST", json=_openai_body(turn1)).respond_with_data(
        _answer("Société nationale", " des chemins de fer."), content_type="text/event-stream")
    httpserver.expect_request("/v1/chat/completions", method="POST", json=_openai_body(turn2)).respond_with_data(
        _answer("Régie autonome", " des transports parisiens."), content_type="text/event-stream")
    reg = Registry({"openai": _openai(url)})
    params = dict(temperature=0.2, top_p=0.95, max_tokens=32, seed=7, stop=("###",))
    first = [build_request("openai/gpt-4o-mini", "Que veut dire SNCF ?", True, SYSTEM, **params)]
    r1 = compare(reg, first)
    assert r1[0].ok and r1[0].text == "Société nationale des chemins de fer.", r1[0].error
    turns = [Turn("Que veut dire SNCF ?", first, r1)]
    r2 = compare(reg, follow_up_requests(turns, "Et la RATP ?", SYSTEM))
    assert r2[0].ok and r2[0].text == "Régie autonome des transports parisiens.", r2[0].error
    assert r2[0].request_payload == _openai_body(turn2)  # what "the exact request" shows: every message


def test_ollama_follow_up_chat_and_base_columns_in_parallel(httpserver):
    from remote_shapes import OLLAMA_TAGS, ollama_show

    from providers.ollama import OllamaConfig, OllamaProvider

    httpserver.expect_request("/api/tags", method="GET").respond_with_json(OLLAMA_TAGS)
    httpserver.expect_request("/api/version", method="GET").respond_with_json({"version": "0.12.11"})
    httpserver.expect_request("/api/show", method="POST").respond_with_json(ollama_show())
    options = {"temperature": 0.3, "top_p": 0.9, "top_k": 40, "min_p": 0.05, "num_predict": 64, "seed": 42}
    chat2 = {"model": "qwen2.5:1.5b", "stream": True, "options": options,
             "messages": [{"role": "user", "content": "La souris de l'ordinateur est un"},
                          {"role": "assistant", "content": " périphérique d'entrée."},
                          {"role": "user", "content": "Et le clavier ?"}]}
    chat1 = {**chat2, "messages": chat2["messages"][:1]}
    raw_options = {"temperature": 0.7, "top_p": 1.0, "top_k": 0, "min_p": 0.0, "num_predict": 8}
    raw1 = {"model": "gemma3:270m", "prompt": "La souris de l'ordinateur est un", "raw": True, "stream": True,
            "options": raw_options}
    raw2 = {**raw1, "prompt": "La souris de l'ordinateur est un petit appareil\n\nEt le clavier ?"}
    for body, pieces in ((chat1, [" périphérique", " d'entrée."]), (chat2, [" Un autre", " périphérique."])):
        httpserver.expect_request("/api/chat", method="POST", json=body).respond_with_data(
            ndjson(ollama_chat_chunks(pieces, logprobs=False)), content_type="application/x-ndjson")
    for body, pieces in ((raw1, [" petit", " appareil"]), (raw2, [" Il sert", " à écrire."])):
        httpserver.expect_request("/api/generate", method="POST", json=body).respond_with_data(
            ndjson(ollama_chat_chunks(pieces, logprobs=False, generate=True, model="gemma3:270m")),
            content_type="application/x-ndjson")
    prov = OllamaProvider(OllamaConfig(name="ollama", host=httpserver.url_for("/").rstrip("/"),
                                       timeouts=Timeouts(connect=1.0, read=5.0),
                                       retry=RetryPolicy(max_retries=0, base_delay=0.01, max_delay=0.05)))
    reg = Registry({"ollama": prov})
    first = [build_request("ollama/qwen2.5:1.5b", "La souris de l'ordinateur est un", True, temperature=0.3, top_p=0.9,
                           top_k=40, min_p=0.05, max_tokens=64, seed=42),
             build_request("ollama/gemma3:270m", "La souris de l'ordinateur est un", False, max_tokens=8)]
    r1 = compare(reg, first)
    assert [r.text for r in r1] == [" périphérique d'entrée.", " petit appareil"], [r.error for r in r1]
    r2 = compare(reg, follow_up_requests([Turn("La souris de l'ordinateur est un", first, r1)], "Et le clavier ?"))
    assert [r.error for r in r2] == [None, None]
    assert [r.text for r in r2] == [" Un autre périphérique.", " Il sert à écrire."]
    assert r2[0].request_payload == chat2 and r2[1].request_payload == raw2


def test_real_llama_cpp_server_continues_its_own_conversation(llama_server, embedded):
    local = OpenAICompatProvider(OpenAICompatConfig(name="local", kind="compatible", base_url=llama_server))
    reg = Registry({"local": local, "embedded": embedded})
    first = [build_request(m, "Name a French cheese.", True, "Answer in one short sentence.", temperature=0.0,
                           max_tokens=12, seed=1) for m in ("local/smollm2", "embedded/smollm2-135m-instruct")]
    r1 = compare(reg, first)
    assert all(r.ok and r.text for r in r1), [r.error for r in r1]
    r2 = compare(reg, follow_up_requests([Turn("Name a French cheese.", first, r1)], "And a second one?",
                                         "Answer in one short sentence."))
    assert all(r.ok and r.text for r in r2), [r.error for r in r2]
    # the server received the whole conversation: system, turn 1, its own answer, the follow-up
    assert r2[0].request_payload["messages"] == [
        {"role": "system", "content": "Answer in one short sentence."},
        {"role": "user", "content": "Name a French cheese."},
        {"role": "assistant", "content": r1[0].text},
        {"role": "user", "content": "And a second one?"}]
    # the embedded column got its own answer, through its chat template
    rendered = r2[1].rendered_prompt
    assert (f"<|im_start|>user\nName a French cheese.<|im_end|>\n<|im_start|>assistant\n{r1[1].text}<|im_end|>\n"
            f"<|im_start|>user\nAnd a second one?<|im_end|>") in rendered


@pytest.mark.parametrize("seed", [3])
def test_real_embedded_models_two_turns_chat_and_base(registry, seed):
    chat_id, base_id = "embedded/smollm2-135m-instruct", "embedded/gemma-3-270m"
    first = [build_request(chat_id, "Le gratin dauphinois est un plat", True, temperature=0.0, max_tokens=10, seed=seed),
             build_request(base_id, "Le gratin dauphinois est un plat", False, temperature=0.0, max_tokens=10, seed=seed)]
    r1 = compare(registry, first)
    assert all(r.ok and r.text for r in r1), [r.error for r in r1]
    turns = [Turn("Le gratin dauphinois est un plat", first, r1)]
    r2 = compare(registry, follow_up_requests(turns, "Et la tartiflette ?"))
    assert all(r.ok and r.text for r in r2), [r.error for r in r2]
    assert r2[0].rendered_prompt.count("<|im_start|>user") == 2
    assert f"<|im_start|>assistant\n{r1[0].text}<|im_end|>" in r2[0].rendered_prompt
    # the base model continues the document it wrote, then the new message
    assert r2[1].rendered_prompt == f"Le gratin dauphinois est un plat{r1[1].text}\n\nEt la tartiflette ?"
    # a third turn keeps both earlier turns, in order, in each column
    turns.append(Turn("Et la tartiflette ?", follow_up_requests(turns, "Et la tartiflette ?"), r2))
    third = follow_up_requests(turns, "Merci.")
    assert [m.content for m in third[0].messages] == ["Le gratin dauphinois est un plat", r1[0].text,
                                                      "Et la tartiflette ?", r2[0].text, "Merci."]
    assert third[1].prompt == (f"Le gratin dauphinois est un plat{r1[1].text}\n\nEt la tartiflette ?{r2[1].text}"
                               "\n\nMerci.")
