"""Score a text: how probable the model found each of its tokens, given the ones before.

Embedded models, exactly: the text's tokens go through the same path as the next-token
explorer's step-through (`provider.next_token_logits(prompt, trail)`: the first token as the
prompt, the rest as a forced trail, one token further each call). The scheduler keeps the
previous step's cells, so each call evaluates one token, and every probability shown is bit
for bit what the explorer shows for that prefix (and what generation reports, had the model
written the text itself). Not what a prefix evaluated as one whole prompt gives: llama.cpp's
logits depend on how the cache was filled (measured on Gemma Q4_K_M: 0.0032 vs 0.0028 for one
token), so the page follows one rule, the explorer's.

Remote backends: OpenAI-compatible servers that echo the prompt's logprobs on the legacy
`/v1/completions` endpoint (`echo: true, logprobs: N`, as vLLM and llama.cpp's servers do), with
`max_tokens: 1` rather than 0: llama-cpp-python's server reads 0 as "until the context is full"
(measured: a 2048-token run for a three-word text), so one token is asked for and cut off.
The values are the server's, shown as sent. Measured on llama-cpp-python 0.3.36's server: they
are shifted by one position (the alternatives at token i are the model's guesses for token i+1,
and token i's logprob is read from them), which the page's caption says; the embedded path is
the exact one. Others cannot score a given text: NoPromptLogprobs says so plainly.

Perplexity = exp(−mean log p) over the scored tokens; surprisal = −log2 p (bits).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from playground.request import build_request
from providers.base import InvalidRequest, ProviderError, TokenAlternative, TokenLogprob

MAX_TOKENS = 512  # longer texts are cut here (each token is one evaluation on a shared CPU)
TOP_N = 5  # alternatives kept per position (the hover)


class NoPromptLogprobs(ProviderError):
    """The backend cannot return the logprobs of a given text's tokens."""

    kind = "unsupported"


@dataclass(frozen=True)
class ScoredToken:
    piece: str
    token_id: int | None
    logprob: float | None  # None: the first token, which nothing before it predicts
    top: tuple[TokenAlternative, ...] = ()

    @property
    def prob(self) -> float | None:
        return None if self.logprob is None else math.exp(self.logprob)

    @property
    def surprisal_bits(self) -> float | None:
        return None if self.logprob is None else surprisal_bits(self.logprob)

    def as_logprob(self) -> TokenLogprob:
        """For the shared heatmap (playground.token_html): an unscored token shows as certain."""
        return TokenLogprob(self.piece, 0.0 if self.logprob is None else self.logprob, self.top, self.token_id)


@dataclass(frozen=True)
class Score:
    model_id: str
    tokens: tuple[ScoredToken, ...]
    n_text_tokens: int  # before the cap
    exact: bool  # full-vocabulary logits (embedded) or a server's echoed logprobs

    @property
    def truncated(self) -> bool:
        return self.n_text_tokens > len(self.tokens)

    @property
    def logprobs(self) -> list[float]:
        return [t.logprob for t in self.tokens if t.logprob is not None and math.isfinite(t.logprob)]

    @property
    def perplexity(self) -> float | None:
        return perplexity(self.logprobs)

    @property
    def mean_surprisal_bits(self) -> float | None:
        lps = self.logprobs
        return None if not lps else surprisal_bits(sum(lps) / len(lps))

    def most_surprising(self, n: int = 10) -> list[tuple[int, ScoredToken]]:
        """(position, token) of the n least probable scored tokens, most surprising first."""
        scored = [(i, t) for i, t in enumerate(self.tokens) if t.logprob is not None]
        return sorted(scored, key=lambda it: (it[1].logprob, it[0]))[:n]


def surprisal_bits(logprob: float) -> float:
    """−log2 p from a natural-log probability."""
    return -logprob / math.log(2)


