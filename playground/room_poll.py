"""The room samples together: poll rounds where every attendee draws from the same model.

The instructor opens a *round* — a prompt, a model and the sampling parameters of their
Next-token page. In a "token" round the next-token distribution is computed **once** on the
server (the explorer's exact, full-vocabulary logits for embedded models) and each attendee's
press draws one token from it with `providers.sampling.sample_token` and that attendee's own
seed — the very call the embedded sampler makes for the first token of a generation seeded
the same way, so the draw is what the model would have said. In an "answer" round each press
generates a short answer (≤ MAX_ANSWER_TOKENS tokens) with the attendee's seed.

Every draw is one record (round, session, seq, value, token, seed); tallies are counts per
token (or per answer and per first word) next to the exact probabilities, with the total
variation distance and Pearson's χ² between what the room drew and what the model says —
the law of large numbers, made visible on the projector.

Rounds and draws live in the room's SQLite file (`Classroom.store`, tables poll_rounds and
poll_draws) so a restart keeps them; without a store they stay in memory. One process-level
lock makes "check the session's quota, then record" atomic for the 30 sessions drawing at
once (a single server process serves the room; SQLite's own locking covers the file).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import re
import sqlite3
import threading
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from typing import Callable, Iterable

import numpy as np

from playground.errors import CodedError
from playground.explorer import Distribution, probability_of
from playground.request import build_request
from playground.room_store import RoomStore
from providers.base import TextDelta
from providers.sampling import SamplingParams, reshape, sample_token

log = logging.getLogger(__name__)

KINDS = ("token", "answer")
MAX_ANSWER_TOKENS = 12
MAX_DRAWS = {"token": 30, "answer": 5}  # per attendee and round: a few presses each, 30 people fill it
KEEP_DISTRIBUTIONS = 4  # rounds whose distribution stays in memory (older ones are recomputed if asked)
TOP_SHOWN = 12  # tokens with their own bar; the rest is "other"
MIN_EXPECTED = 5.0  # χ² bins: a token gets its own bin when N·p ≥ 5 (the usual rule)
SEED_MAX = 2**32  # numpy's SeedSequence takes any non-negative int; keep seeds readable

SCHEMA = """
CREATE TABLE IF NOT EXISTS poll_rounds (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt TEXT NOT NULL,
    chat INTEGER NOT NULL,
    params TEXT NOT NULL,
    max_tokens INTEGER NOT NULL,
    opened_at REAL NOT NULL,
    closed_at REAL
);
CREATE TABLE IF NOT EXISTS poll_draws (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id TEXT NOT NULL REFERENCES poll_rounds(id),
    session TEXT NOT NULL,
    seq INTEGER NOT NULL,
    value TEXT NOT NULL,
    token INTEGER,
    seed INTEGER NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS poll_draws_round ON poll_draws(round_id, session);
"""


class PollError(CodedError):
    """A draw or a round the room refuses; `code` names the i18n key `poll.err.<code>`."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message, code, **params)


@dataclass(frozen=True)
class PollRound:
    id: str
    kind: str  # "token" | "answer"
    model: str
    prompt: str
    chat: bool
    params: SamplingParams
    max_tokens: int = MAX_ANSWER_TOKENS  # answer rounds
    opened_at: float = 0.0
    closed_at: float | None = None

    @property
    def open(self) -> bool:
        return self.closed_at is None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["params"] = asdict(self.params)
        return d


@dataclass(frozen=True)
class Draw:
    """One press of one attendee: what they got and the seed that got it."""

    round_id: str
    session: str
    seq: int  # 1 for the session's first draw in the round, 2 for the next…
    value: str  # the token's text, or the whole answer
    token: int | None  # index in the round's distribution (the token id when exact); None for answers
    seed: int
    at: float


@dataclass(frozen=True)
class TallyRow:
    key: str  # what is counted: the token's text or the (normalised) answer
    count: int
    freq: float  # count / N (0 when N = 0)
    prob: float | None  # the model's exact probability under the round's parameters (tokens only)
    token: int | None = None


@dataclass(frozen=True)
class Tally:
    """What the room drew in one round, beside what the model says."""

    round: PollRound
    n: int
    attendees: int
    rows: tuple[TallyRow, ...]  # tokens: the most probable first, then any other token drawn; answers: by count
    other_count: int = 0  # tokens: draws outside `rows`
    other_prob: float | None = None  # tokens: the model's mass outside `rows`
    tv: float | None = None  # total variation distance, observed vs exact (over the whole vocabulary)
    chi2: float | None = None  # Pearson's χ² on bins with N·p ≥ 5 (the rest pooled)
    dof: int | None = None
    first_words: tuple[tuple[str, int], ...] = ()  # answers: first word (lower case) and count
    exact: bool = True  # tokens: the distribution is the full vocabulary's (embedded models)


# ---------------------------------------------------------------- pure helpers
def normalise_answer(text: str) -> str:
    """An answer as grouped: surrounding blanks dropped, inner runs of blanks made one space."""
    return " ".join(text.split())


_WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)


