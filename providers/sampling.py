"""Sampling maths on a row of logits: log-softmax, top-k logprobs, temperature/top-k/top-p/min-p.

One order everywhere (the explorer shows exactly what the embedded sampler does):
temperature → top-k → top-p (on the top-k renormalised mass) → min-p → renormalise.
Each filter keeps a prefix of the tokens sorted by probability (ties broken by token id),
so the kept set is always "the n most likely tokens".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SamplingParams:
    temperature: float = 1.0
    top_k: int = 0  # 0 = off
    top_p: float = 1.0  # 1 = off
    min_p: float = 0.0  # 0 = off


def log_softmax(logits: np.ndarray) -> np.ndarray:
    x = np.asarray(logits, dtype=np.float64)
    m = x.max()
    return x - (m + np.log(np.exp(x - m).sum()))


BLOCK = 256  # rows are scanned in blocks of this many logits (block maxima / block sums)


class Scratch:
    """Reusable buffers for one vocabulary size: a 262k-logit row costs no allocation (and no
    page faults) per token. Not thread-safe: one per loaded model, used under its lock."""

    def __init__(self, n_vocab: int) -> None:
        self.n_vocab = n_vocab
        self.exp1 = np.empty(n_vocab, dtype=np.float32)  # exp(l - max), for the log-sum-exp
        self.expt = np.empty(n_vocab, dtype=np.float32)  # exp((l - max) / T), for the draw


class Row:
    """One row of logits with lazily computed, cached reductions, so the decoding loop pays
    each full pass over the vocabulary at most once per token."""

    def __init__(self, logits: np.ndarray, scratch: Scratch | None = None) -> None:
        self.logits = logits
        self.max = float(logits.max())
        self._scratch = scratch if scratch is not None and scratch.n_vocab == logits.shape[0] else None
        self._lse: float | None = None
        self._exp1: np.ndarray | None = None
        self._w: dict[float, np.ndarray] = {}

    def _buffer(self, name: str) -> np.ndarray:
        if self._scratch is not None and self.logits.dtype == np.float32:
            return getattr(self._scratch, name)
        return np.empty(self.logits.shape[0], dtype=np.float64 if self.logits.dtype != np.float32 else np.float32)

    def exp1(self) -> np.ndarray:
        if self._exp1 is None:
            buf = self._buffer("exp1")
            np.subtract(self.logits, self.max, out=buf)
            self._exp1 = np.exp(buf, out=buf)
        return self._exp1

    @property
    def lse(self) -> float:
        if self._lse is None:
            self._lse = self.max + float(np.log(self.exp1().sum(dtype=np.float64)))
        return self._lse

    def weights(self, temperature: float) -> np.ndarray:
        """exp((l - max) / T): relative probabilities, max = 1 (shared buffer: do not modify)."""
        if temperature == 1.0:
            return self.exp1()
        w = self._w.get(temperature)
        if w is None:
            buf = self._buffer("expt")
            np.subtract(self.logits, self.max, out=buf)
            np.multiply(buf, 1.0 / temperature, out=buf)
            w = self._w[temperature] = np.exp(buf, out=buf)
        return w


def logsumexp(logits: np.ndarray) -> float:
    return Row(logits).lse


def top_k_ids(logits: np.ndarray, k: int) -> np.ndarray:
    """Ids of the k largest logits, largest first, ties broken by the lower id.

    The k-th largest block maximum is a lower bound of the k-th largest logit (k blocks each
    hold a value at least that large), so a threshold there keeps every top-k token and few
    others: two cheap passes instead of argpartition over the whole row."""
    v = logits.shape[0]
    k = max(0, min(int(k), v))
    if k == 0:
        return np.empty(0, dtype=np.int64)
    nb = v // BLOCK
    if nb >= 4 * k:
        maxima = logits[: nb * BLOCK].reshape(nb, BLOCK).max(axis=1)
        if nb * BLOCK < v:
            maxima = np.append(maxima, logits[nb * BLOCK :].max())
        threshold = np.partition(maxima, maxima.shape[0] - k)[maxima.shape[0] - k]
        cand = np.flatnonzero(logits >= threshold)
    else:
        cand = np.arange(v) if v <= 4 * k else np.argpartition(logits, v - k)[v - k :]
        if cand.shape[0] < v:  # argpartition may split ties arbitrarily: take every tie of the k-th value
            cand = np.flatnonzero(logits >= logits[cand].min())
    vals = logits[cand]
    order = np.lexsort((cand, -vals.astype(np.float64)))[:k]
    return cand[order].astype(np.int64)


def top_logprobs(logits: np.ndarray, k: int, lse: float | None = None, row: Row | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The k most likely token ids (most likely first, ties by id) and their log-probabilities."""
    if lse is None:
        lse = (row or Row(logits)).lse
    ids = top_k_ids(logits, k)
    return ids, logits[ids].astype(np.float64) - lse