def perplexity(logprobs: Sequence[float]) -> float | None:
    """exp(−mean of the natural-log probabilities); None without any."""
    lps = [float(x) for x in logprobs if x is not None and math.isfinite(x)]
    if not lps:
        return None
    return math.exp(-sum(lps) / len(lps))


def _check_text(text: str) -> None:
    if not text or not text.strip():
        raise InvalidRequest("The text is empty: paste the text to score.", code="score_empty")


# ---------------------------------------------------------------- embedded (exact)
def log_softmax(logits: np.ndarray) -> np.ndarray:
    """In float64, as the explorer computes its probabilities (playground.explorer.log_probs_at)."""
    x = np.asarray(logits, dtype=np.float64)
    m = float(x.max())
    return x - (m + math.log(float(np.exp(x - m).sum())))


def text_ids(m, model_id: str, text: str) -> tuple[list[int], bool]:
    """(token ids of the raw text as the model reads it, whether ids[0] is a BOS added before it)."""
    _, ids = m.prompt_tokens(build_request(model_id, text, False))
    raw = m.tokenize(text, add_bos=False, special=False)
    return list(ids), len(ids) == len(raw) + 1


def score_embedded(registry, model_id: str, text: str, max_tokens: int = MAX_TOKENS, top_n: int = TOP_N,
                   cancel: threading.Event | None = None,
                   progress: Callable[[int, int], None] | None = None) -> Score:
    """Every token of `text` with the probability the embedded model gave it (see module doc)."""
    _check_text(text)
    provider, name = registry.resolve(model_id)
    m = provider.loaded(name)
    ids, has_bos = text_ids(m, model_id, text)
    n_text = len(ids) - (1 if has_bos else 0)
    keep = max_tokens + (1 if has_bos else 0)
    ids = ids[: min(keep, m.n_ctx - 1)]
    prompt, trail = ids[:1], ids[1:]
    out: list[ScoredToken] = [] if has_bos else [ScoredToken(m.piece(ids[0]), ids[0], None)]
    for k, tok in enumerate(trail):
        if cancel is not None and cancel.is_set():
            raise InvalidRequest("Scoring was stopped.", code="cancelled")
        logits = provider.next_token_logits(name, list(prompt), list(trail[:k]), cancel)
        lp = log_softmax(logits)
        top_ids = np.argpartition(-lp, top_n)[:top_n] if top_n < len(lp) else np.arange(len(lp))
        top_ids = top_ids[np.argsort(-lp[top_ids], kind="stable")]
        top = tuple(TokenAlternative(m.piece(int(i)), float(lp[i]), int(i)) for i in top_ids)
        out.append(ScoredToken(m.piece(tok), int(tok), float(lp[tok]), top))
        if progress is not None:
            progress(k + 1, len(trail))
    return Score(model_id, tuple(out), n_text, True)


# ---------------------------------------------------------------- remote (echoed prompt logprobs)
def parse_echo(body: dict, text: str | None = None, max_tokens: int = MAX_TOKENS) -> tuple[list[ScoredToken], int]:
    """The legacy completions answer with `echo: true`: choices[0].logprobs holds `tokens`,
    `token_logprobs` (the first is null) and `top_logprobs` (a {token: logprob} map per position).

    The request asks for one generated token (see OpenAICompatProvider.prompt_logprobs); it is
    cut off here: the text's tokens are the first `usage.prompt_tokens`, or else those starting
    before the end of the text (`text_offset`)."""
    try:
        lp = body["choices"][0]["logprobs"]
        tokens = list(lp["tokens"])
        values = list(lp["token_logprobs"])
    except (KeyError, IndexError, TypeError):
        raise NoPromptLogprobs("The server answered without the prompt's token logprobs (no echo support).",
                               code="score_no_echo") from None
    tops = list(lp.get("top_logprobs") or [])
    tops += [None] * (len(tokens) - len(tops))
    n = len(tokens)
    prompt_tokens = (body.get("usage") or {}).get("prompt_tokens")
    offsets = lp.get("text_offset")
    if isinstance(prompt_tokens, int) and 0 < prompt_tokens <= n:
        n = prompt_tokens
    elif text is not None and isinstance(offsets, list) and len(offsets) == n:
        n = sum(1 for o in offsets if isinstance(o, int) and o < len(text))
    out = []
    for piece, value, top in list(zip(tokens, values, tops))[:n]:
        alts = ()
        if isinstance(top, dict):
            alts = tuple(TokenAlternative(str(k), float(v)) for k, v in sorted(top.items(), key=lambda kv: -kv[1]))
        out.append(ScoredToken(str(piece), None, None if value is None else float(value), alts))
    return out[:max_tokens], n


