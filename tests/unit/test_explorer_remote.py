"""The approximate (top-logprob) explorer path against the provider contract, with a scripted
provider that replays the events a remote backend sends (the real embedded path is tested in
tests/providers/test_explorer_embedded.py)."""

from __future__ import annotations

import math

import pytest

from playground.explorer import NoLogprobs, Step, Trail, next_token_distribution, view
from providers.base import (
    ALL_PARAMS,
    Capabilities,
    Finished,
    InvalidRequest,
    ModelInfo,
    RequestInfo,
    TextDelta,
    TokenAlternative,
    TokenLogprob,
    Usage,
)
from providers.registry import Registry
from providers.sampling import SamplingParams


class ScriptedProvider:
    """Replays one scripted stream per request and records the requests it received."""

    name = "remote"

    def __init__(self, events, caps: Capabilities) -> None:
        self.events = events
        self.caps = caps
        self.requests = []

    def list_models(self):
        return [ModelInfo("remote/m", "remote", "m")]

    def capabilities(self, model):
        return self.caps

    def count_tokens(self, model, text):
        return None

    def stream(self, request, cancel=None):
        self.requests.append(request)
        yield RequestInfo(payload=request.to_dict())
        yield from self.events


TOP = (TokenAlternative(" petit", math.log(0.3)), TokenAlternative(" outil", math.log(0.2)),
       TokenAlternative(" appareil", math.log(0.1)))
WITH_LOGPROBS = [TextDelta(" petit", (TokenLogprob(" petit", math.log(0.3), TOP),), 1),
                 Finished(Usage(8, 1), "length")]


def registry(events, **caps) -> tuple[Registry, ScriptedProvider]:
    p = ScriptedProvider(events, Capabilities(**{"mode": "chat", "params": frozenset(ALL_PARAMS),
                                                   "max_top_logprobs": 20, "raw_logprobs": True, **caps}))
    return Registry({"remote": p}), p


def test_one_request_with_max_tokens_1_and_top_logprobs():
    reg, p = registry(WITH_LOGPROBS)
    d = next_token_distribution(reg, "remote/m", "La souris de l'ordinateur est un", False)
    (req,) = p.requests
    assert req.max_tokens == 1 and req.top_logprobs == 20 and req.prompt == "La souris de l'ordinateur est un"
    assert not d.exact and d.returned_mass == pytest.approx(0.6)
    v = view(d, SamplingParams(1.0), show=3)
    assert [c.piece for c in v.candidates] == [" petit", " outil", " appareil"]
    assert [c.token_id for c in v.candidates] == [None, None, None]  # the backend sent no ids
    assert [c.prob_final for c in v.candidates] == pytest.approx([0.5, 1 / 3, 1 / 6])


def test_top_logprobs_capped_by_the_backend_maximum():
    reg, p = registry(WITH_LOGPROBS, max_top_logprobs=5)  # e.g. Azure
    next_token_distribution(reg, "remote/m", "x", False)
    assert p.requests[0].top_logprobs == 5


def test_chat_trail_is_sent_as_an_assistant_prefix():
    reg, p = registry(WITH_LOGPROBS)
    trail = Trail().append(Step(0, None, " petit", 0.5, 0.3, "pick"))
    next_token_distribution(reg, "remote/m", "Complète : la souris est un", True, trail)
    msgs = p.requests[0].messages
    assert [m.role for m in msgs] == ["user", "assistant"] and msgs[1].content == " petit"


def test_backend_without_logprobs_gives_a_readable_error():
    reg, _ = registry([TextDelta(" petit"), Finished(Usage(8, 1), "length")])
    with pytest.raises(NoLogprobs, match="no token probabilities"):
        next_token_distribution(reg, "remote/m", "x", False)
    reg, _ = registry(WITH_LOGPROBS, params=frozenset(ALL_PARAMS) - {"top_logprobs"},
                      logprobs_note="This Ollama is too old for probabilities.")
    with pytest.raises(NoLogprobs, match="too old"):
        next_token_distribution(reg, "remote/m", "x", False)


def test_end_of_text_right_away_is_explained():
    reg, _ = registry([Finished(Usage(8, 0), "stop")])
    with pytest.raises(NoLogprobs, match="ended its answer"):
        next_token_distribution(reg, "remote/m", "x", False)


def test_exact_is_refused_for_a_remote_model_and_base_models_refuse_chat():
    reg, _ = registry(WITH_LOGPROBS)
    with pytest.raises(InvalidRequest, match="not an embedded model"):
        next_token_distribution(reg, "remote/m", "x", False, exact=True)
    reg, _ = registry(WITH_LOGPROBS, mode="completion")
    with pytest.raises(InvalidRequest, match="base model"):
        next_token_distribution(reg, "remote/m", "x", True)