def first_word(text: str) -> str:
    """The answer's first word, in lower case ("" when it has none)."""
    m = _WORD.search(text)
    return m.group(0).lower() if m else ""


def draw_index(dist: Distribution, params: SamplingParams, seed: int) -> int:
    """The token a seeded sampler picks first: exactly the embedded decoder's call
    (`sample_token` with `np.random.default_rng(seed)`), and the explorer's "sample"."""
    return sample_token(dist.logits, params, np.random.default_rng(int(seed)))


def total_variation(counts: dict[int, int], n: int, probs: dict[int, float]) -> float:
    """½ Σ |f − p| over the whole vocabulary, knowing p only where tokens were drawn:
    the tokens never drawn contribute their probability, i.e. 1 − Σ_drawn p."""
    if n <= 0:
        return 1.0
    drawn = sum(abs(c / n - probs.get(k, 0.0)) for k, c in counts.items())
    unseen = max(0.0, 1.0 - sum(probs.get(k, 0.0) for k in counts))
    return 0.5 * (drawn + unseen)


def chi_square(counts: dict[int, int], n: int, probs: dict[int, float]) -> tuple[float, int] | None:
    """Pearson's χ² and its degrees of freedom: one bin per token with N·p ≥ MIN_EXPECTED,
    everything else pooled in one bin (kept when its expectation is positive). None below 2 bins."""
    if n <= 0:
        return None
    big = [k for k, p in probs.items() if n * p >= MIN_EXPECTED]
    obs = [counts.get(k, 0) for k in big]
    exp = [n * probs[k] for k in big]
    rest_p = max(0.0, 1.0 - sum(probs[k] for k in big))
    rest_o = n - sum(obs)
    if rest_p * n > 1e-9:
        obs.append(rest_o)
        exp.append(rest_p * n)
    elif rest_o > 0:  # drawn where the model gives (numerically) nothing: infinitely unlikely
        return math.inf, max(1, len(obs))
    if len(obs) < 2:
        return None
    return float(sum((o - e) ** 2 / e for o, e in zip(obs, exp))), len(obs) - 1


def number(x: float, lang: str, digits: int = 1) -> str:
    """A number as the reader writes it: French decimal comma and narrow no-break thousands."""
    s = f"{x:,.{digits}f}"
    if lang == "fr":
        return s.replace(",", "\u202f").replace(".", ",")
    return s


def percent(p: float, lang: str, digits: int = 1) -> str:
    """A probability as a percentage ("12,5 %" with a narrow no-break space in French)."""
    return number(100 * p, lang, digits) + ("\u202f%" if lang == "fr" else "%")


