"""Blind vote: two anonymous answers to one prompt, the room votes, the instructor reveals.

A *round* is one prompt answered by two models placed at random on side A and side B; the
answers are generated once on the server (same seed for everyone) and every attendee sees the
same two texts. Each browser session casts one vote per round — A, B, tie, or both bad — and a
second vote is *refused* with a clear message (not replaced): a vote is what the attendee said
before the reveal, and replacing it would let the reveal change the tally.

Anonymity: which model sits on which side is known to the core only. `Round.public()` is what
an attendee's page may show; it carries no model id until the round is revealed. The room-wide
ranking counts *revealed* rounds only — a ranking that moved while a round is open, projected
on the wall, would tell the room who A is.

Ranking: a Bradley–Terry model fitted with Hunter's MM algorithm (2004): p_i ← W_i / Σ_j
n_ij / (p_i + p_j), W_i the wins of i, n_ij the comparisons of i and j. A tie counts as half a
win for each side (one comparison). "Both bad" is *not* a tie: it says both answers failed the
task, not that they are equally good, so it is kept out of the fit and reported on its own
(per pair and per model). Every compared pair gets `prior_ties` virtual ties: a unanimous
vote would otherwise push a strength to 0 (log-strength −∞); its weight fades as votes grow.
Strengths are shown on the Elo scale, 1000 + 400·log10(p_i / geometric mean of p).

Confidence intervals: 95 % percentile bootstrap over the votes (votes resampled with
replacement, `n_boot` refits, fixed seed so the same votes always give the same interval).
Chosen over the Fisher information because it needs no extra derivation for the half wins
and the prior, stays honest for the small, lopsided counts of a classroom (where the normal
approximation is poor), and is what public arena leaderboards do; all refits run as one
batched MM iteration in numpy. Elo (K = 32, votes in time order) is a secondary figure: it
depends on the order of votes, Bradley–Terry does not.

Storage: the room's SQLite file (`Classroom.store`), tables `blind_rounds` and `blind_votes`
(primary key round + session: the database refuses a double vote too). Without a store the
board lives in memory. One lock per board makes every change atomic across Streamlit's
session threads; reads come from memory.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import random
import sqlite3
import threading
import time
import uuid
import weakref
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from playground import numbers
from playground.compare import compare
from playground.errors import CodedError
from playground.request import build_request
from providers.base import ProviderError, fit_to_capabilities

log = logging.getLogger(__name__)

CHOICES = ("a", "b", "tie", "both_bad")
STATUSES = ("generating", "open", "revealed", "failed")
PARAM_NAMES = ("temperature", "top_p", "top_k", "min_p", "max_tokens", "seed")
DEFAULT_PARAMS = {"temperature": 0.7, "max_tokens": 160, "seed": 42}
ELO_BASE = 1000.0
ELO_K = 32.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS blind_rounds (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL,
    prompt TEXT NOT NULL,
    system TEXT NOT NULL DEFAULT '',
    model_a TEXT NOT NULL,
    model_b TEXT NOT NULL,
    params TEXT NOT NULL,
    status TEXT NOT NULL,
    answer_a TEXT NOT NULL DEFAULT '',
    answer_b TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    revealed_at REAL
);
CREATE TABLE IF NOT EXISTS blind_votes (
    round_id TEXT NOT NULL,
    voter TEXT NOT NULL,
    choice TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (round_id, voter)
);
"""


class VoteError(CodedError):
    """A refused action, with an i18n code (`bv.err.*`) and its parameters for the UI."""


@dataclass(frozen=True)
class Round:
    id: str
    number: int
    prompt: str
    model_a: str
    model_b: str
    params: Mapping[str, Any] = field(default_factory=dict)
    status: str = "generating"
    answer_a: str = ""
    answer_b: str = ""
    error: str = ""  # why generation failed; may name a model, so the instructor's eyes only
    system: str = ""
    created_at: float = 0.0
    revealed_at: float | None = None

    @property
    def revealed(self) -> bool:
        return self.status == "revealed"

    def model(self, side: str) -> str:
        return self.model_a if side == "a" else self.model_b

    def public(self) -> dict:
        """What an attendee's page may show: no model (nor error text) before the reveal."""
        d = {"id": self.id, "number": self.number, "prompt": self.prompt, "system": self.system,
             "status": self.status, "answer_a": self.answer_a, "answer_b": self.answer_b}
        if self.revealed:
            d.update(model_a=self.model_a, model_b=self.model_b)
        return d


