"""The scheduler of one embedded model: continuous batching over one llama.cpp context.

Requests join between decode steps (first come, first served, up to `max_active` at once; the
rest queue and are told their position and an estimated wait). Each step evaluates at most one
prompt chunk, then advances every decoding sequence, in groups of rows that keep each row's
logits bit-identical to a solo run (measured per model by `calibrate_rows`). So "same seed,
same text" holds whatever else the room is running.

Canonical evaluation of a token list (what makes results independent of load): the prompt in
chunks of `chunk` tokens from position 0, then every further token on its own row. Cells of a
prompt prefix evaluated that way are shared between sequences (`llama_memory_seq_cp`); finished
sequences free their cells at once, except that the prompts of the last few stay cached.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np

from providers.base import BackendUnavailable, Notice
from providers.embedded.calibrate import calibrate_rows
from providers.embedded.context import CPU_TURN, DUMMY_SEQ, DecodeContext
from providers.embedded.sequence import Decoder, Job
from providers.sampling import Scratch


@dataclass(frozen=True)
class EngineSettings:
    max_active: int = 32  # sequences advancing together; the rest wait in line
    seq_cells: int = 2048  # cache cells of each sequence: the most tokens it may hold
    chunk: int = 64  # prompt tokens evaluated per step, between decode steps
    n_threads: int | None = None  # None: every core but one (context.default_threads)
    batch_rows: int | None = None  # rows per decode call; None: measured at start (calibrate_rows)
    retained: int = 4  # recent prompts kept in the cache for others to share


@dataclass
class _Slot:
    """A job in the context: its sequence id and where it stands."""

    job: Job
    seq: int
    done: int = 0  # tokens of job.tokens already in the cache
    decoder: Decoder | None = None
    prompt_logits: np.ndarray | None = None  # a copy, so an identical prompt arriving later costs nothing
    next_token: int | None = None  # to feed at position `pos` in the next decode step
    pos: int = 0


@dataclass
class _Kept:
    """A cached prompt: its cells stay in sequence `seq` (and its logits, when known)."""

    tokens: tuple[int, ...]
    n_prompt: int  # the first n_prompt tokens were evaluated as a prompt, the rest one by one
    seq: int
    logits: np.ndarray | None = None
    used: float = field(default_factory=time.monotonic)


class Engine:
    def __init__(self, model, settings: EngineSettings | None = None) -> None:
        self.model = model
        self.settings = s = settings or EngineSettings()
        self.max_active = s.max_active
        n_seq = s.max_active + s.retained + 1
        self.ctx = DecodeContext(model, s.seq_cells, max(s.chunk, s.max_active) + 1, n_seq, s.n_threads)
        self.rows = s.batch_rows or calibrate_rows(self)
        self.scratch = Scratch(model.n_vocab)
        self._free = list(range(n_seq - 1, DUMMY_SEQ, -1))
        self._queue: list[Job] = []
        self._slots: list[_Slot] = []
        self._kept: list[_Kept] = []
        self._cv = threading.Condition()
        self._step_s = 0.05  # running estimate of one decode step, for wait estimates
        self._told: dict[int, tuple[int, float]] = {}
        self.stats = {"prompt_tokens_evaluated": 0, "prompt_tokens_shared": 0, "steps": 0}
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"engine-{model.name}")
        self._thread.start()

    # ------------------------------------------------------------------ public
    def submit(self, job: Job) -> Job:
        if job.reserve > self.settings.seq_cells:
            raise BackendUnavailable(
                f"This request needs {job.reserve} cache cells but a sequence of {self.model.name} holds "
                f"{self.settings.seq_cells}: lower Max tokens or shorten the prompt.", code="kv_full",
                params={"need": job.reserve, "cells": self.settings.seq_cells})
        with self._cv:
            self._queue.append(job)
            self._cv.notify()
        return job

    def cancel(self, job: Job) -> None:
        job.cancelled.set()
        with self._cv:
            self._cv.notify()

    def set_max_active(self, n: int) -> None:
        with self._cv:
            self.max_active = max(1, min(int(n), self.settings.max_active))
            self._cv.notify()

    def load(self) -> dict:
        """What the engine is doing now (for the settings page and the benchmark)."""
        with self._cv:
            return {"active": len(self._slots), "queued": len(self._queue), "max_active": self.max_active,
                    "rows_per_decode": self.rows, "threads": self.ctx.threads, **self.stats}

    # ------------------------------------------------------------------ the loop
    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._queue and not self._slots:
                    self._cv.wait()
                self._reap_cancelled()
                self._admit()
                waiting = list(self._queue)
            self._tell_waiting(waiting)
            try:
                self._prefill()
                self._decode_step()
            except Exception as exc:  # a llama.cpp failure ends the running sequences, not the process
                self._fail_all(exc)

    def _decoder(self, job: Job) -> Decoder:
        m = self.model
        return Decoder(job, m.piece, m.piece_bytes, m.is_eog, self.scratch, m.model.vocab)

    def _reap_cancelled(self) -> None:
        for job in [j for j in self._queue if j.is_cancelled]:
            self._queue.remove(job)
            self._told.pop(id(job), None)
            self._decoder(job).close(
                "cancelled", extra={"queue_s": time.perf_counter() - job.t_submit})
        for slot in [s for s in self._slots if s.job.is_cancelled]:
            self._finish(slot, "cancelled")

    def _admit(self) -> None:
        while self._queue and len(self._slots) < self.max_active:
            if not self._free:
                if not self._kept:
                    return
                self._forget(min(self._kept, key=lambda k: k.used))  # a waiting person beats a cached prompt
            job = self._queue.pop(0)  # first come, first served
            job.t_admit = time.perf_counter()
            slot = _Slot(job, self._free.pop())
            self._slots.append(slot)
            job.events.put(Notice("started", "", queue_s=job.t_admit - job.t_submit))
            self._share_prefix(slot)

    def _tell_waiting(self, waiting: list[Job]) -> None:
        """Each queued job learns its position and an estimated wait (again when it changes, or each second)."""
        if not waiting:
            return
        now = time.monotonic()
        remaining = sorted(max(1, s.job.max_new + len(s.job.tokens) - s.done - (s.decoder.n_gen if s.decoder else 0))
                           for s in self._slots)
        for i, job in enumerate(waiting):
            if not remaining:
                steps = 0.0
            elif i < len(remaining):
                steps = remaining[i]  # the i-th slot to free up
            else:
                steps = remaining[-1] + (i // len(remaining)) * float(np.mean(remaining))
            last = self._told.get(id(job))
            if last is None or last[0] != i + 1 or now - last[1] >= 1.0:
                self._told[id(job)] = (i + 1, now)
                job.events.put(Notice("queued", f"Waiting for {self.model.name} (position {i + 1})",
                                      position=i + 1, wait_s=steps * self._step_s))

    # ------------------------------------------------------------------ prompts
    def _share_prefix(self, slot: _Slot) -> None:
        """Start from the longest prefix already in the cache, evaluated the canonical way."""
        job, c = slot.job, self.settings.chunk
        want = job.tokens
        best, best_src, best_logits = 0, None, None
        donors = [(k.tokens, k.n_prompt, k.seq, k, k.logits) for k in self._kept]
        donors += [(s.job.tokens[: s.done], len(s.job.prompt), s.seq, None, s.prompt_logits)
                   for s in self._slots if s is not slot]
        for tokens, n_prompt, seq, kept, donor_logits in donors:
            n = _common(tokens, want)
            if n == 0:
                continue
            if tokens[:n_prompt] == job.prompt[:n_prompt] and n_prompt == len(job.prompt):
                usable = n  # same prompt: its chunks and any later tokens were evaluated alike
            else:
                usable = min(n, n_prompt, len(job.prompt)) // c * c  # only whole chunks match
            logits = None
            if usable == len(want):
                whole = len(tokens) == usable if kept is not None else n_prompt == usable
                if donor_logits is not None and whole:
                    logits = donor_logits
                else:
                    usable = _back_off(usable, len(job.prompt), c)
            if usable > best:
                best, best_src, best_logits = usable, (seq, kept), logits
        if best_src is None:
            return
        seq, kept = best_src
        self.ctx.copy(seq, slot.seq, best)
        if kept is not None:
            kept.used = time.monotonic()
        slot.done = best
        job.shared = best
        self.stats["prompt_tokens_shared"] += best
        if best_logits is not None:
            slot.prompt_logits = best_logits if best == len(job.prompt) else None
            self._prompt_done(slot, best_logits)
        elif best >= len(job.prompt):  # the prompt and part of the trail are shared: feed the next trail token
            job.t_prompt_done = time.perf_counter()
            self._after(slot, None)

    def _prefill(self) -> None:
        """Read waiting prompts chunk by chunk, oldest first, for about as long as one decode step
        takes (at least one chunk): a room arriving at once is read quickly while the running
        streams keep flowing."""
        t0 = time.perf_counter()
        while self._prefill_one() and time.perf_counter() - t0 < self._step_s:
            pass

    def _prefill_one(self) -> bool:
        """Evaluate one chunk of the oldest prompt still being read; False when none is."""
        slot = next((s for s in self._slots if s.done < len(s.job.prompt)), None)
        if slot is None:
            return False
        job, c = slot.job, self.settings.chunk
        end = min(len(job.prompt), (slot.done // c + 1) * c)
        rows = [(job.prompt[p], p, slot.seq, p == end - 1 and end == len(job.prompt)) for p in range(slot.done, end)]
        with CPU_TURN:
            self.ctx.decode(rows)
        self.stats["prompt_tokens_evaluated"] += len(rows)
        slot.done = end
        if end == len(job.prompt):
            logits = self.ctx.logits(len(rows) - 1)
            slot.prompt_logits = logits.copy()
            self._keep(job.prompt, len(job.prompt), slot.seq, slot.prompt_logits)
            self._prompt_done(slot, logits)
        return True

    def _prompt_done(self, slot: _Slot, logits: np.ndarray) -> None:
        slot.job.t_prompt_done = time.perf_counter()
        self._after(slot, logits)

    def _after(self, slot: _Slot, logits: np.ndarray | None) -> None:
        """The logits after the last token in the cache: feed a forced token, answer, or sample."""
        job = slot.job
        n = len(job.tokens)
        if slot.done < n:  # explorer trail: next forced token, one row, as generation feeds it
            slot.next_token, slot.pos = job.tokens[slot.done], slot.done
            return
        if job.max_new == 0:  # the explorer wants this distribution
            copy = np.array(logits, dtype=np.float32, copy=True)
            if job.forced:  # the next step of a step-through starts from here
                self._keep(job.tokens, len(job.prompt), slot.seq, copy)
            job.events.put(copy)
            self._finish(slot, None)
            return
        if slot.decoder is None:
            slot.decoder = self._decoder(job)
        tok = slot.decoder.step(logits)
        if tok is None:
            self._finish(slot, slot.decoder.finish)
        else:
            slot.next_token, slot.pos = tok, slot.done

    # ------------------------------------------------------------------ decode steps
    def _decode_step(self) -> None:
        ready = [s for s in self._slots if s.next_token is not None]
        if not ready:
            return
        self.stats["steps"] += 1  # before any answer goes out: whoever reads it then sees this step
        t0 = time.perf_counter()
        for g in range(0, len(ready), self.rows):
            group = ready[g: g + self.rows]
            with CPU_TURN:
                self.ctx.decode([(s.next_token, s.pos, s.seq, True) for s in group])
            for i, slot in enumerate(group):
                slot.next_token = None
                slot.done += 1
                if slot.job.is_cancelled:
                    continue  # reaped before the next step
                self._after(slot, self.ctx.logits(i))
        self._step_s = 0.8 * self._step_s + 0.2 * (time.perf_counter() - t0)

    # ------------------------------------------------------------------ endings
    def _finish(self, slot: _Slot, finish: str | None) -> None:
        job = slot.job
        if job.max_new == 0:
            if finish is not None:
                job.events.put(None)  # the explorer's request was cancelled
        else:
            decoder = slot.decoder or self._decoder(job)
            t_end = time.perf_counter()
            admitted = job.t_admit or t_end
            prompt_done = job.t_prompt_done or t_end
            extra = {}
            if finish == "length" and decoder.n_gen < job.asked:
                extra["note"] = "context full"
            decoder.close(finish, extra=extra, timings={
                "queue_ms": (admitted - job.t_submit) * 1000.0,
                "prompt_eval_ms": (prompt_done - admitted) * 1000.0,
                "decode_ms": (t_end - prompt_done) * 1000.0,
                "prompt_shared_tokens": float(job.shared),
            })
        self._slots.remove(slot)
        self.ctx.drop(slot.seq)  # its cells are free at once (a kept copy of the prompt stays)
        self._free.append(slot.seq)
        self._told.pop(id(job), None)

    def _keep(self, tokens: tuple[int, ...], n_prompt: int, seq: int, logits: np.ndarray | None) -> None:
        """Remember this prompt's cells in a kept sequence, for the next identical request."""
        same = next((k for k in self._kept if k.tokens == tokens), None)
        if same is not None:
            same.used = time.monotonic()  # a preset the room keeps asking for stays cached
            return
        if self.settings.retained <= 0:
            return
        if len(self._kept) >= self.settings.retained:
            self._forget(min(self._kept, key=lambda k: k.used))
        if not self._free:
            return
        kept = _Kept(tokens, n_prompt, self._free.pop(), logits)
        self.ctx.copy(seq, kept.seq, len(tokens))
        self._kept.append(kept)

    def _forget(self, kept: _Kept) -> None:
        self._kept.remove(kept)
        self.ctx.drop(kept.seq)
        self._free.append(kept.seq)

    def _fail_all(self, exc: Exception) -> None:
        err = BackendUnavailable(f"{self.model.name} stopped decoding: {exc}. Try again with a shorter prompt or fewer tokens.")
        with self._cv:
            for slot in list(self._slots):
                slot.job.events.put(err)
                self._slots.remove(slot)
                self.ctx.drop(slot.seq)
                self._free.append(slot.seq)


def _common(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _back_off(usable: int, n_prompt: int, chunk: int) -> int:
    """Leave at least one token to evaluate (its logits are needed), on a canonical boundary."""
    if usable > n_prompt:
        return usable - 1  # a forced/generated token: evaluated on its own row anyway
    return (usable - 1) // chunk * chunk if usable == n_prompt else usable
