"""Live tests against real Ollama / OpenAI / Azure OpenAI / OpenRouter: run only when configured and reachable.

    OLLAMA_HOST=gpu:11434 OPENAI_API_KEY=... python -m pytest -m live -rs tests/providers/test_live_backends.py

Each test prints why it skipped (variable missing, or the server's own error when unreachable).
"""

from __future__ import annotations

import os

import pytest
from conftest import LIVE_ENV

from playground.config import remote_config, remote_providers
from playground.runner import run_request
from providers.base import ChatMessage, GenerationRequest

pytestmark = pytest.mark.live


def provider_or_skip(name: str, needed: tuple[str, ...]):
    missing = [v for v in needed if not LIVE_ENV.get(v)]
    if missing:
        reason = f"{name}: set {' and '.join(missing)} to run this live test"
        print(reason)
        pytest.skip(reason)
    providers = remote_providers(remote_config({}, LIVE_ENV))
    prov = providers.get(name)
    if prov is None:
        pytest.skip(f"{name}: not configured by the environment")
    status = prov.probe()
    if not status["reachable"]:
        reason = f"{name} unreachable: {status['error']}"
        print(reason)
        pytest.skip(reason)
    return prov


def ask(model_id: str, **kw) -> GenerationRequest:
    base = dict(model=model_id, messages=(ChatMessage("user", "Complète : la souris de l'ordinateur est un"),),
                temperature=0.0, max_tokens=16, seed=42, top_logprobs=3)
    base.update(kw)
    return GenerationRequest(**base)


def test_live_ollama():
    prov = provider_or_skip("ollama", ("OLLAMA_HOST",))
    models = prov.list_models()
    if not models:
        pytest.skip("ollama: no model installed (ollama pull qwen2.5:1.5b)")
    name = os.environ.get("PLAYGROUND_LIVE_OLLAMA_MODEL") or models[0].name
    caps = prov.capabilities(name)
    r = run_request(prov, ask(f"ollama/{name}", top_logprobs=min(3, caps.max_top_logprobs)))
    assert r.ok, r.error
    assert r.text and r.completion_tokens and "eval_ms" in r.server_timings
    if caps.max_top_logprobs:
        assert r.logprobs or any("too old" in n for n in r.notes)


def test_live_openai():
    prov = provider_or_skip("openai", ("OPENAI_API_KEY",))
    model = os.environ.get("PLAYGROUND_LIVE_OPENAI_MODEL", "gpt-4o-mini")
    r = run_request(prov, ask(f"openai/{model}"))
    assert r.ok, r.error
    assert r.text and r.logprobs and not r.tokens_estimated and r.prompt_tokens


def test_live_azure():
    prov = provider_or_skip("azure", ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_DEPLOYMENTS"))
    deployment = LIVE_ENV["AZURE_OPENAI_DEPLOYMENTS"].split(",")[0].strip()
    r = run_request(prov, ask(f"azure/{deployment}", top_logprobs=5))
    assert r.ok, r.error
    assert r.text and not r.tokens_estimated


def test_live_openrouter():
    prov = provider_or_skip("openrouter", ("OPENROUTER_API_KEY",))
    model = os.environ.get("PLAYGROUND_LIVE_OPENROUTER_MODEL", "meta-llama/llama-3.2-3b-instruct")
    r = run_request(prov, ask(f"openrouter/{model}"))
    assert r.ok, r.error
    assert r.text and r.extra.get("served_by") and "cost" in r.extra
