"""Embeddings for the whole app (Embeddings page, `embed` command, mini-RAG): which models can embed,
one call that turns texts into unit vectors, and the small maths the pages show (cosine matrix,
nearest neighbours, a 2-D map, word arithmetic).

One API, whatever the backend: `embed(registry, model_id, texts)` answers an EmbeddingResult whose
vectors are float32 and L2-normalised, so a cosine is a dot product everywhere. `model_id=None` is
the offline model shipped on PyPI (providers.embeddings), which works with no server at all.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from providers.base import InvalidRequest, ProviderError, ServerError, split_model_id
from providers.embeddings import (
    OFFLINE_DIMENSIONS,
    OFFLINE_ID,
    OFFLINE_MODEL,
    OFFLINE_PROVIDER,
    Embedder,
    normalise,
    not_an_embedder,
    offline_embedder,
)
from providers.registry import Registry

DEFAULT_MODEL = OFFLINE_ID
# Bounds on one call: a pasted book must be a clear error, not minutes of CPU on a shared machine
# (2,048 texts is also OpenAI's limit per request). Backends get BATCH texts per request.
MAX_TEXTS = 2048
MAX_CHARS = 4000
BATCH = 128


@dataclass(frozen=True)
class EmbeddingModelInfo:
    id: str  # "offline/use-multilingual-v3", "ollama/nomic-embed-text", "openai/text-embedding-3-small"
    provider: str
    model: str
    offline: bool = False
    dimensions: int | None = None  # known without asking (the offline model); None for remote ones


@dataclass(frozen=True)
class EmbeddingResult:
    model: str  # the full id that computed the vectors
    vectors: np.ndarray  # [n, d] float32, each row of length 1
    dimensions: int


OFFLINE_INFO = EmbeddingModelInfo(id=OFFLINE_ID, provider=OFFLINE_PROVIDER, model=OFFLINE_MODEL, offline=True,
                                  dimensions=OFFLINE_DIMENSIONS)


def _registry(registry_or_config):
    """A Registry from a Registry, an AppConfig or None (None: the offline model only)."""
    if registry_or_config is None or isinstance(registry_or_config, Registry):
        return registry_or_config
    from playground.config import build_registry

    return build_registry(registry_or_config)


def list_embedding_models_with_errors(registry_or_config) -> tuple[list[EmbeddingModelInfo], dict[str, str]]:
    """The offline model first, then every configured backend's embedding models, and a readable
    error per backend that could not be asked (an unreachable Ollama must not hide the others)."""
    registry = _registry(registry_or_config)
    out = [OFFLINE_INFO]
    errors: dict[str, str] = {}
    for name in (registry.names if registry is not None else []):
        provider = registry.get(name)
        if not isinstance(provider, Embedder):
            continue
        try:
            found = provider.embedding_models()
        except ProviderError as exc:
            errors[name] = exc.message
            continue
        out.extend(EmbeddingModelInfo(id=f"{name}/{m}", provider=name, model=m) for m in found)
    return out, errors


def list_embedding_models(registry_or_config) -> list[EmbeddingModelInfo]:
    """The offline model, then the configured backends' embedding models (unreachable ones skipped)."""
    return list_embedding_models_with_errors(registry_or_config)[0]


def check_texts(texts: Sequence[str]) -> list[str]:
    """The texts as a list, or an InvalidRequest saying which one is wrong and what to do."""
    texts = list(texts)
    if not texts:
        raise InvalidRequest("No text to embed: give at least one.", code="embed_no_text")
    if len(texts) > MAX_TEXTS:
        raise InvalidRequest(f"{len(texts)} texts at once is too many: embed at most {MAX_TEXTS}.",
                             code="embed_too_many", params={"n": len(texts), "max": MAX_TEXTS})
    for i, t in enumerate(texts, 1):
        if not isinstance(t, str) or not t.strip():
            raise InvalidRequest(f"Text {i} is empty: write something or remove it.", code="embed_empty_text",
                                 params={"i": i})
        if len(t) > MAX_CHARS:
            raise InvalidRequest(f"Text {i} has {len(t)} characters: the limit is {MAX_CHARS}, shorten it.",
                                 code="embed_too_long", params={"i": i, "n": len(t), "max": MAX_CHARS})
    return texts