# ---------------------------------------------------------------- storage
class _Memory:
    def __init__(self) -> None:
        self.rounds: dict[str, PollRound] = {}
        self.draws: dict[str, list[Draw]] = {}
        self.lock = threading.Lock()  # readers copy while sessions append

    def add_round(self, r: PollRound) -> None:
        self.rounds[r.id] = r
        self.draws[r.id] = []

    def close(self, round_id: str, at: float) -> None:
        self.rounds[round_id] = replace(self.rounds[round_id], closed_at=at)

    def all_rounds(self) -> list[PollRound]:
        return sorted(self.rounds.values(), key=lambda r: r.opened_at)

    def add_draw(self, d: Draw) -> None:
        with self.lock:
            self.draws[d.round_id].append(d)

    def round_draws(self, round_id: str, session: str | None = None) -> list[Draw]:
        with self.lock:
            return [d for d in self.draws.get(round_id, ()) if session is None or d.session == session]

    def session_counts(self, round_id: str) -> Counter:
        return Counter(d.session for d in self.round_draws(round_id))


class _Sqlite:
    """Rounds and draws in the room's file. Draws go through one kept connection, used only
    under RoomPolls' lock: opening a connection per draw cost 15 ms, a kept one 0.3 ms
    (bench/room_poll.py), and the whole room presses at once. Reads open their own."""

    def __init__(self, store: RoomStore) -> None:
        self.store = store
        store.ensure_schema(SCHEMA)
        self._writer: sqlite3.Connection | None = None

    def _write_con(self) -> sqlite3.Connection:
        if self._writer is None:
            con = sqlite3.connect(self.store.path, timeout=10.0, check_same_thread=False)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA busy_timeout=10000")
            # WAL + NORMAL: a commit survives the app crashing (a power cut may lose the last draws)
            con.execute("PRAGMA synchronous=NORMAL")
            self._writer = con
        return self._writer

    def add_round(self, r: PollRound) -> None:
        with self.store.connect() as con:
            con.execute("INSERT INTO poll_rounds(id, kind, model, prompt, chat, params, max_tokens, opened_at, closed_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (r.id, r.kind, r.model, r.prompt, int(r.chat), json.dumps(asdict(r.params)), r.max_tokens,
                         r.opened_at, r.closed_at))

    def close(self, round_id: str, at: float) -> None:
        with self.store.connect() as con:
            con.execute("UPDATE poll_rounds SET closed_at = ? WHERE id = ? AND closed_at IS NULL", (at, round_id))

    def all_rounds(self) -> list[PollRound]:
        with self.store.connect() as con:
            rows = con.execute("SELECT id, kind, model, prompt, chat, params, max_tokens, opened_at, closed_at "
                               "FROM poll_rounds ORDER BY opened_at").fetchall()
        return [PollRound(i, k, m, p, bool(c), SamplingParams(**json.loads(pa)), int(mt), float(o), cl)
                for i, k, m, p, c, pa, mt, o, cl in rows]

    def add_draw(self, d: Draw) -> None:
        con = self._write_con()
        try:
            with con:  # one transaction: committed, or rolled back on error
                con.execute("INSERT INTO poll_draws(round_id, session, seq, value, token, seed, at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)", (d.round_id, d.session, d.seq, d.value, d.token, d.seed, d.at))
        except sqlite3.Error:
            self._writer = None  # a fresh connection next time
            con.close()
            raise

    def round_draws(self, round_id: str, session: str | None = None) -> list[Draw]:
        sql = "SELECT round_id, session, seq, value, token, seed, at FROM poll_draws WHERE round_id = ?"
        args: tuple = (round_id,)
        if session is not None:
            sql, args = sql + " AND session = ?", (round_id, session)
        with self.store.connect() as con:
            rows = con.execute(sql + " ORDER BY id", args).fetchall()
        return [Draw(*row) for row in rows]

    def session_counts(self, round_id: str) -> Counter:
        with self.store.connect() as con:
            rows = con.execute("SELECT session, COUNT(*) FROM poll_draws WHERE round_id = ? GROUP BY session",
                               (round_id,)).fetchall()
        return Counter(dict(rows))


# ---------------------------------------------------------------- the room's polls
@dataclass
class _Exact:
    """A token round's distribution and the probabilities already looked up in it."""

    dist: Distribution
    top: list[int]
    probs: dict[int, float] = field(default_factory=dict)


