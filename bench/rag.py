"""Mini-RAG speed with the default offline embedding model: reading a PDF, chunking, embedding
the most a session may (MAX_CHUNKS chunks), and answering a question's retrieval (one embedding
and a dot product), as the page does.

Run: python bench/rag.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # support.pdf

from support.pdf import make_pdf  # noqa: E402

from playground.config import build_registry, load_config  # noqa: E402
from playground.rag import MAX_CHUNKS, Document, chunk_documents, read_document  # noqa: E402
from playground.retrieval import build_index, retrieve  # noqa: E402

SENTENCES = [
    "La tour Eiffel mesure 330 mètres et fut construite pour l'Exposition universelle de 1889.",
    "Le Rhône et la Saône se rejoignent à Lyon, à la pointe sud de la Presqu'île.",
    "La photosynthèse transforme la lumière, l'eau et le dioxyde de carbone en sucre et en oxygène.",
    "Le gratin dauphinois se fait avec des pommes de terre, de la crème et un peu d'ail.",
]


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    registry = build_registry(load_config(secrets={}, env={}))
    text = " ".join(SENTENCES[i % len(SENTENCES)] + f" (note {i})" for i in range(MAX_CHUNKS * 4))  # 200 chunks at size 450
    pdf = make_pdf([s.encode("ascii", "replace").decode() for s in SENTENCES * 50])  # 200 pages
    t_pdf, _ = timed(lambda: read_document("bench.pdf", pdf), args.repeat)
    t_chunk, chunks = timed(lambda: chunk_documents([Document("bench.txt", text)], 450, 50), args.repeat)
    t0 = time.perf_counter()
    build_index(registry, None, chunks[:1])  # the model's first load, paid once per process
    t_load = time.perf_counter() - t0
    t_index, index = timed(lambda: build_index(registry, None, chunks), args.repeat)
    t_query, _ = timed(lambda: retrieve(registry, index, "Combien mesure la tour Eiffel ?", 3), args.repeat * 3)
    chars = sum(len(c.text) for c in chunks)
    print(f"model {index.model} ({index.dimensions} dimensions), median of {args.repeat}")
    print(f"read a 200-page PDF ({len(pdf):,} bytes): {t_pdf * 1000:.0f} ms")
    print(f"chunk {len(text):,} characters (size 450, overlap 50): {t_chunk * 1000:.1f} ms")
    print(f"first embedding call (model load): {t_load:.2f} s")
    print(f"embed {len(chunks)} chunks ({chars:,} characters): {t_index:.2f} s = {len(chunks) / t_index:.0f} chunks/s")
    print(f"retrieve (embed the question + cosine over {len(chunks)}): {t_query * 1000:.0f} ms")


if __name__ == "__main__":
    main()