def embed(registry_or_config, model_id: str | None, texts: Sequence[str]) -> EmbeddingResult:
    """Unit vectors for `texts` (row i = text i) from `model_id` ("provider/model"; None: the offline
    model), asked BATCH texts at a time. Raises ProviderError (InvalidRequest for bad texts or a
    backend that cannot embed)."""
    texts = check_texts(texts)
    model_id = model_id or DEFAULT_MODEL
    provider_name, model = split_model_id(model_id)
    if provider_name == OFFLINE_PROVIDER:
        provider = offline_embedder()
        where = "the offline model"
    else:
        registry = _registry(registry_or_config)
        if registry is None:
            raise not_an_embedder(provider_name)
        provider = registry.get(provider_name)
        if not isinstance(provider, Embedder):
            raise not_an_embedder(provider_name)
        where = provider_name
    parts = [np.asarray(provider.embed(model, texts[i:i + BATCH]), dtype=np.float32)
             for i in range(0, len(texts), BATCH)]
    if len({p.shape[1] for p in parts}) != 1:  # a server that changes its mind between two batches
        raise ServerError(f"{where} answered vectors of different lengths for “{model}”.", code="embed_bad_reply",
                          params={"where": where, "model": model, "n": len(texts)})
    vectors = normalise(np.concatenate(parts), where, model)
    return EmbeddingResult(model=model_id, vectors=vectors, dimensions=int(vectors.shape[1]))


# ---------------------------------------------------------------- cached vocabularies
_CACHE: OrderedDict[tuple[str, tuple[str, ...]], np.ndarray] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 16


def embed_cached(registry_or_config, model_id: str | None, texts: Sequence[str]) -> np.ndarray:
    """`embed(...).vectors`, remembered per (model, texts): a game's or an arithmetic's vocabulary
    (hundreds of words) is embedded once per process, not at every click."""
    key = (model_id or DEFAULT_MODEL, tuple(texts))
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    vectors = embed(registry_or_config, model_id, texts).vectors
    with _CACHE_LOCK:
        _CACHE[key] = vectors
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return vectors


# ---------------------------------------------------------------- maths on unit vectors
def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    """[n, n] cosines (rows are normalised again, so any vectors do), clipped to [-1, 1]."""
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    v = v / np.where(norms == 0, 1, norms)
    return np.clip(v @ v.T, -1.0, 1.0)


def nearest(similarity: np.ndarray, i: int, k: int | None = None) -> list[tuple[int, float]]:
    """The other rows by decreasing similarity to row i: [(index, cosine), ...], at most k."""
    row = np.asarray(similarity)[i]
    order = [int(j) for j in np.argsort(-row, kind="stable") if j != i]
    return [(j, float(row[j])) for j in order[:k]]


def pca_2d(vectors: np.ndarray) -> np.ndarray:
    """[n, 2] coordinates on the two main axes (SVD of the centred vectors). Fewer than 2 points or
    identical points give zeros: there is no direction to show."""
    v = np.asarray(vectors, dtype=np.float64)
    if v.shape[0] < 2:
        return np.zeros((v.shape[0], 2))
    centred = v - v.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    coords = u[:, :2] * s[:2]
    if coords.shape[1] < 2:
        coords = np.pad(coords, ((0, 0), (0, 2 - coords.shape[1])))
    # SVD signs are arbitrary: fix them so the same sentences always draw the same map.
    for c in range(2):
        j = int(np.argmax(np.abs(coords[:, c])))
        if coords[j, c] < 0:
            coords[:, c] = -coords[:, c]
    return coords


def arithmetic(query: np.ndarray, vocabulary: Sequence[str], vectors: np.ndarray, exclude: Sequence[str] = (),
               k: int = 5) -> list[tuple[str, float]]:
    """The k words of `vocabulary` nearest to the query vector (e.g. roi − homme + femme), leaving
    out the words of the question itself, as is usual (otherwise "roi" is often its own answer)."""
    q = np.asarray(query, dtype=np.float32)
    q = q / (np.linalg.norm(q) or 1.0)
    scores = np.asarray(vectors, dtype=np.float32) @ q
    skip = {w.strip().lower() for w in exclude}
    out = []
    for j in np.argsort(-scores, kind="stable"):
        if vocabulary[j].lower() in skip:
            continue
        out.append((vocabulary[j], float(scores[j])))
        if len(out) == k:
            break
    return out
