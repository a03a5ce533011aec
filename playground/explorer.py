"""Next-token explorer core: the distribution a model gives its next token, reshaped exactly as
the sampler would, and a step-through trail (append, undo, branch) as a pure data structure.

Embedded models give the full-vocabulary logits (exact). Any other provider that returns top
logprobs gives an approximation built from those (at most ~20 tokens, raw: before temperature).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from playground.request import build_request
from providers.base import (
    Finished,
    GenerationRequest,
    InvalidRequest,
    ProviderError,
    TextDelta,
    TokenAlternative,
    TokenLogprob,
)
from providers.embedded import EmbeddedProvider
from providers.sampling import Reshaped, SamplingParams, entropy, reshape, sample_token, top_logprobs

# Entropy-vs-temperature curve: where the page draws it.
T_GRID = tuple(round(0.05 * i, 2) for i in range(1, 41))  # 0.05 … 2.0


class NoLogprobs(ProviderError):
    """The backend returned no probabilities for this request (so no distribution to show)."""

    kind = "logprobs_unavailable"


@dataclass(frozen=True)
class Distribution:
    """The next-token distribution for one context.

    `logits` are the full-vocabulary logits (exact) or, for approximate distributions, the raw
    logprobs of the returned tokens only; `ids[i]` is the token id of `logits[i]` (for exact
    ones, simply i; for approximate ones, the provider's id or -1 when unknown).
    """

    model_id: str
    logits: np.ndarray
    exact: bool
    vocab_size: int | None
    context_tokens: int  # tokens in the context (prompt + trail) for exact ones; 0 when unknown
    pieces: tuple[str, ...] = ()  # approximate: the returned tokens' text
    ids: tuple[int, ...] = ()  # approximate: their ids (-1 when the backend did not send one)
    returned_mass: float = 1.0  # approximate: share of the raw mass the returned tokens hold
    _piece_fn: object = field(default=None, repr=False, compare=False)

    @cached_property
    def log_normaliser(self) -> float:
        """logsumexp of the logits (computed once: every slider move needs it)."""
        x = np.asarray(self.logits, dtype=np.float64)
        m = float(x.max())
        return m + math.log(float(np.exp(x - m).sum()))

    def piece(self, index: int) -> str:
        """Text of the token at position `index` of `logits`."""
        if not self.exact:
            return self.pieces[index]
        return self._piece_fn(int(index)) if self._piece_fn is not None else f"#{index}"

    def token_id(self, index: int) -> int | None:
        if self.exact:
            return int(index)
        tid = self.ids[index] if index < len(self.ids) else -1
        return None if tid is None or tid < 0 else int(tid)


@dataclass(frozen=True)
class Candidate:
    index: int  # position in Distribution.logits
    token_id: int | None
    piece: str
    logprob: float  # raw log-probability (T = 1, no filter); over the returned tokens when approximate
    prob_t: float  # softmax(logits / T)
    prob_final: float  # after top-k / top-p / min-p, renormalised (0 when cut)
    kept: bool


@dataclass(frozen=True)
class View:
    """What the page shows after reshaping: top candidates, the "other" mass, entropies."""

    candidates: tuple[Candidate, ...]
    other_final: float  # kept mass outside the shown candidates
    other_t: float  # softmax(·/T) mass outside the shown candidates
    n_kept: int
    entropy_t: float  # nats
    entropy_final: float  # nats
    vocab_size: int | None
    exact: bool
    reshaped: Reshaped


def view(dist: Distribution, params: SamplingParams, show: int = 20) -> View:
    """Reshape `dist` with the sampler's own maths (no model call) and pick what to show."""
    r = reshape(dist.logits, params, show=show)
    lp = log_probs_at(dist, r.ids)
    cands = tuple(
        Candidate(
            index=int(i),
            token_id=dist.token_id(int(i)),
            piece=dist.piece(int(i)),
            logprob=float(lp[j]),
            prob_t=float(r.probs_t[j]),
            prob_final=float(r.final[j]),
            kept=bool(r.kept[j]),
        )
        for j, i in enumerate(r.ids)
    )
    other_final = max(0.0, 1.0 - float(r.final.sum()))
    other_t = max(0.0, 1.0 - float(r.probs_t.sum()))
    return View(cands, other_final, other_t, r.n_kept, r.entropy_t, r.entropy_final, dist.vocab_size, dist.exact, r)


def log_probs_at(dist: Distribution, indices: np.ndarray) -> np.ndarray:
    """Raw log-probabilities of some tokens: log-softmax when exact, the provider's own values otherwise."""
    x = np.asarray(dist.logits, dtype=np.float64)[np.asarray(indices, dtype=np.int64)]
    return x if not dist.exact else x - dist.log_normaliser


def entropy_at(logits: np.ndarray, temperature: float) -> float:
    """Entropy (nats) of softmax(logits / T) over everything in `logits`; 0 at T = 0 (greedy)."""
    if temperature <= 0:
        return 0.0
    x = np.asarray(logits, dtype=np.float64)
    w = np.exp((x - x.max()) / temperature)
    return entropy(w / w.sum())


def entropy_curve(dist: Distribution, temperatures: Sequence[float] = T_GRID) -> list[tuple[float, float]]:
    """(T, entropy in nats) pairs: how spread the distribution is as the temperature moves."""
    return [(float(t), entropy_at(dist.logits, t)) for t in temperatures]


def choose(dist: Distribution, params: SamplingParams, how: str, rng: np.random.Generator | None = None) -> int:
    """Index of the token "most likely" (greedy: argmax, lowest id on ties) or "sample" picks."""
    if how == "greedy":
        return sample_token(dist.logits, SamplingParams(temperature=0.0), np.random.default_rng(0))
    if how == "sample":
        return sample_token(dist.logits, params, rng if rng is not None else np.random.default_rng())
    raise ValueError(f"unknown choice {how!r}")


def probability_of(dist: Distribution, index: int, params: SamplingParams) -> tuple[float, float]:
    """(raw probability, probability under `params` after filters) of one token."""
    raw = float(math.exp(log_probs_at(dist, np.array([index]))[0]))
    if params.temperature <= 0:
        greedy = choose(dist, params, "greedy")
        return raw, 1.0 if int(index) == greedy else 0.0
    r = reshape(dist.logits, params, show=max(1, min(len(dist.logits), 1)))
    # The kept set is a prefix of the sorted order: the token is kept if its weight is at
    # least that of the n_kept-th token; compute its renormalised share directly.
    x = np.asarray(dist.logits, dtype=np.float64)
    w = np.exp((x - x.max()) / params.temperature)
    order_w = np.sort(w)[::-1]
    threshold = order_w[r.n_kept - 1]
    if w[index] < threshold:
        return raw, 0.0
    kept_mass = float(order_w[: r.n_kept].sum())
    return raw, float(w[index] / kept_mass)


# ---------------------------------------------------------------- step-through trail
@dataclass(frozen=True)
class Step:
    """One chosen token and its probability at the time it was chosen."""

    index: int  # position in the distribution it was chosen from (the token id when exact)
    token_id: int | None
    piece: str
    prob: float  # under the parameters in force (after filters, renormalised)
    prob_raw: float  # T = 1, no filter
    how: str  # "greedy" | "sample" | "pick"
    top: tuple[TokenAlternative, ...] = ()  # the most likely alternatives at that point (raw)

    def as_logprob(self) -> TokenLogprob:
        """The step as a TokenLogprob (raw probability), for the heatmap."""
        return TokenLogprob(self.piece, math.log(self.prob_raw) if self.prob_raw > 0 else -math.inf, self.top, self.token_id)


@dataclass(frozen=True)
class Trail:
    """The tokens appended so far; undo drops the last; branch restarts from an earlier step,
    keeping the abandoned continuation in `branches` so the presenter can show it again."""

    steps: tuple[Step, ...] = ()
    branches: tuple[tuple[Step, ...], ...] = ()

    def append(self, step: Step) -> Trail:
        return replace(self, steps=self.steps + (step,))

    def undo(self) -> Trail:
        return replace(self, steps=self.steps[:-1]) if self.steps else self

    def branch(self, at: int) -> Trail:
        """Keep the first `at` steps; the rest is remembered as a branch."""
        at = max(0, min(int(at), len(self.steps)))
        if at == len(self.steps):
            return self
        return Trail(self.steps[:at], self.branches + (self.steps,))

    def restore(self, branch_index: int) -> Trail:
        """Go back to a remembered branch (the current steps become a branch in turn)."""
        chosen = self.branches[branch_index]
        rest = self.branches[:branch_index] + self.branches[branch_index + 1 :]
        if self.steps:
            rest = rest + (self.steps,)
        return Trail(chosen, rest)

    @property
    def token_ids(self) -> list[int]:
        return [s.token_id for s in self.steps if s.token_id is not None]

    @property
    def text(self) -> str:
        return "".join(s.piece for s in self.steps)

    def joint_logprob(self) -> float:
        """Log-probability (raw) of the whole trail given the prompt."""
        return float(sum(math.log(s.prob_raw) for s in self.steps if s.prob_raw > 0))


def step_from(dist: Distribution, index: int, params: SamplingParams, how: str, n_top: int = 10) -> Step:
    raw, final = probability_of(dist, index, params)

    if dist.exact:
        ids, lps = top_logprobs(dist.logits, n_top)
    else:
        ids, lps = np.arange(min(n_top, len(dist.logits))), np.asarray(dist.logits[:n_top], dtype=np.float64)
    top = tuple(TokenAlternative(dist.piece(int(i)), float(lp), dist.token_id(int(i))) for i, lp in zip(ids, lps))
    return Step(int(index), dist.token_id(index), dist.piece(index), final, raw, how, top)


# ---------------------------------------------------------------- getting a distribution
def embedded_model(registry, model_id: str):
    """The LoadedModel behind an embedded id (weights and tokenizer; its scheduler starts with
    the first logits asked of it), or None for any other provider."""
    provider, name = registry.resolve(model_id)

    if isinstance(provider, EmbeddedProvider):
        return provider.loaded(name)
    return None


def context_ids(registry, model_id: str, prompt: str, chat: bool, trail_ids: Sequence[int] = (),
                system: str | None = None) -> list[int]:
    """Token ids the embedded model sees: the prompt (chat template applied in chat mode) + the trail."""
    m = embedded_model(registry, model_id)
    if m is None:
        raise InvalidRequest(f"{model_id} is not an embedded model: its token ids are not available.")
    req = build_request(model_id, prompt, chat, system)
    _check_prompt(req, m.mode)
    _, ids = m.prompt_tokens(req)
    return list(ids) + [int(t) for t in trail_ids]


def _check_prompt(req: GenerationRequest, mode: str | None) -> None:
    if not req.user_text().strip():
        raise InvalidRequest("The prompt is empty: type something to send to the model.")
    if req.is_chat and mode is not None and mode != "chat":
        raise InvalidRequest(f"{req.model} is a base model without a chat template: use raw completion mode.")


def next_token_distribution(registry, model_id: str, prompt: str, chat: bool, trail: Trail | None = None,
                            system: str | None = None, exact: bool | None = None,
                            cancel: threading.Event | None = None) -> Distribution:
    """The next-token distribution after `prompt` (+ the trail's tokens).

    Embedded models: the full-vocabulary logits (exact; the KV cache prefix is reused, so a
    step-through step decodes one token). Others (or `exact=False`): built from the provider's
    top logprobs via one normal streamed request with max_tokens=1.
    """
    trail = trail or Trail()
    m = embedded_model(registry, model_id) if exact is not False else None
    if m is not None:
        req = build_request(model_id, prompt, chat, system)
        _check_prompt(req, m.mode)
        _, prompt_ids = m.prompt_tokens(req)
        ids = list(prompt_ids) + trail.token_ids
        if len(ids) >= m.n_ctx:
            raise InvalidRequest(f"The context is {len(ids)} tokens long but {model_id} holds {m.n_ctx}: shorten it.")
        provider, name = registry.resolve(model_id)
        # through the model's scheduler: the prompt and the trail are evaluated exactly as
        # generation evaluates them, so what is shown is bit for bit what the sampler sees
        logits = provider.next_token_logits(name, list(prompt_ids), list(trail.token_ids), cancel)
        return Distribution(model_id, logits, True, m.n_vocab, len(ids), _piece_fn=m.piece)
    if exact:
        raise InvalidRequest(f"{model_id} is not an embedded model: only an approximate distribution is available.")
    return distribution_from_logprobs(registry, model_id, prompt, chat, trail, system, cancel)


def distribution_from_logprobs(registry, model_id: str, prompt: str, chat: bool, trail: Trail | None = None,
                               system: str | None = None, cancel: threading.Event | None = None) -> Distribution:
    """Approximate distribution from any provider returning top logprobs (raw, temperature-free).

    The trail is sent as text: appended to the raw prompt, or as a final assistant message to
    continue in chat mode (servers that do not continue a partial assistant message answer anew).
    """
    trail = trail or Trail()
    caps = registry.capabilities(model_id)
    k = min(20, caps.max_top_logprobs or 0) if "top_logprobs" in caps.params else 0
    if k <= 0:
        raise NoLogprobs(caps.logprobs_note or f"{model_id} does not return token probabilities.")
    req = build_request(model_id, prompt, chat, system, assistant_prefix=trail.text,
                        temperature=0.0, max_tokens=1, top_logprobs=k)
    _check_prompt(req, caps.mode)
    first = None
    finish = None
    for ev in registry.stream(req, cancel):
        if isinstance(ev, TextDelta) and ev.logprobs and first is None:
            first = ev.logprobs[0]
        elif isinstance(ev, Finished):
            finish = ev.finish_reason
    if first is None or not first.top:
        if finish == "stop":
            raise NoLogprobs(f"{model_id} ended its answer here (end-of-text token): nothing follows.")
        raise NoLogprobs(f"{model_id} returned no token probabilities for this request.")
    top = list(first.top)
    lps = np.array([a.logprob for a in top], dtype=np.float64)
    mass = float(np.exp(lps).sum())
    return Distribution(
        model_id,
        lps.astype(np.float32),
        False,
        caps.details.get("vocab_size") if caps.details else None,
        0,
        pieces=tuple(a.token for a in top),
        ids=tuple(-1 if a.id is None else int(a.id) for a in top),
        returned_mass=min(1.0, mass),
    )