class RoomPolls:
    """The room's poll rounds (one open at a time) and their draws.

    `compute(round)` gives a token round's next-token distribution (the UI passes the
    explorer's `next_token_distribution` on the server's registry); it is called once per round
    and per process — after a restart, again on the first draw or tally that needs it.
    """

    def __init__(self, store: RoomStore | None = None,
                 compute: Callable[[PollRound], Distribution] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._db = _Sqlite(store) if store is not None else _Memory()
        self._compute = compute
        self._clock = clock
        self._lock = threading.Lock()  # rounds and quotas
        self._rounds: list[PollRound] | None = None  # read once; this object makes every change
        self._counts: dict[str, Counter] = {}  # round -> draws per session (the quotas)
        self._dist_lock = threading.Lock()  # one computation of a round's distribution at a time
        self._exact: dict[str, _Exact] = {}
        self._unavailable: set[str] = set()  # rounds whose distribution could not be computed here

    @property
    def persistent(self) -> bool:
        return isinstance(self._db, _Sqlite)

    # -- rounds
    def open_round(self, kind: str, model: str, prompt: str, chat: bool, params: SamplingParams,
                   max_tokens: int = MAX_ANSWER_TOKENS, dist: Distribution | None = None) -> PollRound:
        """A new round (the open one, if any, is closed first). `dist`: the token round's
        distribution when the caller already has it (else `compute` is asked on first need)."""
        if kind not in KINDS:
            raise PollError("kind", f"a poll round is one of {KINDS}, not {kind!r}")
        if not prompt.strip():
            raise PollError("empty_prompt", "The prompt is empty: type something for the room to continue.")
        if not model:
            raise PollError("no_model", "Choose a model for the round.")
        max_tokens = max(1, min(int(max_tokens), MAX_ANSWER_TOKENS))
        with self._lock:
            now = self._clock()
            for r in self._all_rounds():
                if r.open:
                    self._db.close(r.id, now)
            rnd = PollRound(uuid.uuid4().hex[:12], kind, model, prompt, bool(chat), params, max_tokens, now)
            self._db.add_round(rnd)
            self._rounds = None
        with self._dist_lock:
            # a round's logits weigh up to 1 MB (262k floats): keep the last few rounds' only
            for old in list(self._exact)[: max(0, len(self._exact) - KEEP_DISTRIBUTIONS + 1)]:
                del self._exact[old]
            if dist is not None and kind == "token":
                self._exact[rnd.id] = self._exact_for(dist, params)
        return rnd

    def close_round(self, round_id: str) -> None:
        with self._lock:
            self._db.close(round_id, self._clock())
            self._rounds = None

    def _all_rounds(self) -> list[PollRound]:
        if self._rounds is None:
            self._rounds = self._db.all_rounds()
        return self._rounds

    def rounds(self) -> list[PollRound]:
        with self._lock:
            return list(self._all_rounds())

    def round(self, round_id: str) -> PollRound | None:
        return next((r for r in self.rounds() if r.id == round_id), None)

    def current(self) -> PollRound | None:
        """The open round, if any."""
        return next((r for r in reversed(self.rounds()) if r.open), None)

    def latest(self) -> PollRound | None:
        """The last round opened (open or closed): what the presenter keeps on screen."""
        rs = self.rounds()
        return rs[-1] if rs else None

    # -- the distribution
    def _exact_for(self, dist: Distribution, params: SamplingParams) -> _Exact:
        r = reshape(dist.logits, params, show=TOP_SHOWN)
        ex = _Exact(dist, [int(i) for i in r.ids])
        for i, p in zip(r.ids, r.final):
            ex.probs[int(i)] = float(p)
        return ex

    def _exact_of(self, rnd: PollRound) -> _Exact | None:
        ex = self._exact.get(rnd.id)
        if ex is not None or rnd.kind != "token" or self._compute is None or rnd.id in self._unavailable:
            return ex
        with self._dist_lock:  # 30 first presses at once: one computation
            ex = self._exact.get(rnd.id)
            if ex is None and rnd.id not in self._unavailable:
                try:
                    dist = self._compute(rnd)
                except Exception:
                    self._unavailable.add(rnd.id)  # said once; not retried every refresh
                    raise
                ex = self._exact[rnd.id] = self._exact_for(dist, rnd.params)
        return ex

    def distribution(self, round_id: str) -> Distribution | None:
        rnd = self.round(round_id)
        ex = self._exact_of(rnd) if rnd is not None else None
        return ex.dist if ex is not None else None

    def _prob(self, ex: _Exact, index: int, params: SamplingParams) -> float:
        p = ex.probs.get(index)
        if p is None:
            p = ex.probs[index] = probability_of(ex.dist, index, params)[1]
        return p

    # -- draws
    def _open_round(self, round_id: str, kind: str) -> PollRound:
        rnd = next((r for r in self._all_rounds() if r.id == round_id), None)
        if rnd is None or not rnd.open:
            raise PollError("closed", "This round is closed: wait for the instructor's next one.")
        if rnd.kind != kind:
            raise PollError("kind", f"this round is a {rnd.kind} round")
        return rnd

    def _mine(self, round_id: str) -> Counter:
        counts = self._counts.get(round_id)
        if counts is None:
            counts = self._counts[round_id] = self._db.session_counts(round_id)
        return counts

    def _record(self, rnd: PollRound, session: str, value: str, token: int | None, seed: int) -> Draw:
        counts = self._mine(rnd.id)
        limit = MAX_DRAWS[rnd.kind]
        if counts[session] >= limit:
            raise PollError("limit", f"You have made your {limit} draws for this round.", n=limit)
        d = Draw(rnd.id, session, counts[session] + 1, value, token, int(seed), self._clock())
        self._db.add_draw(d)
        counts[session] += 1  # after the write: a failed write is not counted
        return d

    def draw_token(self, round_id: str, session: str, seed: int) -> Draw:
        """One attendee's press in a token round: one token drawn with `seed`, recorded."""
        seed = int(seed) % SEED_MAX
        with self._lock:
            rnd = self._open_round(round_id, "token")
        ex = self._exact_of(rnd)
        if ex is None:
            raise PollError("no_distribution", "The round's distribution is not available on this server.")
        index = draw_index(ex.dist, rnd.params, seed)
        with self._lock:
            rnd = self._open_round(round_id, "token")  # still open once drawn
            return self._record(rnd, session, ex.dist.piece(index), index, seed)

    def check_quota(self, round_id: str, session: str, kind: str = "answer") -> PollRound:
        """The open round, or PollError when closed or this session has used its draws
        (asked before spending seconds generating an answer)."""
        with self._lock:
            rnd = self._open_round(round_id, kind)
            mine = self._mine(rnd.id)[session]
            if mine >= MAX_DRAWS[rnd.kind]:
                raise PollError("limit", "You have made your draws for this round.", n=MAX_DRAWS[rnd.kind])
            return rnd

    def record_answer(self, round_id: str, session: str, answer: str, seed: int) -> Draw:
        """One attendee's generated answer in an answer round, recorded."""
        with self._lock:
            rnd = self._open_round(round_id, "answer")
            return self._record(rnd, session, answer, None, int(seed) % SEED_MAX)

    def draws(self, round_id: str, session: str | None = None) -> list[Draw]:
        return self._db.round_draws(round_id, session)

    # -- tallies
    def tally(self, round_id: str) -> Tally | None:
        rnd = self.round(round_id)
        if rnd is None:
            return None
        ds = self.draws(round_id)
        n = len(ds)
        attendees = len({d.session for d in ds})
        if rnd.kind == "answer":
            counts = Counter(normalise_answer(d.value) for d in ds)
            rows = tuple(TallyRow(k, c, c / n, None) for k, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
            words = Counter(first_word(d.value) for d in ds)
            return Tally(rnd, n, attendees, rows, first_words=tuple(sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))))
        counts: dict[int, int] = Counter(int(d.token) for d in ds if d.token is not None)
        pieces = {int(d.token): d.value for d in ds if d.token is not None}
        try:
            ex = self._exact_of(rnd)
        except Exception as exc:  # noqa: BLE001 - the model is gone (a restart, a session's endpoint): counts only
            log.warning("room poll %s: distribution not available: %s", rnd.id, exc)
            ex = None
        if ex is None:  # no distribution here: counts only
            rows = tuple(TallyRow(pieces[k], c, c / n, None, k) for k, c in counts.most_common())
            return Tally(rnd, n, attendees, rows, exact=False)
        probs = {k: self._prob(ex, k, rnd.params) for k in set(ex.top) | set(counts)}
        shown = [k for k in ex.top if probs[k] > 0 or counts.get(k)]
        extra = sorted((k for k in counts if k not in shown), key=lambda k: (-counts[k], k))
        keys = shown + extra[: max(0, TOP_SHOWN + 4 - len(shown))]
        rows = tuple(TallyRow(pieces.get(k, ex.dist.piece(k)), counts.get(k, 0), counts.get(k, 0) / n if n else 0.0,
                              probs[k], k) for k in keys)
        other_count = n - sum(r.count for r in rows)
        other_prob = max(0.0, 1.0 - sum(probs[k] for k in keys))
        chi = chi_square(counts, n, probs) if n else None
        return Tally(rnd, n, attendees, rows, other_count, other_prob,
                     total_variation(counts, n, probs) if n else None,
                     chi[0] if chi else None, chi[1] if chi else None, exact=ex.dist.exact)


