"""Grammar-constrained decoding for the embedded scheduler: llama.cpp's own grammar sampler,
used only as a mask.

Our sampler (providers.sampling) draws from exact logits in Python, so llama.cpp's sampler chain
is not used; but its grammar sampler can be applied on its own to a token data array: it sets
the logit of every token the grammar cannot accept next to -inf (`llama_sampler_apply`) and
advances its parse state with the token we chose (`llama_sampler_accept`). Each sequence owns one
grammar sampler (its own parse stacks), so sequences batched together never see each other's
state, and the same seed and logits give the same masked draw.

The GBNF comes from llama-cpp-python's JSON-Schema converter (`json_schema_to_gbnf`, the one its
server uses); a schema it cannot convert falls back to the plain JSON grammar and says so.
Cost: the mask visits every token of the vocabulary per step (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import ctypes
import json

import llama_cpp
import numpy as np
from llama_cpp.llama_grammar import JSON_GBNF, json_schema_to_gbnf

from providers.base import InvalidRequest

_LOOSE_CHAR = 'char ::= [^"\\\\] |'
_STRICT_CHAR = 'char ::= [^"\\\\\\x7F\\x00-\\x1F] |'
_TOKEN_DATA = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)])
assert _TOKEN_DATA.itemsize == ctypes.sizeof(llama_cpp.llama_token_data)


def json_grammar(schema: dict | None) -> tuple[str, bool]:
    """(GBNF text, schema enforced?) for one JSON value, constrained to `schema` when the
    converter supports it."""
    if schema is None:
        return JSON_GBNF, False
    try:
        gbnf = json_schema_to_gbnf(json.dumps(schema))
    except Exception:  # an unsupported keyword or $ref: valid JSON is still guaranteed
        return JSON_GBNF, False
    # llama-cpp-python 0.3.36's converter lets a string hold raw control characters (a newline
    # inside quotes is not JSON); llama.cpp's own converter excludes them, as here.
    return gbnf.replace(_LOOSE_CHAR, _STRICT_CHAR), True


def _refused() -> InvalidRequest:
    return InvalidRequest("llama.cpp could not read the grammar built from this JSON Schema: simplify the schema.",
                          code="grammar_failed", param="json_schema")


def check_grammar(vocab, gbnf: str) -> None:
    """Raise InvalidRequest when llama.cpp cannot parse `gbnf`: checked in the request's own
    thread, so a bad grammar never reaches the scheduler (where it would stop every sequence)."""
    smpl = llama_cpp.llama_sampler_init_grammar(vocab, gbnf.encode("utf-8"), b"root")
    if not smpl:
        raise _refused()
    llama_cpp.llama_sampler_free(smpl)


class GrammarMask:
    """One sequence's grammar state over one vocabulary."""

    def __init__(self, vocab, n_vocab: int, gbnf: str) -> None:
        self._smpl = llama_cpp.llama_sampler_init_grammar(vocab, gbnf.encode("utf-8"), b"root")
        if not self._smpl:
            raise _refused()
        self._buf = np.zeros(n_vocab, dtype=_TOKEN_DATA)
        self._ids = np.arange(n_vocab, dtype=np.int32)
        self._arr = llama_cpp.llama_token_data_array(
            data=self._buf.ctypes.data_as(llama_cpp.llama_token_data_p), size=n_vocab, selected=-1, sorted=False)

    def mask(self, logits: np.ndarray) -> np.ndarray:
        """A new row: `logits` where the grammar allows the token, -inf elsewhere (the input,
        possibly a cached prompt row shared with other sequences, is never written)."""
        n = self._buf.shape[0]
        self._buf["id"] = self._ids
        self._buf["logit"] = logits[:n]
        self._arr.data = self._buf.ctypes.data_as(llama_cpp.llama_token_data_p)
        self._arr.size, self._arr.selected, self._arr.sorted = n, -1, False
        llama_cpp.llama_sampler_apply(self._smpl, ctypes.byref(self._arr))
        view = self._buf[: self._arr.size]
        ok = np.isfinite(view["logit"])
        out = np.full(logits.shape[0], -np.inf, dtype=np.float32)
        out[view["id"][ok]] = view["logit"][ok]
        return out

    def accept(self, token: int) -> None:
        llama_cpp.llama_sampler_accept(self._smpl, int(token))

    def close(self) -> None:
        if self._smpl:
            llama_cpp.llama_sampler_free(self._smpl)
            self._smpl = None

    def __del__(self) -> None:  # a sequence dropped without close() still frees its grammar
        try:
            self.close()
        except Exception:
            pass