def _sorted_pool(w: np.ndarray, need_count: int, need_mass: float, key: np.ndarray | None = None) -> np.ndarray:
    """Indices of the most likely tokens, sorted (desc weight, then id), forming a prefix of
    the full sorted order that holds at least `need_count` tokens and `need_mass` of weight.

    `key` (the logits) sorts by logit instead: the same order wherever weights differ, but
    tokens whose weights round to the same value (all the zeros of a low temperature) stay in
    logit order, as `top_k_ids` and the browser's live explorer order them."""
    gap = 8.0
    n = w.shape[0]
    while True:
        thr = np.exp(-gap)
        cand = np.flatnonzero(w >= thr)
        enough = cand.shape[0] >= need_count and (
            need_mass <= 0 or float(w[cand].sum(dtype=np.float64)) >= need_mass
        )
        if enough or cand.shape[0] == n or gap > 700:
            break
        gap *= 2.0
    if not enough and cand.shape[0] < n:
        cand = np.arange(n)
    order = np.lexsort((cand, -(w[cand] if key is None else key[cand])))
    return cand[order]


def _prefix_length(pool_w: np.ndarray, total_for_top_p: float, params: SamplingParams) -> int:
    n = pool_w.shape[0]
    if params.top_k and params.top_k > 0:
        n = min(n, int(params.top_k))
        total_for_top_p = float(pool_w[:n].sum(dtype=np.float64))
    if params.top_p < 1.0:
        cum = np.cumsum(pool_w[:n], dtype=np.float64)
        # smallest prefix whose mass reaches top_p (the token that crosses the line is kept)
        target = params.top_p * total_for_top_p * (1 - 1e-12)
        n = min(n, int(np.searchsorted(cum, target, side="left")) + 1)
    if params.min_p > 0.0 and n > 0:
        # pool_w is relative to the max (w_max = 1), so min_p is a plain threshold
        n = min(n, int(np.count_nonzero(pool_w[:n] >= params.min_p * pool_w[0])))
    return max(n, 1)


def _weights(logits: np.ndarray, temperature: float) -> np.ndarray:
    """exp((l - max) / T): relative probabilities, max = 1. Float32 rows (from llama.cpp) stay
    float32: one fused pass over 262k logits instead of a float64 copy (a third of the cost)."""
    x = np.asarray(logits)
    if x.dtype != np.float32:
        x = x.astype(np.float64)
    w = x - x.max()
    w *= x.dtype.type(1.0 / temperature)
    return np.exp(w, out=w)


def _draw(w: np.ndarray, rng: np.random.Generator) -> int:
    """Inverse-CDF draw from unnormalised weights: cumulate 256-logit block sums, then only
    inside the chosen block (no cumsum over the whole vocabulary)."""
    v = w.shape[0]
    nb = v // BLOCK
    sums = w[: nb * BLOCK].reshape(nb, BLOCK).sum(axis=1, dtype=np.float64) if nb else np.empty(0)
    if nb * BLOCK < v:
        sums = np.append(sums, w[nb * BLOCK :].sum(dtype=np.float64))
    cum = np.cumsum(sums)
    u = rng.random() * cum[-1]
    b = min(int(np.searchsorted(cum, u, side="right")), cum.shape[0] - 1)
    u -= cum[b - 1] if b > 0 else 0.0
    seg = w[b * BLOCK : min((b + 1) * BLOCK, v)]
    c = np.cumsum(seg, dtype=np.float64)
    i = int(np.searchsorted(c, u, side="right"))
    if i >= seg.shape[0] or seg[i] <= 0:  # rounding at the very end of the block
        i = int(np.flatnonzero(seg > 0)[-1])
    return b * BLOCK + i