_POLLS: dict[str, RoomPolls] = {}
_POLLS_LOCK = threading.Lock()


def room_polls(store: RoomStore | None, compute: Callable[[PollRound], Distribution] | None = None) -> RoomPolls:
    """The process-wide polls of one room file (memory-only rooms share one)."""
    with _POLLS_LOCK:
        key = str(store.path.resolve()) if store is not None else ""
        polls = _POLLS.get(key)
        if polls is None:
            polls = _POLLS[key] = RoomPolls(store, compute)
        elif compute is not None and polls._compute is None:
            polls._compute = compute
        return polls


# ---------------------------------------------------------------- answers and exports
def generate_answer(registry, rnd: PollRound, seed: int, cancel: threading.Event | None = None) -> str:
    """A short answer to the round's prompt at its parameters, seeded by the attendee."""
    p = rnd.params
    req = build_request(rnd.model, rnd.prompt, rnd.chat, temperature=p.temperature, top_k=p.top_k, top_p=p.top_p,
                        min_p=p.min_p, max_tokens=rnd.max_tokens, seed=int(seed) % SEED_MAX)
    return "".join(ev.text for ev in registry.stream(req, cancel) if isinstance(ev, TextDelta))


def _anonymous(draws: Iterable[Draw]) -> dict[str, int]:
    """Attendee numbers in order of first draw (exports never carry session ids)."""
    out: dict[str, int] = {}
    for d in draws:
        out.setdefault(d.session, len(out) + 1)
    return out


