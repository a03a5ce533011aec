"""Mini-RAG retrieval with the real default offline embedding model (playground.embeddings): of
three documents, the chunk that holds the answer comes first, in English and in French; scores
are cosines, best first; the index keeps the model that made it."""

import numpy as np
import pytest

from playground.rag import Document, build_prompt, chunk_documents
from playground.retrieval import build_index, retrieve

DOCS_EN = [
    "Photosynthesis lets plants turn sunlight, water and carbon dioxide into sugar and oxygen.",
    "The Eiffel Tower in Paris is 330 metres tall. It was built for the 1889 World's Fair.",
    "The Rhône and the Saône rivers meet in Lyon, at the southern tip of the Presqu'île.",
]
DOCS_FR = [
    "La photosynthèse permet aux plantes de transformer la lumière, l'eau et le dioxyde de carbone en sucre.",
    "La tour Eiffel, à Paris, mesure 330 mètres. Elle a été construite pour l'Exposition universelle de 1889.",
    "Le Rhône et la Saône se rejoignent à Lyon, à la pointe sud de la Presqu'île.",
]


@pytest.mark.parametrize("docs, question, lang", [
    (DOCS_EN, "How tall is the Eiffel Tower?", "en"),
    (DOCS_FR, "Quelle est la hauteur de la tour Eiffel ?", "fr"),
    (DOCS_EN, "Where do the two rivers meet?", "en"),
])
def test_the_chunk_with_the_answer_comes_first(registry, docs, question, lang):
    chunks = chunk_documents([Document(f"doc{i}.txt", t) for i, t in enumerate(docs, 1)], 400, 50)
    assert len(chunks) == 3
    index = build_index(registry, None, chunks)
    assert index.vectors.shape == (3, index.dimensions)
    assert np.allclose(np.linalg.norm(index.vectors, axis=1), 1.0, atol=1e-3)
    hits = retrieve(registry, index, question, 3)
    expected = "doc3.txt" if "rivers" in question else "doc2.txt"
    assert hits[0].chunk.doc == expected
    assert [h.rank for h in hits] == [1, 2, 3]
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1]
    assert all(-1.0 - 1e-4 <= s <= 1.0 + 1e-4 for s in scores)
    # the first context block of the prompt is that chunk
    prompt = build_prompt(question, hits[:1], lang)
    assert hits[0].chunk.text.strip() in prompt


def test_top_k_bounds_the_hits_and_the_question_uses_the_index_model(registry):
    chunks = chunk_documents([Document("a.txt", DOCS_EN[0]), Document("b.txt", DOCS_EN[1])], 400, 0)
    index = build_index(registry, None, chunks)
    assert index.model  # the default model, named: the question is embedded by it too
    assert len(retrieve(registry, index, "plants and sugar", 1)) == 1
    assert retrieve(registry, index, "plants and sugar", 1)[0].chunk.doc == "a.txt"
