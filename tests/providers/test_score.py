"""Scoring a text: per-token probabilities against the next-token explorer (real SmolLM2 and
Gemma), perplexity maths, and the remote echo path replayed with the documented shape."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.explorer import Trail, context_ids, log_probs_at, next_token_distribution, step_from
from playground.score import (
    NoPromptLogprobs,
    Score,
    ScoredToken,
    parse_echo,
    perplexity,
    score_text,
    surprisal_bits,
    text_ids,
)
from providers.base import InvalidRequest
from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider
from providers.registry import Registry
from providers.sampling import SamplingParams

SMOL = "embedded/smollm2-135m-instruct"
GEMMA = "embedded/gemma-3-270m"
TEXT = "La souris de l'ordinateur est un petit appareil."


@pytest.mark.parametrize("model_id", [SMOL, GEMMA])
def test_scores_equal_the_explorer_for_the_same_prefixes(registry, model_id):
    score = score_text(registry, model_id, TEXT)
    provider, name = registry.resolve(model_id)
    m = provider.loaded(name)
    ids, has_bos = text_ids(m, model_id, TEXT)
    assert [t.token_id for t in score.tokens] == ids[1:] if has_bos else ids
    assert score.n_text_tokens == len(score.tokens) and not score.truncated
    scored = [t for t in score.tokens if t.logprob is not None]
    assert len(scored) == len(ids) - 1
    # 1) the explorer itself: the first word as its prompt, then a step-through over the text's tokens
    n0 = 2 if has_bos else 1
    prompt_text = m.piece(ids[n0 - 1])
    assert context_ids(registry, model_id, prompt_text, False) == ids[:n0]
    trail = Trail()
    dist = next_token_distribution(registry, model_id, prompt_text, False, trail)
    for k in range(n0, len(ids)):
        lp = float(log_probs_at(dist, np.array([ids[k]]))[0])
        assert math.isclose(math.exp(lp), scored[k - 1].prob, abs_tol=1e-5), (k, m.piece(ids[k]))
        trail = trail.append(step_from(dist, ids[k], SamplingParams(), "pick"))
        dist = next_token_distribution(registry, model_id, prompt_text, False, trail)
    # the hover alternatives are the top tokens, most probable first, including the best one
    for t in scored:
        lps = [a.logprob for a in t.top]
        assert lps == sorted(lps, reverse=True) and len(t.top) == 5
        assert t.logprob <= lps[0] + 1e-12


def test_a_long_text_is_capped(registry):
    text = " ".join(["mot"] * 40)
    score = score_text(registry, SMOL, text, max_tokens=12)
    assert len(score.tokens) == 12 and score.truncated and score.n_text_tokens > 12


def test_empty_text_is_refused(registry):
    with pytest.raises(InvalidRequest, match="empty"):
        score_text(registry, SMOL, "   ")


def test_perplexity_and_surprisal_on_known_logprobs():
    lps = [math.log(0.5), math.log(0.25), math.log(0.125)]
    # mean log p = log(1/8)/... : exp(-(−ln2 −2ln2 −3ln2)/3) = exp(2 ln 2) = 4
    assert perplexity(lps) == pytest.approx(4.0)
    assert surprisal_bits(math.log(0.125)) == pytest.approx(3.0)
    s = Score("x", (ScoredToken("a", 1, None),) + tuple(ScoredToken(c, i, lp) for i, (c, lp) in enumerate(zip("bcd", lps))),
              4, True)
    assert s.perplexity == pytest.approx(4.0)
    assert s.mean_surprisal_bits == pytest.approx(2.0)
    assert [t.piece for _, t in s.most_surprising(2)] == ["d", "c"]
    assert perplexity([]) is None


ECHO = {
    "id": "cmpl-1", "object": "text_completion", "created": 1764567890, "model": "smollm2",
    "choices": [{
        "text": "The cat sat on", "index": 0, "finish_reason": "length",
        "logprobs": {  # the text's three tokens, then the one generated token (cut off)
            "tokens": ["The", " cat", " sat", " on"],
            "token_logprobs": [None, -3.2, -1.1, -0.4],
            "top_logprobs": [None, {" cat": -3.2, " dog": -2.0}, {" sat": -1.1, " is": -1.5}, {" on": -0.4}],
            "text_offset": [0, 3, 7, 11],
        },
    }],
    "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
}


def test_remote_echo_replayed(httpserver):
    httpserver.expect_request("/v1/completions", method="POST").respond_with_json(ECHO)
    prov = OpenAICompatProvider(OpenAICompatConfig(name="local", kind="compatible",
                                                   base_url=httpserver.url_for("/v1"), models=["smollm2"]))
    reg = Registry({"local": prov})
    score = score_text(reg, "local/smollm2", "The cat sat")
    assert [t.piece for t in score.tokens] == ["The", " cat", " sat"]
    assert score.tokens[0].logprob is None and score.tokens[1].logprob == -3.2
    assert [a.token for a in score.tokens[1].top] == [" dog", " cat"]
    assert score.perplexity == pytest.approx(math.exp((3.2 + 1.1) / 2))
    body = httpserver.log[-1][0].get_json()
    assert body["echo"] is True and body["max_tokens"] == 1 and body["logprobs"] == 5 and body["prompt"] == "The cat sat"


def test_remote_without_echo_says_so(httpserver):
    httpserver.expect_request("/v1/completions", method="POST").respond_with_json(
        {"id": "c", "object": "text_completion", "choices": [{"text": "", "index": 0, "logprobs": None}]})
    prov = OpenAICompatProvider(OpenAICompatConfig(name="local", kind="compatible",
                                                   base_url=httpserver.url_for("/v1"), models=["smollm2"]))
    with pytest.raises(NoPromptLogprobs, match="echo"):
        score_text(Registry({"local": prov}), "local/smollm2", "The cat sat")
    with pytest.raises(NoPromptLogprobs):
        parse_echo({"choices": []})


def test_echo_without_usage_is_cut_at_the_end_of_the_text():
    body = {"choices": [{"logprobs": dict(ECHO["choices"][0]["logprobs"])}]}
    tokens, n = parse_echo(body, "The cat sat")
    assert n == 3 and [t.piece for t in tokens] == ["The", " cat", " sat"]
    tokens, n = parse_echo(body, "The cat sat", max_tokens=2)
    assert n == 3 and len(tokens) == 2


def test_remote_echo_against_the_real_llama_cpp_server(llama_server, registry):
    """The real `llama_cpp.server` answers the echo request: the text's own tokens come back
    (the one generated token cut off), each but the first with a finite logprob and alternatives."""
    prov = OpenAICompatProvider(OpenAICompatConfig(name="local", kind="compatible", base_url=llama_server))
    text = "The cat sat on the mat."
    score = score_text(Registry({"local": prov}), "local/smollm2", text)
    assert "".join(t.piece for t in score.tokens) == text
    embedded = score_text(registry, SMOL, text)  # same tokenizer: same tokens
    assert [t.piece for t in score.tokens] == [t.piece for t in embedded.tokens]
    assert score.tokens[0].logprob is None and not score.exact
    assert all(t.logprob is not None and t.logprob <= 0 and t.top for t in score.tokens[1:])
    assert score.perplexity is not None and score.perplexity > 1


def test_pasted_markup_is_escaped_in_tokens_and_titles():
    from playground.score import score_html
    from providers.base import TokenAlternative

    evil = '<img src=x onerror=alert(1)>"'
    s = Score("x", (ScoredToken(evil, 1, None), ScoredToken("</span><script>", 2, -2.0,
                                                            (TokenAlternative('"><b>', -0.1, 3),))), 2, True)
    out = score_html(s, "fr", "premier token")
    assert "<img" not in out and "<script>" not in out and '"><b>' not in out
    assert "&lt;img" in out and "&lt;/span&gt;&lt;script&gt;" in out
    assert out.count('class="pg-tok pg-score-tok"') == 2
