"""llama.cpp internals for the scheduler: one decoding context holding many sequences, one
reusable llama_batch, and the cache operations (remove, copy).

Two measured facts shape it (docs/CLASSROOM.md):
- Each sequence has its own cache stream (`kv_unified = False`): its cells are laid out exactly
  as in a solo run. In a unified cache, a sequence's logits changed with where its cells landed
  among other sessions' cells.
- Every decode call carries at least two rows: a lone row switches llama.cpp to another
  attention path once its stream holds more than 256 cells. A lone row gets a companion row of
  a reserved dummy sequence, dropped right after."""

from __future__ import annotations

import os
import threading

import llama_cpp
import numpy as np

from providers.base import ModelLoadError

DUMMY_SEQ = 0

# Decoding on all cores from several models at once oversubscribes the CPU (ggml threads spin):
# models take turns for each decode call instead.
CPU_TURN = threading.Lock()


def default_threads() -> int:
    """Every core but one: the web server, the samplers and the other sessions need one. Measured
    on 2 cores (docs/BENCHMARKS.md): with all cores, a decode step went from ~30 ms to seconds as
    soon as any other process wanted a core; with one core left free it stayed at 40–80 ms."""
    return max(1, (os.cpu_count() or 2) - 1)


class DecodeContext:
    def __init__(self, model, seq_cells: int, n_rows: int, n_seq: int, n_threads: int | None) -> None:
        p = llama_cpp.llama_context_default_params()
        p.n_ctx = seq_cells * n_seq  # split evenly: each sequence's stream holds seq_cells
        p.n_batch = p.n_ubatch = n_rows
        p.n_seq_max = n_seq
        p.kv_unified = False
        p.type_k = p.type_v = llama_cpp.GGML_TYPE_Q8_0  # half of f16's memory, so a room fits (BENCHMARKS.md)
        threads = n_threads or default_threads()
        p.n_threads = p.n_threads_batch = threads
        p.no_perf = True
        self.ctx = llama_cpp.llama_init_from_model(model.model.model, p)  # LoadedModel -> LlamaModel -> pointer
        if not self.ctx:
            raise ModelLoadError(f"llama.cpp could not create a context of {n_seq} × {seq_cells} cells for {model.name}.")
        self.mem = llama_cpp.llama_get_memory(self.ctx)
        self.n_vocab = model.n_vocab
        self.n_rows = n_rows
        self.threads = threads
        self.batch = llama_cpp.llama_batch_init(n_rows + 1, 0, 1)
        bos = model.bos if model.bos >= 0 else 0
        self._dummy_token = bos
        self.decode([(bos, 0, DUMMY_SEQ, False)], _companion=False)  # the dummy's one permanent cell

    def decode(self, rows: list[tuple[int, int, int, bool]], _companion: bool = True) -> None:
        """Evaluate rows (token, position, sequence, want_logits) in one call; logits of row i
        are then `logits(i)` (rows without logits still count in i)."""
        b = self.batch
        lone = _companion and len(rows) == 1
        for j, (tok, pos, seq, want) in enumerate(rows):
            b.token[j] = tok
            b.pos[j] = pos
            b.n_seq_id[j] = 1
            b.seq_id[j][0] = seq
            b.logits[j] = want
        b.n_tokens = len(rows)
        if lone:
            j = len(rows)
            b.token[j], b.pos[j], b.n_seq_id[j], b.logits[j] = self._dummy_token, 1, 1, False
            b.seq_id[j][0] = DUMMY_SEQ
            b.n_tokens += 1
        rc = llama_cpp.llama_decode(self.ctx, b)
        if lone:
            llama_cpp.llama_memory_seq_rm(self.mem, DUMMY_SEQ, 1, -1)
        if rc != 0:
            raise RuntimeError(f"llama_decode returned {rc}")

    def logits(self, i: int) -> np.ndarray:
        """Row i's logits as a view (valid until the next decode)."""
        ptr = llama_cpp.llama_get_logits_ith(self.ctx, i)
        return np.ctypeslib.as_array(ptr, shape=(self.n_vocab,))

    def drop(self, seq: int, p0: int = 0) -> None:
        llama_cpp.llama_memory_seq_rm(self.mem, seq, p0, -1)

    def copy(self, src: int, dst: int, n: int) -> None:
        """Give `dst` the cells of `src`'s first n positions. Between streams llama.cpp copies
        whole streams only: copy, then cut what follows."""
        llama_cpp.llama_memory_seq_rm(self.mem, dst, 0, -1)
        llama_cpp.llama_memory_seq_cp(self.mem, src, dst, -1, -1)
        llama_cpp.llama_memory_seq_rm(self.mem, dst, n, -1)

    def close(self) -> None:
        if self.ctx:
            llama_cpp.llama_batch_free(self.batch)
            llama_cpp.llama_free(self.ctx)
            self.ctx = None
