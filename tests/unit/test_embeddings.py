"""The offline embedding model for real (USE multilingual v3 from PyPI), and the maths on its vectors."""

from __future__ import annotations

import numpy as np
import pytest

from playground.embeddings import (
    DEFAULT_MODEL,
    arithmetic,
    cosine_matrix,
    embed,
    embed_cached,
    list_embedding_models,
    nearest,
    pca_2d,
)
from providers.base import InvalidRequest, ProviderError
from providers.registry import Registry

# (anchor, paraphrase, unrelated): the paraphrase shares almost no word with the anchor.
FRENCH = [
    ("Le chat dort sur le canapé.", "Un matou fait la sieste sur le sofa.", "La banque a relevé ses taux d'intérêt."),
    ("Il pleut énormément à Paris aujourd'hui.", "Aujourd'hui, il tombe des cordes sur la capitale.",
     "Mon frère répare son vélo dans le garage."),
    ("Je n'ai pas faim, merci.", "Non merci, je n'ai pas d'appétit.", "Le train pour Lyon part à huit heures."),
]
ENGLISH = [
    ("The cat is sleeping on the couch.", "A kitten naps on the sofa.", "The central bank raised interest rates."),
    ("How do I reset my password?", "I forgot my password, how can I change it?", "The museum opens at nine."),
    ("She bought a new car yesterday.", "Yesterday she purchased a brand new automobile.",
     "Penguins live in the southern hemisphere."),
]


@pytest.mark.parametrize("triples", [FRENCH, ENGLISH], ids=["fr", "en"])
def test_paraphrase_ranks_above_unrelated(triples):
    texts = [t for triple in triples for t in triple]
    res = embed(None, None, texts)
    assert res.model == DEFAULT_MODEL and res.dimensions == 512 and res.vectors.shape == (9, 512)
    np.testing.assert_allclose(np.linalg.norm(res.vectors, axis=1), 1.0, atol=1e-5)
    sim = cosine_matrix(res.vectors)
    for k in range(len(triples)):
        a, p, u = 3 * k, 3 * k + 1, 3 * k + 2
        assert sim[a, p] > sim[a, u] + 0.2, (triples[k], sim[a, p], sim[a, u])
        # and the paraphrase is the anchor's nearest neighbour among all nine sentences
        assert nearest(sim, a, 1)[0][0] == p


def test_word_arithmetic_roi_minus_homme_plus_femme_is_reine():
    vocab = ["roi", "reine", "homme", "femme", "prince", "princesse", "garçon", "fille", "père", "mère",
             "chat", "voiture", "pomme", "maison", "ville", "soleil", "livre", "table", "arbre", "musique"]
    vectors = embed_cached(None, None, vocab)
    v = dict(zip(vocab, vectors))
    found = arithmetic(v["roi"] - v["homme"] + v["femme"], vocab, vectors, exclude=["roi", "homme", "femme"])
    assert found[0][0] == "reine", found
    assert found[0][1] > found[-1][1]


def test_bad_texts_are_clear_errors():
    with pytest.raises(InvalidRequest) as info:
        embed(None, None, [])
    assert info.value.code == "embed_no_text"
    with pytest.raises(InvalidRequest) as info:
        embed(None, None, ["ok", "   "])
    assert info.value.code == "embed_empty_text" and info.value.params == {"i": 2}
    with pytest.raises(InvalidRequest) as info:
        embed(None, None, ["x" * 5000])
    assert info.value.code == "embed_too_long"
    with pytest.raises(InvalidRequest) as info:
        embed(None, None, ["mot"] * 2049)
    assert info.value.code == "embed_too_many" and info.value.params == {"n": 2049, "max": 2048}


def test_a_backend_that_cannot_embed_says_so():
    with pytest.raises(ProviderError) as info:
        embed(Registry({}), "ollama/nomic-embed-text", ["x"])
    assert "ollama" in info.value.message
    assert [m.id for m in list_embedding_models(None)] == [DEFAULT_MODEL]


def test_cosine_nearest_and_pca_on_known_vectors():
    v = np.array([[1, 0, 0], [0.8, 0.6, 0], [0, 0, 1], [0, 0.6, 0.8]], dtype=np.float32)
    sim = cosine_matrix(v)
    assert sim[0, 1] == pytest.approx(0.8) and sim[0, 2] == pytest.approx(0.0)
    assert [j for j, _ in nearest(sim, 1)] == [0, 3, 2]
    coords = pca_2d(v)
    assert coords.shape == (4, 2)
    # the first axis carries the most variance: its spread is at least the second's
    assert coords[:, 0].var() >= coords[:, 1].var()
    # distances on the map keep the order of the closest pair
    d = np.linalg.norm(coords[:, None] - coords[None], axis=2)
    assert d[0, 1] < d[0, 2]
    assert pca_2d(v[:1]).tolist() == [[0.0, 0.0]]
