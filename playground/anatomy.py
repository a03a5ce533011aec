"""Model anatomy: what a model is made of, read from its GGUF header (embedded models) or from
Ollama's `/api/show`, and what it costs in memory at a given context.

Why from the header: the tensor infos (name, shape, ggml type, offset) sit right after the
key–value metadata, so the parameter count, the quantization of every tensor and the bytes of
the weights are known in milliseconds, without loading anything (providers.embedded.gguf_meta).

RAM estimate (what the page shows, formula included):
    weights  = the tensor bytes of the file (Ollama: the size its listing reports)
    KV cache = n_layer × n_ctx × n_seq × n_head_kv × (key_length + value_length) × bytes per element
where key_length/value_length default to embedding_length / head_count, and a cache element
costs 2 bytes in f16 or 34/32 bytes in q8_0 (blocks of 32 int8 + one f16 scale) — our embedded
engine stores its cache in q8_0 and runs `max_active` sequences, each with its own cells.
Compute buffers and the runtime itself come on top: the figure is a floor, not a promise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from providers.base import InvalidRequest, ProviderError, split_model_id
from providers.embedded.gguf_meta import TensorInfo, gguf_metadata, gguf_tensors, quant_name

# bytes per element of a KV cache type (llama.cpp's type_k/type_v)
KV_BYTES = {"f16": 2.0, "q8_0": 34 / 32, "f32": 4.0}
ENGINE_KV_TYPE = "q8_0"  # providers.embedded.context: type_k = type_v = GGML_TYPE_Q8_0


@dataclass(frozen=True)
class TypeRow:
    """One line of the quantization histogram: a ggml type and what is stored in it."""

    type_name: str
    tensors: int
    params: int
    bytes: int


@dataclass(frozen=True)
class LayerRow:
    """The tensors of one layer (`blk.N`) or of the parts outside the layers (layer None)."""

    layer: int | None
    tensors: int
    params: int
    bytes: int
    types: str  # e.g. "Q4_1 ×7 · F32 ×2"
    names: tuple[str, ...]


@dataclass
class Anatomy:
    """The facts of one model, whichever backend it comes from (None: not known there)."""

    model_id: str
    source: str  # "gguf" or "ollama"
    arch: str = ""
    name: str = ""
    file_size: int | None = None
    n_params: int | None = None
    size_label: str = ""
    quantization: str = ""
    context_length: int | None = None
    vocab_size: int | None = None
    chat_template: str = ""
    parameters: str = ""  # Ollama's default parameters (Modelfile PARAMETER lines)
    n_layer: int | None = None
    n_head: int | None = None
    n_head_kv: int | None = None
    n_embd: int | None = None
    key_length: int | None = None
    value_length: int | None = None
    sliding_window: int | None = None
    tensors: tuple[TensorInfo, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def weight_bytes(self) -> int | None:
        """Bytes of the weights: the sum of the tensors' data when known, else the file size."""
        if self.tensors and all(t.n_bytes is not None for t in self.tensors):
            return sum(t.n_bytes for t in self.tensors)
        return self.file_size

    @property
    def head_dims(self) -> tuple[int, int] | None:
        """(key, value) dimension per KV head: the header's key_length/value_length, else
        embedding_length / head_count (the usual shape when they are absent)."""
        if self.key_length and self.value_length:
            return self.key_length, self.value_length
        if self.n_embd and self.n_head:
            d = self.n_embd // self.n_head
            return self.key_length or d, self.value_length or d
        return None


def _int(v) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, list) and v and all(isinstance(x, int) for x in v):
        return max(v)  # per-layer head counts (some architectures): the largest bounds the cache
    return None


