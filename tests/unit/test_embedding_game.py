"""The guessing game's rules, scored by the real offline model."""

from __future__ import annotations

import random

import numpy as np
import pytest

from playground.embedding_game import (
    BadGuess,
    GameState,
    clean_word,
    give_up,
    hint_closer,
    hint_first_letter,
    nearest_words,
    new_game,
    permille,
    play,
    vocabulary_without_secret,
)
from playground.embedding_words import SECRET_WORDS
from playground.embeddings import embed, embed_cached


def setup(secret: str):
    state = GameState(secret=secret)
    vocab = vocabulary_without_secret(secret)
    secret_vec = embed(None, None, [secret]).vectors[0]
    sims = embed_cached(None, None, vocab) @ secret_vec
    return state, vocab, secret_vec, sims


def guess(state, secret_vec, sims, word):
    w = clean_word(word)
    return play(state, w, float(embed(None, None, [w]).vectors[0] @ secret_vec), sims)


def test_a_related_guess_ranks_above_an_unrelated_one():
    state, vocab, secret_vec, sims = setup("chien")
    far = guess(state, secret_vec, sims, "ordinateur")
    near = guess(state, secret_vec, sims, "Chiot")
    assert near.word == "chiot" and near.cosine > far.cosine and near.permille > far.permille
    assert near.permille >= 900  # a puppy beats nearly every everyday word
    assert [g.word for g in state.ranked()] == ["chiot", "ordinateur"]
    assert not state.over
    won = guess(state, secret_vec, sims, "chien")
    assert won.permille == 1000 and state.won and state.ranked()[0].word == "chien"


def test_bad_and_repeated_guesses_are_refused():
    state, _, secret_vec, sims = setup("soleil")
    for bad in ["", "deux mots", "42", "x" * 41]:
        with pytest.raises(BadGuess) as info:
            clean_word(bad)
        assert info.value.code == "not_a_word"
    assert clean_word(" Grand-Mère ") == "grand-mère" and clean_word("aujourd’hui") == "aujourd'hui"
    guess(state, secret_vec, sims, "lune")
    with pytest.raises(BadGuess) as info:
        guess(state, secret_vec, sims, "LUNE")
    assert info.value.code == "already" and len(state.guesses) == 1


def test_hints_give_away_a_little_and_give_up_reveals():
    state, vocab, secret_vec, sims = setup("pain")
    assert hint_first_letter(state) == "P"
    first = guess(state, secret_vec, sims, "voiture")
    closer = hint_closer(state, vocab, sims)
    assert closer is not None and closer != "pain"
    assert sims[vocab.index(closer)] > first.cosine
    assert give_up(state) == "pain" and state.over
    top = nearest_words(vocab, sims, k=5)
    assert len(top) == 5 and top[0][1] >= top[-1][1] and "pain" not in [w for w, _ in top]


def test_permille_scale_and_new_game():
    sims = np.array([0.1, 0.2, 0.3, 0.4])
    assert permille(0.05, sims) == 0 and permille(0.25, sims) == 500 and permille(0.9, sims) == 1000
    g = new_game(random.Random(3), exclude="chat")
    assert g.secret in SECRET_WORDS and g.secret != "chat" and g.guesses == []
