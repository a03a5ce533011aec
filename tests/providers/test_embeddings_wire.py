"""Embeddings on the wire: Ollama's /api/embed and OpenAI's /v1/embeddings against a local server
replaying the documented shapes (exact request bodies), through the app's one `embed` call."""

from __future__ import annotations

import numpy as np
import pytest

from playground.embeddings import embed, list_embedding_models_with_errors
from providers.base import AuthenticationFailed, ProviderError
from providers.ollama import OllamaConfig, OllamaProvider
from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider
from providers.registry import Registry
from providers.remote import RetryPolicy, Timeouts

CANARY = "sk-canary-0123456789abcdef"
TIMEOUTS = Timeouts(connect=1.0, read=3.0)
NO_RETRY = RetryPolicy(max_retries=0, base_delay=0.01, max_delay=0.05)


def ollama(httpserver, **kw) -> OllamaProvider:
    return OllamaProvider(OllamaConfig(name="ollama", host=httpserver.url_for("/").rstrip("/"), timeouts=TIMEOUTS,
                                       retry=NO_RETRY, **kw))


def openai(httpserver, **kw) -> OpenAICompatProvider:
    cfg = dict(name="openai", kind="openai", base_url=httpserver.url_for("/v1"), api_key=CANARY, timeouts=TIMEOUTS,
               retry=NO_RETRY)
    cfg.update(kw)
    return OpenAICompatProvider(OpenAICompatConfig(**cfg))


def test_ollama_api_embed_exact_body_and_normalised_rows(httpserver):
    # Documented: POST /api/embed {"model", "input": [...]} -> {"model", "embeddings": [[...], ...]}
    httpserver.expect_request("/api/embed", method="POST",
                              json={"model": "nomic-embed-text", "input": ["Le chat dort.", "Il pleut."]}
                              ).respond_with_json({"model": "nomic-embed-text",
                                                   "embeddings": [[3.0, 4.0, 0.0], [0.0, 0.0, 2.0]],
                                                   "total_duration": 14143917, "load_duration": 1019500,
                                                   "prompt_eval_count": 8})
    reg = Registry({"ollama": ollama(httpserver)})
    res = embed(reg, "ollama/nomic-embed-text", ["Le chat dort.", "Il pleut."])
    assert res.model == "ollama/nomic-embed-text" and res.dimensions == 3
    assert res.vectors.dtype == np.float32
    np.testing.assert_allclose(res.vectors, [[0.6, 0.8, 0.0], [0.0, 0.0, 1.0]], atol=1e-6)
    httpserver.check_assertions()


def test_ollama_unknown_model_is_a_provider_error(httpserver):
    httpserver.expect_request("/api/embed", method="POST").respond_with_json(
        {"error": "model \"nope\" not found, try pulling it first"}, status=404)
    with pytest.raises(ProviderError) as info:
        embed(Registry({"ollama": ollama(httpserver)}), "ollama/nope", ["x"])
    assert "nope" in info.value.message


def test_ollama_short_answer_is_refused(httpserver):
    httpserver.expect_request("/api/embed", method="POST").respond_with_json({"embeddings": [[1.0, 0.0]]})
    with pytest.raises(ProviderError) as info:
        embed(Registry({"ollama": ollama(httpserver)}), "ollama/m", ["a", "b"])
    assert info.value.code == "embed_bad_reply"


def test_ollama_lists_only_embedding_models(httpserver):
    httpserver.expect_request("/api/tags", method="GET").respond_with_json({"models": [
        {"name": n, "model": n, "modified_at": "2025-01-01T00:00:00Z", "size": 1, "digest": "d" * 64,
         "details": {"format": "gguf", "family": "x", "parameter_size": "1B", "quantization_level": "Q4_0"}}
        for n in ("qwen2.5:1.5b", "nomic-embed-text:latest", "bge-m3:latest")]})
    models, errors = list_embedding_models_with_errors(Registry({"ollama": ollama(httpserver)}))
    assert errors == {}
    assert [m.id for m in models] == ["offline/use-multilingual-v3", "ollama/nomic-embed-text:latest",
                                      "ollama/bge-m3:latest"]


def test_openai_v1_embeddings_exact_body_key_and_index_order(httpserver):
    # Documented: POST /v1/embeddings {"input", "model", "encoding_format"} -> {"object": "list", "data": [...]}
    httpserver.expect_request("/v1/embeddings", method="POST",
                              headers={"Authorization": f"Bearer {CANARY}"},
                              json={"input": ["roi", "reine"], "model": "text-embedding-3-small",
                                    "encoding_format": "float"}
                              ).respond_with_json({
                                  "object": "list",
                                  "data": [{"object": "embedding", "index": 1, "embedding": [0.0, 2.0]},
                                           {"object": "embedding", "index": 0, "embedding": [1.0, 1.0]}],
                                  "model": "text-embedding-3-small",
                                  "usage": {"prompt_tokens": 2, "total_tokens": 2}})
    res = embed(Registry({"openai": openai(httpserver)}), "openai/text-embedding-3-small", ["roi", "reine"])
    s = 2 ** -0.5
    np.testing.assert_allclose(res.vectors, [[s, s], [0.0, 1.0]], atol=1e-6)
    assert res.dimensions == 2
    httpserver.check_assertions()


def test_openai_bad_key_never_echoes_it(httpserver):
    httpserver.expect_request("/v1/embeddings", method="POST").respond_with_json(
        {"error": {"message": f"Incorrect API key provided: {CANARY}", "type": "invalid_request_error",
                   "param": None, "code": "invalid_api_key"}}, status=401)
    with pytest.raises(AuthenticationFailed) as info:
        embed(Registry({"openai": openai(httpserver)}), "openai/text-embedding-3-small", ["x"])
    assert CANARY not in info.value.message and CANARY[-8:] not in info.value.message


def test_openai_lists_its_embedding_models_hidden_from_chat(httpserver):
    httpserver.expect_request("/v1/models").respond_with_json({"object": "list", "data": [
        {"id": n, "object": "model", "created": 1, "owned_by": "openai"}
        for n in ("gpt-4o-mini", "text-embedding-3-small", "text-embedding-3-large", "whisper-1")]})
    models = list_embedding_models_with_errors(Registry({"openai": openai(httpserver)}))[0]
    assert [m.id for m in models][1:] == ["openai/text-embedding-3-large", "openai/text-embedding-3-small"]


def test_long_lists_go_in_batches_of_128_in_order(httpserver):
    texts = [f"phrase {i}" for i in range(130)]
    for chunk in (texts[:128], texts[128:]):
        httpserver.expect_ordered_request("/api/embed", method="POST", json={"model": "m", "input": chunk}
                                          ).respond_with_json({"embeddings": [[1.0, float(t.split()[1])] for t in chunk]})
    res = embed(Registry({"ollama": ollama(httpserver)}), "ollama/m", texts)
    assert res.vectors.shape == (130, 2)
    # row i is text i: its second coordinate grows with i
    assert np.all(np.diff(res.vectors[:, 1]) > 0)
    httpserver.check_assertions()
