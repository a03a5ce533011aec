"""Blind vote generation on the real embedded models: both answers are generated once on the
server, each fitted to its model (chat for SmolLM2, raw text for Gemma base), with the
round's fixed seed — the text attendees see is what that seed gives the model alone."""

import random

from playground.blind_vote import BlindVote, board_of
from playground.classroom import Classroom
from playground.room_store import RoomStore
from playground.runner import run_on_registry

MODELS = ("embedded/smollm2-135m-instruct", "embedded/gemma-3-270m")


def test_a_round_is_generated_once_with_its_seed_and_opens(registry, tmp_path):
    board = board_of(Classroom(RoomStore(tmp_path / "room.sqlite3")))
    assert isinstance(board, BlindVote)
    board._rng = random.Random(1)
    r, thread = board.start("Propose un prénom pour un chat roux.", MODELS, registry,
                            {"max_tokens": 12, "seed": 7, "temperature": 0.8})
    assert board.current().status == "generating"
    thread.join(600)
    r = board.round(r.id)
    assert r.status == "open", r.error
    assert r.answer_a.strip() and r.answer_b.strip()
    req_a, req_b = board.requests(r, registry)
    assert {req_a.model, req_b.model} == set(MODELS) and req_a.model == r.model_a
    chat = {req.model: req.is_chat for req in (req_a, req_b)}
    assert chat == {"embedded/smollm2-135m-instruct": True, "embedded/gemma-3-270m": False}
    assert req_a.seed == 7 and req_a.max_tokens == 12
    # the same request alone gives the same text: the answer is the seed's, not the moment's
    assert run_on_registry(registry, req_a).text == r.answer_a
    assert run_on_registry(registry, req_b).text == r.answer_b


def test_a_round_whose_model_is_gone_fails_with_the_reason(registry):
    board = BlindVote(None, rng=random.Random(0))
    r = board.open_round("Bonjour", ("embedded/smollm2-135m-instruct", "embedded/no-such-model"), {"max_tokens": 4})
    r = board.generate(r.id, registry)
    assert r.status == "failed" and "no-such-model" in r.error
    assert "no-such-model" not in str(r.public())