def sample_token(logits: np.ndarray, params: SamplingParams, rng: np.random.Generator, row: Row | None = None) -> int:
    """Draw one token id. Temperature 0 is greedy (argmax, lowest id on ties)."""
    if params.temperature <= 0.0:
        return int(np.argmax(logits))
    row = row or Row(logits)
    t = params.temperature
    if params.top_k and params.top_k > 0:
        # top-k bounds everything: work on the k best only
        pool = top_k_ids(logits, params.top_k)
        pool_w = np.exp((logits[pool].astype(np.float64) - row.max) / t)
        n = _prefix_length(pool_w, float(pool_w.sum()), params)
    elif params.top_p < 1.0:
        w = row.weights(t)
        total = float(w.sum(dtype=np.float64))
        pool = _sorted_pool(w, 0, params.top_p * total)
        pool_w = w[pool].astype(np.float64)
        n = _prefix_length(pool_w, total, params)
    else:
        w = row.weights(t)
        if params.min_p > 0.0:
            w = np.where(w >= params.min_p, w, 0.0).astype(w.dtype)
        return _draw(w, rng)
    cum = np.cumsum(pool_w[:n])
    u = rng.random() * cum[-1]
    return int(pool[min(np.searchsorted(cum, u, side="right"), n - 1)])


@dataclass(frozen=True)
class Reshaped:
    """A distribution after sampling parameters, for display.

    `ids` are sorted by probability at temperature T (most likely first); `probs_t` is
    softmax(logits / T) for those ids; `kept` says which survive top-k/top-p/min-p;
    `final` is the renormalised probability the sampler would actually draw with.
    """

    ids: np.ndarray
    probs_t: np.ndarray
    kept: np.ndarray
    final: np.ndarray
    n_kept: int
    entropy_t: float  # nats, of softmax(logits / T) over the whole vocabulary
    entropy_final: float  # nats, of the renormalised kept distribution
    vocab_size: int


def entropy(probs: np.ndarray) -> float:
    p = np.asarray(probs, dtype=np.float64)
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def reshape(logits: np.ndarray, params: SamplingParams, show: int = 20) -> Reshaped:
    """softmax(logits / T), then what top-k, top-p and min-p cut, renormalised — exactly as
    `sample_token` draws. Returns the `show` most likely tokens (plus everything kept is
    accounted for in `final`'s mass)."""
    x = np.asarray(logits, dtype=np.float64)
    v = x.shape[0]
    if params.temperature <= 0.0:
        # greedy: the whole mass on the argmax
        top = int(np.argmax(x))
        ids, _ = top_logprobs(x, min(show, v))
        probs = np.zeros(ids.shape[0])
        probs[ids == top] = 1.0
        kept = ids == top
        return Reshaped(ids, probs, kept, probs.copy(), 1, 0.0, 0.0, v)
    w = _weights(x, params.temperature)
    total = float(w.sum())
    p_full = w / total
    ent_t = entropy(p_full)
    need_count = max(show, int(params.top_k) if params.top_k and params.top_k > 0 else 0)
    need_mass = params.top_p * total if params.top_p < 1.0 and not params.top_k else 0.0
    if params.top_k == 0 and params.top_p >= 1.0:
        pool = _sorted_pool(w, show, 0.0, key=x)
        n_kept = int(np.count_nonzero(w >= params.min_p)) if params.min_p > 0 else v
        kept_mass = float(w[w >= params.min_p].sum()) if params.min_p > 0 else total
        kept_w_all = np.where(w >= params.min_p, w, 0.0) if params.min_p > 0 else w
        ent_final = entropy(kept_w_all / kept_mass)
        pool = pool[:show]
        kept = w[pool] >= params.min_p if params.min_p > 0 else np.ones(pool.shape[0], dtype=bool)
        final = np.where(kept, w[pool] / kept_mass, 0.0)
        return Reshaped(pool, p_full[pool], kept, final, n_kept, ent_t, ent_final, v)
    pool = _sorted_pool(w, need_count, need_mass, key=x)
    pool_w = w[pool]
    n = _prefix_length(pool_w, total, params)
    kept_w = pool_w[:n]
    kept_mass = float(kept_w.sum())
    ent_final = entropy(kept_w / kept_mass)
    shown = pool[:show]
    kept = np.arange(shown.shape[0]) < n
    final = np.where(kept, w[shown] / kept_mass, 0.0)
    return Reshaped(shown, p_full[shown], kept, final, n, ent_t, ent_final, v)
