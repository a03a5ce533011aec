"""OpenAI-compatible provider against a real `python -m llama_cpp.server` on loopback (bundled SmolLM2)."""

from __future__ import annotations

import pytest

from playground.compare import compare
from playground.runner import run_request
from providers.base import ChatMessage, GenerationRequest, ModelNotFound, TextDelta
from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider
from providers.registry import Registry


@pytest.fixture(scope="module")
def local(llama_server):
    return OpenAICompatProvider(OpenAICompatConfig(name="local", kind="compatible", base_url=llama_server))


def ask(text="Name a French cheese.", **kw) -> GenerationRequest:
    base = dict(model="local/smollm2", messages=(ChatMessage("user", text),), temperature=0.0, max_tokens=12)
    base.update(kw)
    return GenerationRequest(**base)


def test_lists_the_served_model(local):
    assert [m.id for m in local.list_models()] == ["local/smollm2"]
    assert local.probe()["reachable"] and local.probe()["models"] == 1


def test_chat_streams_in_several_deltas(local):
    events = list(local.stream(ask()))
    deltas = [e for e in events if isinstance(e, TextDelta) and e.text]
    assert len(deltas) >= 3
    r = run_request(local, ask())
    assert r.ok and r.text and r.finish_reason in ("stop", "length") and r.ttft_s is not None


def test_usage_without_server_counts_is_an_estimate(local):
    # llama-cpp-python's server sends no usage chunk when streaming: the count is estimated and said so
    r = run_request(local, ask(top_logprobs=1))
    assert r.ok and r.tokens_estimated and r.completion_tokens == len(r.logprobs) > 0
    assert r.prompt_tokens and any("estimate" in n for n in r.notes)


def test_logprobs_with_alternatives(local):
    r = run_request(local, ask(top_logprobs=3))
    assert r.ok and len(r.logprobs) > 0
    for t in r.logprobs:
        assert t.logprob <= 0.0 and 1 <= len(t.top) <= 4
        assert [a.logprob for a in t.top] == sorted((a.logprob for a in t.top), reverse=True)
    # greedy decoding picks the most likely candidate every time
    assert all(abs(t.logprob - t.top[0].logprob) < 1e-6 for t in r.logprobs)


def test_same_seed_same_text(local):
    rice = "Write a short sentence about rice."
    # llama.cpp reuses the cached prompt prefix, which changes the logits' last bits: warm it first
    run_request(local, ask(rice, temperature=0.9, seed=1234, max_tokens=16))
    a = run_request(local, ask(rice, temperature=0.9, seed=1234, max_tokens=16))
    b = run_request(local, ask(rice, temperature=0.9, seed=1234, max_tokens=16))
    other = run_request(local, ask(rice, temperature=0.9, seed=99, max_tokens=16))
    assert a.ok and a.text == b.text and a.request_payload["seed"] == 1234
    assert other.text != a.text


def test_stop_sequence(local):
    free = run_request(local, ask("Count from 1 to 10, one number per line.", max_tokens=30))
    assert "\n" in free.text.strip()
    stopped = run_request(local, ask("Count from 1 to 10, one number per line.", max_tokens=30, stop=("\n",)))
    assert stopped.ok and "\n" not in stopped.text and stopped.finish_reason == "stop"
    assert stopped.request_payload["stop"] == ["\n"] and len(stopped.text) < len(free.text)


def test_unknown_model_is_an_error_naming_it(local):
    with pytest.raises(ModelNotFound, match="“nope” is not served by local"):
        list(local.stream(ask(model="local/nope")))
    r = run_request(local, ask(model="local/nope"))
    assert r.error_kind == "model_not_found" and "smollm2" in r.error


def test_compare_embedded_and_server_columns_side_by_side(local, embedded):
    reg = Registry({"embedded": embedded, "local": local})
    reqs = [
        GenerationRequest(model="embedded/smollm2-135m-instruct", messages=(ChatMessage("user", "Say hello."),),
                          temperature=0.0, max_tokens=8, top_logprobs=2),
        GenerationRequest(model="local/smollm2", messages=(ChatMessage("user", "Say hello."),),
                          temperature=0.0, max_tokens=8, top_logprobs=2),
        GenerationRequest(model="local/missing", messages=(ChatMessage("user", "Say hello."),), max_tokens=8),
    ]
    results = compare(reg, reqs)
    assert [r.model for r in results] == [q.model for q in reqs]
    assert results[0].ok and results[0].text and results[0].logprobs
    assert results[1].ok and results[1].text and results[1].logprobs, results[1].to_dict()
    assert results[2].error_kind == "model_not_found"  # one bad column does not stop the others
