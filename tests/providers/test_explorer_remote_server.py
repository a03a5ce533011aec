"""The approximate explorer path against a real OpenAI-compatible server: `python -m llama_cpp.server`
on loopback serving the bundled SmolLM2, compared with the exact embedded distribution of the same
GGUF file."""

from __future__ import annotations

import math

import pytest
from support.openai_loopback import llama_server

from playground.explorer import Step, Trail, next_token_distribution, view
from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider
from providers.registry import Registry
from providers.sampling import SamplingParams

SOURIS = "Complète la phrase : La souris de l'ordinateur est un"


@pytest.fixture(scope="module")
def server_registry(smollm2_path, tmp_path_factory, embedded):
    with llama_server(smollm2_path, "smollm2", tmp_path_factory.mktemp("llama_server")) as url:
        local = OpenAICompatProvider(OpenAICompatConfig(name="local", kind="compatible", base_url=url))
        yield Registry({"local": local, "embedded": embedded})


def test_remote_distribution_is_approximate_and_agrees_with_the_exact_one(server_registry):
    approx = next_token_distribution(server_registry, "local/smollm2", SOURIS, True)
    exact = next_token_distribution(server_registry, "embedded/smollm2-135m-instruct", SOURIS, True)
    assert not approx.exact and exact.exact
    assert 1 <= len(approx.logits) <= 20 and 0 < approx.returned_mass <= 1.0
    va = view(approx, SamplingParams(1.0), show=5)
    ve = view(exact, SamplingParams(1.0), show=5)
    # same GGUF, same chat template: the same favourite, with nearly the same raw probability
    assert va.candidates[0].piece == ve.candidates[0].piece
    assert math.exp(va.candidates[0].logprob) == pytest.approx(ve.candidates[0].prob_t, abs=0.03)
    # the sliders reshape over the returned tokens only
    vk = view(approx, SamplingParams(0.5, top_k=2), show=5)
    assert [c.kept for c in vk.candidates] == [True, True, False, False, False]
    assert vk.candidates[0].prob_final + vk.candidates[1].prob_final == pytest.approx(1.0)


def test_remote_step_through_continues_the_assistant_text(server_registry):
    d = next_token_distribution(server_registry, "local/smollm2", SOURIS, True)
    top = view(d, SamplingParams(1.0), show=1).candidates[0]
    trail = Trail().append(Step(top.index, top.token_id, top.piece, 1.0, math.exp(top.logprob), "greedy"))
    d2 = next_token_distribution(server_registry, "local/smollm2", SOURIS, True, trail)
    assert not d2.exact and len(d2.logits) >= 1