def export_json(tally: Tally, draws: list[Draw]) -> str:
    who = _anonymous(draws)
    return json.dumps({
        "round": tally.round.to_dict(),
        "n": tally.n,
        "attendees": tally.attendees,
        "tally": [asdict(r) for r in tally.rows],
        "other": {"count": tally.other_count, "prob": tally.other_prob} if tally.round.kind == "token" else None,
        "total_variation": tally.tv,
        "chi2": tally.chi2,
        "dof": tally.dof,
        "first_words": [{"word": w, "count": c} for w, c in tally.first_words],
        "draws": [{"attendee": who[d.session], "seq": d.seq, "value": d.value, "token": d.token, "seed": d.seed,
                   "at": d.at} for d in draws],
    }, ensure_ascii=False, indent=1)


def export_csv(tally: Tally) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["value", "token", "count", "frequency", "probability"])
    for r in tally.rows:
        w.writerow([r.key, "" if r.token is None else r.token, r.count, f"{r.freq:.6f}",
                    "" if r.prob is None else f"{r.prob:.6f}"])
    if tally.round.kind == "token" and (tally.other_count or tally.other_prob):
        w.writerow(["(other)", "", tally.other_count, f"{tally.other_count / tally.n:.6f}" if tally.n else "0",
                    "" if tally.other_prob is None else f"{tally.other_prob:.6f}"])
    return buf.getvalue()