@dataclass(frozen=True)
class Tally:
    a: int = 0
    b: int = 0
    tie: int = 0
    both_bad: int = 0

    @property
    def total(self) -> int:
        return self.a + self.b + self.tie + self.both_bad

    def count(self, choice: str) -> int:
        return getattr(self, choice)


@dataclass(frozen=True)
class PairTally:
    """Votes between two models over every revealed round that put them face to face."""

    model_1: str  # the pair in sorted order, whatever the sides were
    model_2: str
    wins_1: int = 0
    wins_2: int = 0
    ties: int = 0
    both_bad: int = 0
    rounds: int = 0


@dataclass(frozen=True)
class RankRow:
    model: str
    score: float  # Bradley–Terry on the Elo scale
    ci_low: float
    ci_high: float
    elo: float  # sequential Elo, secondary
    wins: float  # ties as halves
    comparisons: int  # votes between this model and another one (ties included, both bad not)
    both_bad: int


@dataclass(frozen=True)
class Ranking:
    rows: tuple[RankRow, ...] = ()
    votes: int = 0  # votes in the fit (both bad excluded)
    both_bad: int = 0
    n_boot: int = 0


# ---------------------------------------------------------------- Bradley–Terry


def fit_bradley_terry(wins: np.ndarray, prior_ties: float = 0.0, tol: float = 1e-10,
                      max_iter: int = 20000) -> np.ndarray:
    """Strengths p (geometric mean 1 over compared models) from `wins[..., i, j]` = (possibly
    fractional) wins of i over j. A leading batch axis fits many win matrices at once.

    Hunter's MM update, which increases the likelihood at every step; it converges when the
    comparison graph is strongly connected (every model won and lost something), which the
    `prior_ties` virtual ties per compared pair guarantee. A model never compared keeps p = 1.
    """
    w = np.asarray(wins, dtype=float)
    single = w.ndim == 2
    if single:
        w = w[None]
    n = w + np.swapaxes(w, -1, -2)
    if prior_ties:
        w = w + (n > 0) * (prior_ties / 2.0)
        n = w + np.swapaxes(w, -1, -2)
    compared = n.sum(axis=-1) > 0  # (B, k)
    total_wins = w.sum(axis=-1)
    p = np.ones(w.shape[:-1])
    for _ in range(max_iter):
        denom = (n / (p[..., :, None] + p[..., None, :])).sum(axis=-1)
        new = np.where(compared, total_wins / np.where(denom > 0, denom, 1.0), 1.0)
        new = np.maximum(new, 1e-300)
        logs = np.where(compared, np.log(new), 0.0)
        count = np.maximum(compared.sum(axis=-1, keepdims=True), 1)
        new = np.where(compared, np.exp(logs - logs.sum(axis=-1, keepdims=True) / count), 1.0)
        done = np.max(np.abs(np.log(new) - np.log(p))) < tol
        p = new
        if done:
            break
    return p[0] if single else p


def elo_scale(p: np.ndarray) -> np.ndarray:
    """Strengths (geometric mean 1) as Elo-like scores: 1000 + 400·log10 p."""
    return ELO_BASE + 400.0 * np.log10(p)