def _fill_arch(a: Anatomy, md: dict) -> None:
    """The architecture keys shared by a GGUF header and Ollama's model_info."""
    arch = str(md.get("general.architecture") or "")
    a.arch = arch
    a.context_length = _int(md.get(f"{arch}.context_length"))
    a.n_layer = _int(md.get(f"{arch}.block_count"))
    a.n_head = _int(md.get(f"{arch}.attention.head_count"))
    a.n_head_kv = _int(md.get(f"{arch}.attention.head_count_kv")) or a.n_head  # absent: no grouped-query attention
    a.n_embd = _int(md.get(f"{arch}.embedding_length"))
    a.key_length = _int(md.get(f"{arch}.attention.key_length"))
    a.value_length = _int(md.get(f"{arch}.attention.value_length"))
    a.sliding_window = _int(md.get(f"{arch}.attention.sliding_window"))


def gguf_anatomy(path: Path, model_id: str = "") -> Anatomy:
    """A GGUF's anatomy from its header alone. Raises ModelLoadError for an unreadable file."""
    path = Path(path)
    md = gguf_metadata(path)
    layout = gguf_tensors(path)
    a = Anatomy(model_id or path.name, "gguf", name=str(md.get("general.name") or path.stem))
    _fill_arch(a, md)
    a.file_size = layout.file_size
    a.tensors = layout.tensors
    a.n_params = sum(t.n_elements for t in layout.tensors)
    a.size_label = str(md.get("general.size_label") or "")
    a.quantization = quant_name(md.get("general.file_type")) if md.get("general.file_type") is not None else ""
    tokens = md.get("tokenizer.ggml.tokens")
    a.vocab_size = len(tokens) if tokens is not None else _int(md.get(f"{a.arch}.vocab_size"))
    a.chat_template = str(md.get("tokenizer.chat_template") or "")
    return a


def ollama_anatomy(show: dict, model_id: str, size_bytes: int | None = None) -> Anatomy:
    """An Ollama model's anatomy from its `/api/show` answer (no tensor list there; the size
    comes from the `/api/tags` listing when known)."""
    details = show.get("details") or {}
    info = show.get("model_info") or {}
    a = Anatomy(model_id, "ollama", name=split_model_id(model_id)[1] if "/" in model_id else model_id)
    _fill_arch(a, info)
    a.arch = a.arch or str(details.get("family") or "")
    a.n_params = _int(info.get("general.parameter_count"))
    a.size_label = str(details.get("parameter_size") or "")
    a.quantization = str(details.get("quantization_level") or "")
    a.vocab_size = _int(info.get(f"{a.arch}.vocab_size")) or _len(info.get("tokenizer.ggml.tokens"))
    a.chat_template = str(show.get("template") or "")
    a.parameters = str(show.get("parameters") or "")
    a.file_size = size_bytes
    return a


def _len(v) -> int | None:
    return len(v) if isinstance(v, list) and v else None


# ---------------------------------------------------------------- tensors
def type_histogram(tensors) -> list[TypeRow]:
    """Parameters and bytes per ggml type, most parameters first."""
    acc: dict[str, list[int]] = {}
    for t in tensors:
        row = acc.setdefault(t.type_name, [0, 0, 0])
        row[0] += 1
        row[1] += t.n_elements
        row[2] += t.n_bytes or 0
    rows = [TypeRow(k, *v) for k, v in acc.items()]
    return sorted(rows, key=lambda r: (-r.params, r.type_name))


_LAYER = re.compile(r"^blk\.(\d+)\.")


def layer_of(name: str) -> int | None:
    m = _LAYER.match(name)
    return int(m.group(1)) if m else None


def layer_table(tensors) -> list[LayerRow]:
    """The tensors grouped by layer, in layer order; what lies outside the layers (embeddings,
    output norm, output head) first, as layer None."""
    groups: dict[int | None, list[TensorInfo]] = {}
    for t in tensors:
        groups.setdefault(layer_of(t.name), []).append(t)
    out = []
    for layer in sorted(groups, key=lambda k: -1 if k is None else k):
        ts = groups[layer]
        counts: dict[str, int] = {}
        for t in ts:
            counts[t.type_name] = counts.get(t.type_name, 0) + 1
        types = " · ".join(f"{k} ×{v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        out.append(LayerRow(layer, len(ts), sum(t.n_elements for t in ts), sum(t.n_bytes or 0 for t in ts), types,
                            tuple(t.name for t in ts)))
    return out


