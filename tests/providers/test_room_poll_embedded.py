"""The room poll on the real embedded model: a seeded draw is the explorer's seeded sample and
the token the model itself generates first with that seed; answers are seeded generations."""

from __future__ import annotations

import numpy as np
import pytest

from playground.explorer import choose, next_token_distribution
from playground.request import build_request
from playground.room_poll import RoomPolls, generate_answer
from playground.room_store import RoomStore
from providers.base import TextDelta
from providers.sampling import SamplingParams

SMOL = "embedded/smollm2-135m-instruct"
PROMPT = "La souris de l'ordinateur est un"


@pytest.fixture()
def polls(registry, tmp_path):
    computed = []

    def compute(rnd):
        computed.append(rnd.id)
        return next_token_distribution(registry, rnd.model, rnd.prompt, rnd.chat)

    p = RoomPolls(RoomStore(tmp_path / "room.sqlite3"), compute)
    p.computed = computed
    return p


def first_token_generated(registry, params: SamplingParams, seed: int) -> int:
    req = build_request(SMOL, PROMPT, False, temperature=params.temperature, top_k=params.top_k, top_p=params.top_p,
                        min_p=params.min_p, max_tokens=1, seed=seed, top_logprobs=1)
    for ev in registry.stream(req):
        if isinstance(ev, TextDelta) and ev.logprobs:
            return ev.logprobs[0].id
    raise AssertionError("no token generated")


@pytest.mark.parametrize("params", [SamplingParams(temperature=1.5), SamplingParams(temperature=1.0, top_k=20, top_p=0.9)])
def test_a_draw_is_the_explorers_sample_and_the_models_own_first_token(registry, polls, params):
    rnd = polls.open_round("token", SMOL, PROMPT, False, params)
    dist = next_token_distribution(registry, SMOL, PROMPT, False)
    draws = [polls.draw_token(rnd.id, f"s{seed}", seed) for seed in range(12)]
    assert polls.computed == [rnd.id]  # once for the round
    explorer = [choose(dist, params, "sample", np.random.default_rng(seed)) for seed in range(12)]
    assert [d.token for d in draws] == explorer
    assert [d.value for d in draws] == [dist.piece(i) for i in explorer]
    assert len(set(explorer)) > 1  # at these temperatures the seeds disagree: the test can tell
    # what the model's own sampler generates first with the same seed
    for seed in (0, 3, 7):
        assert first_token_generated(registry, params, seed) == draws[seed].token
    # same seed, same token, in another session
    again = polls.draw_token(rnd.id, "other", 5)
    assert again.token == draws[5].token
    t = polls.tally(rnd.id)
    assert t.n == 13 and t.exact and sum(r.count for r in t.rows) + t.other_count == 13
    top = t.rows[0]
    assert top.prob == pytest.approx(float(max(r.prob for r in t.rows)))


def test_answer_rounds_generate_seeded_short_answers(registry, polls):
    rnd = polls.open_round("answer", SMOL, PROMPT, False, SamplingParams(temperature=1.5), max_tokens=6)
    a = generate_answer(registry, rnd, 11)
    b = generate_answer(registry, rnd, 11)
    assert a == b and a.strip()
    polls.record_answer(rnd.id, "alice", a, 11)
    polls.record_answer(rnd.id, "bob", b, 11)
    t = polls.tally(rnd.id)
    assert t.rows[0].count == 2 and t.n == 2
    assert t.first_words[0][1] == 2
