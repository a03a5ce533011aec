"""One request's decoding state inside the scheduler: its own seeded sampler, top-k logprobs,
UTF-8 assembly, stop sequences and token budget. Given the logits after its last token, it
picks the next token and says what to show; it never touches llama.cpp itself (but for
JSON output, where its own grammar object masks the row: providers/embedded/grammar.py)."""

from __future__ import annotations

import codecs
import queue
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from providers.base import Finished, TextDelta, TokenAlternative, TokenLogprob, Usage
from providers.embedded.grammar import GrammarMask
from providers.embedded.stops import StopBuffer
from providers.sampling import Row, SamplingParams, Scratch, sample_token, top_logprobs
from providers.structured import complete_json


@dataclass
class Job:
    """Work handed to a scheduler: a prompt to evaluate, then either tokens to generate
    (`max_new` > 0, events in `events`) or the next-token logits after `forced` tokens
    (`max_new` == 0: the explorer; the logits copy arrives in `events`)."""

    prompt: tuple[int, ...]
    forced: tuple[int, ...] = ()
    max_new: int = 0
    asked: int = 0  # max tokens the person asked for (max_new may be less: the context is full)
    params: SamplingParams = field(default_factory=SamplingParams)
    seed: int | None = None
    top_logprobs: int = 0
    stops: tuple[str, ...] = ()
    grammar: str | None = None  # GBNF the output must follow (JSON output): each sequence parses its own
    session: str | None = None
    events: queue.Queue = field(default_factory=queue.Queue)
    cancelled: threading.Event = field(default_factory=threading.Event)
    watch: threading.Event | None = None  # the caller's Stop: seen by the scheduler even if nobody reads
    t_submit: float = field(default_factory=time.perf_counter)
    t_admit: float | None = None
    t_prompt_done: float | None = None
    shared: int = 0  # prompt/forced tokens copied from another sequence instead of evaluated

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled.is_set() or (self.watch is not None and self.watch.is_set())

    @property
    def tokens(self) -> tuple[int, ...]:
        return self.prompt + self.forced

    @property
    def reserve(self) -> int:
        """Cache cells this job may need (it never holds more)."""
        return len(self.prompt) + len(self.forced) + self.max_new


class Decoder:
    """Turns successive logits rows into events for one generating job."""

    def __init__(self, job: Job, piece, piece_bytes, is_eog, scratch: Scratch, vocab=None) -> None:
        self.job = job
        self.rng = np.random.default_rng(job.seed)
        self.piece, self.piece_bytes, self.is_eog = piece, piece_bytes, is_eog
        self.scratch = scratch
        self.utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.stops = StopBuffer(job.stops)
        self.pending_lp: list[TokenLogprob] = []
        self.n_gen = 0
        self.finish: str | None = None
        self.vocab = vocab
        self.grammar: GrammarMask | None = None
        self.text = ""  # the answer so far, for "is the JSON value complete?" (grammar jobs only)

    def step(self, logits: np.ndarray) -> int | None:
        """Sample from `logits`; emit what can be shown. Returns the token to feed next, or
        None when the sequence is finished (then `finish` says why)."""
        job = self.job
        row = Row(logits, self.scratch)  # each full pass over the vocabulary at most once
        if job.grammar is not None:
            # The draw is from the masked row; the probabilities shown stay the model's own.
            if self.grammar is None:
                self.grammar = GrammarMask(self.vocab, logits.shape[0], job.grammar)
            masked = self.grammar.mask(logits)
            if not np.isfinite(masked).any():  # nothing may follow: the value is complete
                self.finish = "stop"
                return None
            tok = sample_token(masked, job.params, self.rng)
        else:
            tok = sample_token(logits, job.params, self.rng, row=row)
        lp = None
        if job.top_logprobs > 0:
            ids, lps = top_logprobs(logits, job.top_logprobs, row=row)
            lp = TokenLogprob(
                token=self.piece(tok),
                logprob=float(logits[tok]) - row.lse,
                top=tuple(TokenAlternative(self.piece(int(i)), float(v), int(i)) for i, v in zip(ids, lps)),
                id=tok,
            )
        if self.is_eog(tok):
            self.finish = "stop"
            return None
        self.n_gen += 1
        if lp is not None:
            self.pending_lp.append(lp)
        piece = self.utf8.decode(self.piece_bytes(tok))
        out = self.stops.push(piece)
        if self.grammar is not None:
            self.grammar.accept(tok)
            self.text += piece
            if ("}" in piece or "]" in piece) and complete_json(self.text):
                self._emit(out + self.stops.flush())
                self.finish = "stop"  # the JSON value is whole: stop rather than pad with blanks
                return None
        if self.stops.stopped:
            self._emit(out)
            self.finish = "stop"
            return None
        if out or (not job.stops and self.pending_lp):
            self._emit(out)
        if self.n_gen >= job.max_new:
            self.finish = "length"
            return None
        return tok

    def _emit(self, text: str) -> None:
        if text or self.pending_lp:
            n = len(self.pending_lp) or (1 if text else None)
            self.job.events.put(TextDelta(text, tuple(self.pending_lp), n_tokens=n))
            self.pending_lp = []

    def close(self, finish: str, extra: dict | None = None, timings: dict | None = None) -> None:
        """Flush held text and send Finished (exactly once)."""
        if self.grammar is not None:
            self.grammar.close()
        self._emit(self.stops.flush() + self.utf8.decode(b"", final=True))  # cancelled: partial text stays
        self.job.events.put(Finished(
            usage=Usage(prompt_tokens=len(self.job.prompt), completion_tokens=self.n_gen),
            finish_reason=finish,
            server_timings=timings or {},
            extra=extra or {},
        ))