# ---------------------------------------------------------------- memory
@dataclass(frozen=True)
class RamEstimate:
    weights: int | None
    kv: int | None
    n_ctx: int
    n_seq: int
    cache_type: str
    n_layer: int | None
    n_head_kv: int | None
    k_dim: int | None
    v_dim: int | None
    bytes_per_element: float

    @property
    def total(self) -> int | None:
        if self.weights is None and self.kv is None:
            return None
        return (self.weights or 0) + (self.kv or 0)


def kv_cache_bytes(n_layer: int, n_head_kv: int, k_dim: int, v_dim: int, n_ctx: int, cache_type: str = ENGINE_KV_TYPE,
                   n_seq: int = 1) -> int:
    """n_layer × n_ctx × n_seq × n_head_kv × (k_dim + v_dim) × bytes per element (rounded up)."""
    if cache_type not in KV_BYTES:
        raise InvalidRequest(f"Unknown KV cache type “{cache_type}”: use one of {', '.join(KV_BYTES)}.")
    if min(n_layer, n_head_kv, k_dim, v_dim, n_ctx, n_seq) < 0:
        raise InvalidRequest("Layer, head, dimension, context and sequence counts cannot be negative.")
    elements = n_layer * n_ctx * n_seq * n_head_kv * (k_dim + v_dim)
    return -(-int(elements * KV_BYTES[cache_type] * 32) // 32)


def ram_estimate(a: Anatomy, n_ctx: int, cache_type: str = ENGINE_KV_TYPE, n_seq: int = 1) -> RamEstimate:
    """Weights + KV cache at `n_ctx` tokens for `n_seq` sequences (None parts: not known)."""
    dims = a.head_dims
    kv = None
    if dims and a.n_layer and a.n_head_kv:
        kv = kv_cache_bytes(a.n_layer, a.n_head_kv, dims[0], dims[1], n_ctx, cache_type, n_seq)
    return RamEstimate(a.weight_bytes, kv, n_ctx, n_seq, cache_type, a.n_layer, a.n_head_kv,
                       dims[0] if dims else None, dims[1] if dims else None, KV_BYTES[cache_type])


# ---------------------------------------------------------------- from a model id
def describes_insides(registry, model_id: str) -> bool:
    """Can this model's anatomy be read (embedded GGUF or Ollama)? Never contacts a server."""
    from providers.embedded.provider import EmbeddedProvider
    from providers.ollama import OllamaProvider

    try:
        provider, _ = registry.resolve(model_id)
    except ProviderError:
        return False
    return isinstance(provider, (EmbeddedProvider, OllamaProvider))


def model_anatomy(registry, model_id: str, size_bytes: int | None = None) -> Anatomy:
    """The anatomy of any listed model: embedded (its GGUF header) or Ollama (`/api/show`;
    `size_bytes` from a listing already at hand, else Ollama is asked for its list).
    Raises InvalidRequest for a backend that says nothing about its models' insides."""
    from providers.embedded.provider import EmbeddedProvider
    from providers.ollama import OllamaProvider

    provider, name = registry.resolve(model_id)
    if isinstance(provider, EmbeddedProvider):
        path = provider.capabilities(name).details["path"]
        a = gguf_anatomy(Path(path), model_id)
        a.extra["max_active"] = provider.config.max_active
        a.extra["engine_ctx"] = provider.config.n_ctx
        # the engine's context holds max_active + retained + 1 streams (engine.Engine)
        a.extra["engine_streams"] = provider.config.max_active + provider.config.retained + 1
        return a
    if isinstance(provider, OllamaProvider):
        size = size_bytes
        if size is None:
            size = next((m.details.get("size_bytes") for m in provider.list_models() if m.name == name), None)
        return ollama_anatomy(provider.show(name), model_id, size)
    raise InvalidRequest(f"{model_id} does not describe its insides (only embedded GGUF models and Ollama do).",
                         code="anatomy_unsupported", params={"model": model_id})
