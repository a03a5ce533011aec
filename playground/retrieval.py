"""Mini-RAG's retrieval: chunks embedded once (playground.embeddings), then the k nearest to a
question by cosine similarity. Apart from playground.rag so that reading, chunking and the prompt
stay usable (and testable) without an embedding model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from playground.embeddings import embed
from playground.rag import Chunk, Hit, RagError
from providers.registry import Registry


@dataclass(frozen=True)
class Index:
    chunks: tuple[Chunk, ...]
    vectors: np.ndarray  # [n, d], float32, L2-normalised (playground.embeddings)
    model: str  # the embedding model that made them; questions must use the same one
    dimensions: int


def build_index(registry: Registry, model_id: str | None, chunks: Sequence[Chunk]) -> Index:
    """Embed every chunk (one call: the embedding model batches them)."""
    if not chunks:
        raise RagError("no documents", "rag.err.no_documents")
    res = embed(registry, model_id, [c.text for c in chunks])
    return Index(tuple(chunks), np.asarray(res.vectors, dtype=np.float32), res.model, res.dimensions)


def retrieve(registry: Registry, index: Index, question: str, k: int) -> list[Hit]:
    """The k chunks nearest to the question by cosine similarity, best first (ties keep the
    documents' order). The question is embedded by the index's own model."""
    if not question.strip():
        raise RagError("empty question", "rag.err.empty_question")
    q = np.asarray(embed(registry, index.model, [question]).vectors, dtype=np.float32)[0]
    scores = index.vectors @ q  # both L2-normalised: the dot product is the cosine
    order = np.argsort(-scores, kind="stable")[: max(1, k)]
    return [Hit(rank, index.chunks[i], float(scores[i])) for rank, i in enumerate(order, 1)]