def score_remote(registry, model_id: str, text: str, max_tokens: int = MAX_TOKENS, top_n: int = TOP_N,
                 cancel: threading.Event | None = None) -> Score:
    """A remote model's score of `text`, where its server echoes prompt logprobs."""
    _check_text(text)
    from providers.openai_compat import OpenAICompatProvider

    provider, name = registry.resolve(model_id)
    if not isinstance(provider, OpenAICompatProvider):
        raise NoPromptLogprobs(f"{model_id} cannot score a given text: its API does not return the logprobs of "
                               "the prompt's tokens (only of what it generates).",
                               code="score_unsupported", params={"model": model_id})
    body = provider.prompt_logprobs(name, text, top_n)
    tokens, n = parse_echo(body, text, max_tokens)
    return Score(model_id, tuple(tokens), n, False)


def score_text(registry, model_id: str, text: str, max_tokens: int = MAX_TOKENS, top_n: int = TOP_N,
               cancel: threading.Event | None = None,
               progress: Callable[[int, int], None] | None = None) -> Score:
    """Embedded models exactly; OpenAI-compatible servers through echo; others: NoPromptLogprobs."""
    from providers.embedded.provider import EmbeddedProvider

    provider, _ = registry.resolve(model_id)
    if isinstance(provider, EmbeddedProvider):
        return score_embedded(registry, model_id, text, max_tokens, top_n, cancel, progress)
    return score_remote(registry, model_id, text, max_tokens, top_n, cancel)


# ---------------------------------------------------------------- display
def _title(t: ScoredToken, lang: str, first_note: str) -> str:
    from playground.numbers import number, percent, small_percent
    from playground.token_html import visible

    if t.logprob is None:
        return f"{visible(t.piece)!r} — {first_note}"
    sep = "\u202f: " if lang == "fr" else ": "
    lines = [f"{visible(t.piece)!r}{sep}{small_percent(t.prob, lang)} · {number(surprisal_bits(t.logprob), lang, 1)} bits"]
    for a in t.top:
        mark = "→ " if (a.id is not None and a.id == t.token_id) or (a.id is None and a.token == t.piece) else "   "
        lines.append(f"{mark}{visible(a.token)!r}  {percent(math.exp(a.logprob), lang, 2)}")
    return "\n".join(lines)


def score_html(score: Score, lang: str, first_note: str) -> str:
    """The text, each token coloured by its probability (playground.token_html's colours); the
    title (hover) gives its probability, its surprisal and the model's top alternatives.
    Every piece and title is escaped: a pasted text can contain markup."""
    from playground.token_html import esc, prob_colour

    spans = []
    for i, t in enumerate(score.tokens):
        piece = esc(t.piece).replace("\n", "↵<br>")
        bg = "#e5e7eb" if t.prob is None else prob_colour(t.prob)
        spans.append(f'<span class="pg-tok pg-score-tok" data-i="{i}" title="{esc(_title(t, lang, first_note))}" '
                     f'style="background:{bg};color:#111;border-radius:3px;padding:1px 0;white-space:pre-wrap">'
                     f"{piece}</span>")
    return f'<div class="pg-score" style="line-height:1.9;font-family:monospace">{"".join(spans)}</div>'