def _outcomes(votes: Sequence[tuple[int, int, str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, score of i) for the votes that compare (both bad dropped)."""
    kept = [(i, j, 1.0 if c == "a" else 0.0 if c == "b" else 0.5) for i, j, c in votes if c != "both_bad"]
    if not kept:
        return np.zeros(0, int), np.zeros(0, int), np.zeros(0)
    arr = np.array(kept, dtype=float)
    return arr[:, 0].astype(int), arr[:, 1].astype(int), arr[:, 2]


def win_matrix(k: int, i: np.ndarray, j: np.ndarray, s: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """wins[i, j] from votes (i, j, score of i); `weights` (B, n) gives B resampled matrices."""
    if weights is None:
        w = np.zeros((k, k))
        np.add.at(w, (i, j), s)
        np.add.at(w, (j, i), 1.0 - s)
        return w
    b = weights.shape[0]
    w = np.zeros((b, k, k))
    for r in range(b):
        np.add.at(w[r], (i, j), s * weights[r])
        np.add.at(w[r], (j, i), (1.0 - s) * weights[r])
    return w


def bootstrap_scores(k: int, i: np.ndarray, j: np.ndarray, s: np.ndarray, n_boot: int = 200, seed: int = 0,
                     prior_ties: float = 1.0) -> np.ndarray:
    """(n_boot, k) Elo-scale scores, each fitted on the votes resampled with replacement."""
    if len(s) == 0 or n_boot <= 0:
        return np.full((0, k), ELO_BASE)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(s), np.full(len(s), 1.0 / len(s)), size=n_boot).astype(float)
    return elo_scale(fit_bradley_terry(win_matrix(k, i, j, s, weights), prior_ties))


def sequential_elo(k: int, i: np.ndarray, j: np.ndarray, s: np.ndarray, k_factor: float = ELO_K) -> np.ndarray:
    r = np.full(k, ELO_BASE)
    for a, b, score in zip(i, j, s):
        expected = 1.0 / (1.0 + 10 ** ((r[b] - r[a]) / 400.0))
        r[a] += k_factor * (score - expected)
        r[b] -= k_factor * (score - expected)
    return r


def rank(votes: Sequence[tuple[str, str, str]], n_boot: int = 200, seed: int = 0,
         prior_ties: float = 1.0) -> Ranking:
    """The ranking from votes (model on side A, model on side B, choice), in time order."""
    models = sorted({m for a, b, _ in votes for m in (a, b)})
    index = {m: n for n, m in enumerate(models)}
    coded = [(index[a], index[b], c) for a, b, c in votes]
    i, j, s = _outcomes(coded)
    k = len(models)
    if k == 0:
        return Ranking()
    scores = elo_scale(fit_bradley_terry(win_matrix(k, i, j, s), prior_ties))
    boot = bootstrap_scores(k, i, j, s, n_boot, seed, prior_ties)
    low, high = (np.percentile(boot, [2.5, 97.5], axis=0) if len(boot) else (scores, scores))
    elo = sequential_elo(k, i, j, s)
    wins = np.zeros(k)
    comps = np.zeros(k, dtype=int)
    np.add.at(wins, i, s)
    np.add.at(wins, j, 1.0 - s)
    np.add.at(comps, i, 1)
    np.add.at(comps, j, 1)
    bad = np.zeros(k, dtype=int)
    for a, b, c in coded:
        if c == "both_bad":
            bad[a] += 1
            bad[b] += 1
    rows = [RankRow(m, float(scores[n]), float(min(low[n], scores[n])), float(max(high[n], scores[n])),
                    float(elo[n]), float(wins[n]), int(comps[n]), int(bad[n])) for n, m in enumerate(models)]
    rows.sort(key=lambda r: (-r.score, r.model))
    return Ranking(tuple(rows), votes=len(s), both_bad=sum(1 for *_, c in votes if c == "both_bad"), n_boot=n_boot)


# ---------------------------------------------------------------- the board


def _voter(session: str) -> str:
    """What is stored for a session: a digest, so the room file keeps no session id."""
    return hashlib.sha256(b"blind-vote:" + session.encode()).hexdigest()[:24]


def clean_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    out = dict(DEFAULT_PARAMS)
    for k, v in (params or {}).items():
        if k not in PARAM_NAMES:
            raise VoteError(f"unknown parameter {k!r}", "bv.err.param", name=k)
        if v is not None:
            out[k] = v
    return out


class BlindVote:
    """The room's blind-vote board: rounds, votes, tallies and the ranking (thread-safe)."""

    def __init__(self, store=None, rng: random.Random | None = None, clock: Callable[[], float] = time.time,
                 n_boot: int = 200) -> None:
        self._store = store
        self._rng = rng or random.SystemRandom()
        self._clock = clock
        self._n_boot = n_boot
        self._lock = threading.RLock()
        self._rounds: dict[str, Round] = {}
        self._votes: dict[str, dict[str, tuple[str, float]]] = {}  # round -> voter -> (choice, at)
        self._version = 0
        self._revealed = 0  # moves on each reveal: the only change the ranking depends on
        self._ranking: tuple[int, Ranking] | None = None
        if store is not None:
            try:
                store.ensure_schema(SCHEMA)
                self._load()
            except Exception as exc:  # a broken file: the board works in memory, the log says why
                log.warning("blind votes not read from %s: %s", getattr(store, "path", store), exc)
                self._store = None

    # -- persistence
    def _load(self) -> None:
        with self._store.connect() as con:
            rows = con.execute("SELECT id, number, prompt, system, model_a, model_b, params, status, answer_a, "
                               "answer_b, error, created_at, revealed_at FROM blind_rounds").fetchall()
            votes = con.execute("SELECT round_id, voter, choice, at FROM blind_votes ORDER BY at").fetchall()
        for (rid, number, prompt, system, ma, mb, params, status, aa, ab, err, created, revealed) in rows:
            r = Round(rid, int(number), prompt, ma, mb, json.loads(params), status, aa, ab, err, system,
                      float(created), revealed)
            if r.status == "generating":  # its generation thread died with the old process
                r = replace(r, status="failed", error="interrupted by a server restart")
                self._save_round(r)
            self._rounds[rid] = r
        for rid, voter, choice, at in votes:
            self._votes.setdefault(rid, {})[voter] = (choice, float(at))

    def _save_round(self, r: Round) -> None:
        if self._store is None:
            return
        with self._store.connect() as con:
            con.execute(
                "INSERT OR REPLACE INTO blind_rounds(id, number, prompt, system, model_a, model_b, params, status, "
                "answer_a, answer_b, error, created_at, revealed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (r.id, r.number, r.prompt, r.system, r.model_a, r.model_b, json.dumps(dict(r.params)), r.status,
                 r.answer_a, r.answer_b, r.error, r.created_at, r.revealed_at))

    def _changed(self) -> None:
        self._version += 1

    @property
    def version(self) -> int:
        """Moves on every change (a UI may skip work while it stands still)."""
        with self._lock:
            return self._version

    # -- rounds
    def rounds(self) -> list[Round]:
        with self._lock:
            return sorted(self._rounds.values(), key=lambda r: r.number)

    def round(self, round_id: str) -> Round | None:
        with self._lock:
            return self._rounds.get(round_id)

    def current(self) -> Round | None:
        """The latest round: the one the room sees and votes on."""
        with self._lock:
            return max(self._rounds.values(), key=lambda r: r.number, default=None)

    def open_round(self, prompt: str, models: Sequence[str], params: Mapping[str, Any] | None = None,
                   system: str = "") -> Round:
        """A new round (status "generating"), the two models on sides drawn at random."""
        prompt = (prompt or "").strip()
        if not prompt:
            raise VoteError("the round needs a prompt", "bv.err.prompt")
        models = [m for m in models if m]
        if len(models) != 2 or models[0] == models[1]:
            raise VoteError("a round needs two different models", "bv.err.models")
        params = clean_params(params)
        a, b = models if self._rng.random() < 0.5 else models[::-1]
        with self._lock:
            number = max((r.number for r in self._rounds.values()), default=0) + 1
            r = Round(uuid.uuid4().hex, number, prompt, a, b, params, "generating", system=system or "",
                      created_at=self._clock())
            self._save_round(r)
            self._rounds[r.id] = r
            self._votes[r.id] = {}
            self._changed()
            return r

    def set_answers(self, round_id: str, answer_a: str, answer_b: str, error: str = "") -> Round:
        """The generated answers: the round opens for votes (or fails, with `error`)."""
        with self._lock:
            r = self._require(round_id)
            if r.status != "generating":
                raise VoteError("this round already has its answers", "bv.err.state", status=r.status)
            failed = bool(error) or not (answer_a.strip() and answer_b.strip())
            r = replace(r, answer_a=answer_a, answer_b=answer_b, status="failed" if failed else "open",
                        error=error or ("empty answer" if failed else ""))
            self._save_round(r)
            self._rounds[r.id] = r
            self._changed()
            return r

    def reveal(self, round_id: str) -> Round:
        """Show which model was which; the round's votes enter the ranking; voting ends."""
        with self._lock:
            r = self._require(round_id)
            if r.status == "revealed":
                return r
            if r.status != "open":
                raise VoteError("only an open round can be revealed", "bv.err.state", status=r.status)
            r = replace(r, status="revealed", revealed_at=self._clock())
            self._save_round(r)
            self._rounds[r.id] = r
            self._revealed += 1
            self._changed()
            return r

    def _require(self, round_id: str) -> Round:
        r = self._rounds.get(round_id)
        if r is None:
            raise VoteError(f"no round {round_id!r}", "bv.err.no_round")
        return r

    # -- generation
    def requests(self, r: Round, registry) -> list:
        """The two requests (A then B), each fitted to its model (chat or raw text)."""
        out = []
        for model in (r.model_a, r.model_b):
            try:
                caps = registry.capabilities(model)
            except ProviderError:
                caps = None  # the run itself will say what is wrong
            params = fit_to_capabilities(dict(r.params), caps) if caps is not None else dict(r.params)
            out.append(build_request(model, r.prompt, caps is None or caps.mode == "chat", r.system or None,
                                     **params))
        return out

    def generate(self, round_id: str, registry) -> Round:
        """Generate the round's two answers on this thread (both models at once) and open it."""
        r = self._require(round_id)
        try:
            results = compare(registry, self.requests(r, registry))
            errors = [res.error for res in results if res.error]
            return self.set_answers(r.id, results[0].text, results[1].text, "; ".join(errors))
        except VoteError:
            raise
        except Exception as exc:  # never leave a round generating forever
            log.exception("blind vote generation failed")
            return self.set_answers(r.id, "", "", f"{type(exc).__name__}: {exc}")

    def start(self, prompt: str, models: Sequence[str], registry, params: Mapping[str, Any] | None = None,
              system: str = "") -> tuple[Round, threading.Thread]:
        """Open a round and generate its answers in a background thread (so the instructor's
        page, and everyone's, stays responsive and a closed tab does not stop it)."""
        r = self.open_round(prompt, models, params, system)
        t = threading.Thread(target=self.generate, args=(r.id, registry), daemon=True, name=f"blind-vote-{r.number}")
        t.start()
        return r, t

    # -- votes
    def vote(self, round_id: str, session: str, choice: str) -> None:
        """One vote per session per round: a second one is refused (VoteError bv.err.already)."""
        if choice not in CHOICES:
            raise VoteError(f"unknown choice {choice!r}", "bv.err.choice")
        voter = _voter(session)
        with self._lock:
            r = self._require(round_id)
            current = self.current()
            if r.status == "revealed" or (current is not None and current.id != r.id):
                raise VoteError("this round is over", "bv.err.closed")
            if r.status != "open":
                raise VoteError("this round is not open for votes", "bv.err.not_open")
            votes = self._votes.setdefault(r.id, {})
            if voter in votes:
                raise VoteError("you already voted in this round", "bv.err.already")
            at = self._clock()
            if self._store is not None:
                try:
                    with self._store.connect() as con:
                        con.execute("INSERT INTO blind_votes(round_id, voter, choice, at) VALUES (?,?,?,?)",
                                    (r.id, voter, choice, at))
                except sqlite3.IntegrityError:  # another process of the same room got there first
                    raise VoteError("you already voted in this round", "bv.err.already") from None
            votes[voter] = (choice, at)
            self._changed()

    def vote_of(self, round_id: str, session: str) -> str | None:
        with self._lock:
            hit = self._votes.get(round_id, {}).get(_voter(session))
            return hit[0] if hit else None

    def tally(self, round_id: str) -> Tally:
        with self._lock:
            counts = {c: 0 for c in CHOICES}
            for choice, _ in self._votes.get(round_id, {}).values():
                counts[choice] += 1
            return Tally(**counts)

    def _revealed_votes(self) -> list[tuple[Round, str, float]]:
        out = []
        for r in self._rounds.values():
            if r.revealed:
                out.extend((r, c, at) for c, at in self._votes.get(r.id, {}).values())
        out.sort(key=lambda x: (x[2], x[0].number))
        return out

    def pair_tallies(self) -> list[PairTally]:
        """Per model pair, over revealed rounds (sides folded: the pair in sorted order)."""
        with self._lock:
            pairs: dict[tuple[str, str], dict] = {}
            for r in self._rounds.values():
                if not r.revealed:
                    continue
                m1, m2 = sorted((r.model_a, r.model_b))
                d = pairs.setdefault((m1, m2), {"wins_1": 0, "wins_2": 0, "ties": 0, "both_bad": 0, "rounds": 0})
                d["rounds"] += 1
                t = self.tally(r.id)
                first_is_a = r.model_a == m1
                d["wins_1"] += t.a if first_is_a else t.b
                d["wins_2"] += t.b if first_is_a else t.a
                d["ties"] += t.tie
                d["both_bad"] += t.both_bad
            return [PairTally(m1, m2, **d) for (m1, m2), d in sorted(pairs.items())]

    def ranking(self) -> Ranking:
        """Bradley–Terry with bootstrap intervals over every revealed round's votes (cached
        until the next reveal: a revealed round takes no more votes)."""
        with self._lock:
            if self._ranking is not None and self._ranking[0] == self._revealed:
                return self._ranking[1]
            version = self._revealed
            votes = [(r.model_a, r.model_b, c) for r, c, _ in self._revealed_votes()]
        result = rank(votes, self._n_boot)
        with self._lock:
            self._ranking = (version, result)
        return result

    # -- export
    def export_dict(self) -> dict:
        """Everything but who voted: rounds (models only once revealed), votes, pairs, ranking."""
        with self._lock:
            rounds = []
            for r in self.rounds():
                d = r.public()
                d.update(params=dict(r.params), created_at=r.created_at, revealed_at=r.revealed_at,
                         tally=asdict(self.tally(r.id)),
                         votes=[{"choice": c, "at": at} for c, at in
                                sorted(self._votes.get(r.id, {}).values(), key=lambda x: x[1])])
                rounds.append(d)
            pairs = [asdict(p) for p in self.pair_tallies()]
        ranking = self.ranking()
        return {"rounds": rounds, "pairs": pairs,
                "ranking": {"method": "bradley-terry (MM), ties = half a win, both bad excluded",
                            "ci": f"95 % percentile bootstrap over votes, {ranking.n_boot} resamples, seed 0",
                            "votes": ranking.votes, "both_bad": ranking.both_bad,
                            "rows": [asdict(row) for row in ranking.rows]}}

    def export_json(self) -> str:
        return json.dumps(self.export_dict(), ensure_ascii=False, indent=2)

    def export_rounds_csv(self) -> str:
        """One line per round: prompt, models (once revealed), the four counts."""
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["round", "status", "prompt", "model_a", "model_b", "a", "b", "tie", "both_bad", "total"])
        for d in self.export_dict()["rounds"]:
            t = d["tally"]
            w.writerow([d["number"], d["status"], d["prompt"], d.get("model_a", ""), d.get("model_b", ""),
                        t["a"], t["b"], t["tie"], t["both_bad"], sum(t.values())])
        return buf.getvalue()

    def export_ranking_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["rank", "model", "bt_score", "ci_low", "ci_high", "elo", "wins", "comparisons", "both_bad"])
        for n, row in enumerate(self.ranking().rows, 1):
            w.writerow([n, row.model, f"{row.score:.1f}", f"{row.ci_low:.1f}", f"{row.ci_high:.1f}",
                        f"{row.elo:.1f}", f"{row.wins:g}", row.comparisons, row.both_bad])
        return buf.getvalue()


_BOARDS: "weakref.WeakKeyDictionary[Any, BlindVote]" = weakref.WeakKeyDictionary()
_BOARDS_LOCK = threading.Lock()


def board_of(room) -> BlindVote:
    """The blind-vote board of a `Classroom` (one per room object, in its SQLite file)."""
    with _BOARDS_LOCK:
        b = _BOARDS.get(room)
        if b is None:
            b = _BOARDS[room] = BlindVote(room.store)
        return b


def format_number(x: float, lang: str, digits: int = 0) -> str:
    """A number as the language writes it (French decimal comma, narrow no-break thousands)."""
    return numbers.number(x, lang, digits)
