"""A cemantix-style guessing game on embeddings: find a secret French word; each guess is scored by
its cosine with the secret. Pure state and rules (no Streamlit): the page keeps one GameState per
session and asks the embedding model for vectors.

The scale: "temperature" is cosine × 100 (°C, as in cemantix); the progress score (‰, 0–1000)
says how many words of the built-in French vocabulary the guess beats, so 990 ‰ means "closer
than 99 % of the everyday words": with sentence embeddings, raw cosines of unrelated words are
not near 0 and a rank is easier to read than a cosine."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

import numpy as np

from playground.embedding_words import FRENCH_WORDS, SECRET_WORDS

WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")  # letters, inner hyphens or apostrophes
MAX_WORD = 40


@dataclass(frozen=True)
class Guess:
    word: str
    cosine: float
    permille: int  # 0–1000: share of the vocabulary this guess beats (1000: the secret itself)
    order: int  # 1 for the first guess

    @property
    def temperature(self) -> float:
        return round(self.cosine * 100, 2)


@dataclass
class GameState:
    secret: str
    guesses: list[Guess] = field(default_factory=list)
    hints: list[tuple[str, str]] = field(default_factory=list)  # (kind, value): "first_letter", "closer"
    won: bool = False
    revealed: bool = False

    @property
    def over(self) -> bool:
        return self.won or self.revealed

    def ranked(self) -> list[Guess]:
        """The guesses, best first (ties: the earlier one first)."""
        return sorted(self.guesses, key=lambda g: (-g.cosine, g.order))

    def best(self) -> Guess | None:
        ranked = self.ranked()
        return ranked[0] if ranked else None


class BadGuess(ValueError):
    """Not a single word, or already tried: `code` is the catalogue key's tail, `word` what was typed."""

    def __init__(self, code: str, word: str) -> None:
        super().__init__(code)
        self.code = code
        self.word = word


def new_game(rng: random.Random | None = None, exclude: str | None = None) -> GameState:
    """A new secret word (another one than `exclude`, the word just played)."""
    choices = [w for w in SECRET_WORDS if w != exclude]
    return GameState(secret=(rng or random).choice(choices))


def clean_word(text: str) -> str:
    """The guess as compared: trimmed, lower case; BadGuess("not_a_word") unless it is one word."""
    word = (text or "").strip().lower().replace("’", "'")
    if not word or len(word) > MAX_WORD or not WORD.match(word):
        raise BadGuess("not_a_word", (text or "").strip()[:MAX_WORD])
    return word


def permille(cosine: float, secret_to_vocab: np.ndarray) -> int:
    """0–1000: the share of vocabulary words whose cosine with the secret is below this one."""
    sims = np.asarray(secret_to_vocab, dtype=np.float64)
    if sims.size == 0:
        return 0
    return int(round(1000 * float(np.count_nonzero(sims < cosine)) / sims.size))


def play(state: GameState, word: str, cosine: float, secret_to_vocab: np.ndarray) -> Guess:
    """Record a guess of `word` (already cleaned) whose cosine with the secret is `cosine`."""
    if any(g.word == word for g in state.guesses):
        raise BadGuess("already", word)
    if word == state.secret:
        guess = Guess(word, 1.0, 1000, len(state.guesses) + 1)
        state.won = True
    else:
        guess = Guess(word, float(cosine), min(999, permille(cosine, secret_to_vocab)), len(state.guesses) + 1)
    state.guesses.append(guess)
    return guess


def vocabulary_without_secret(secret: str) -> list[str]:
    return [w for w in FRENCH_WORDS if w != secret]


def hint_first_letter(state: GameState) -> str:
    letter = state.secret[0].upper()
    if ("first_letter", letter) not in state.hints:
        state.hints.append(("first_letter", letter))
    return letter


def hint_closer(state: GameState, vocabulary: list[str], secret_to_vocab: np.ndarray) -> str | None:
    """A vocabulary word a little closer to the secret than the best guess so far (the farthest
    of the closer ones, so a hint does not give the game away); None when none is closer."""
    sims = np.asarray(secret_to_vocab)
    best = state.best()
    floor = best.cosine if best is not None else -1.0
    tried = {g.word for g in state.guesses} | {v for k, v in state.hints if k == "closer"}
    closer = [(float(sims[i]), w) for i, w in enumerate(vocabulary) if sims[i] > floor and w not in tried]
    if not closer:
        return None
    if best is None:  # no guess yet: a middling word, not the nearest one
        closer.sort()
        word = closer[len(closer) // 2][1]
    else:
        word = min(closer)[1]
    state.hints.append(("closer", word))
    return word


def give_up(state: GameState) -> str:
    state.revealed = True
    return state.secret


def nearest_words(vocabulary: list[str], secret_to_vocab: np.ndarray, k: int = 10) -> list[tuple[str, float]]:
    """The secret's k nearest vocabulary words (shown once the game is over)."""
    sims = np.asarray(secret_to_vocab)
    order = np.argsort(-sims, kind="stable")[:k]
    return [(vocabulary[i], float(sims[i])) for i in order]
