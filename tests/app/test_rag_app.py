"""AppTest of the Mini-RAG page: refusals are said and lose nothing typed; a run shows the chunk
holding the answer first, the augmented prompt exactly, and both answers with their metrics
(the real offline embedding model and the real embedded SmolLM2)."""

from __future__ import annotations

from pathlib import Path

from conftest import APP_TIMEOUT_S
from streamlit.testing.v1 import AppTest

from playground.rag import MAX_BYTES, MAX_CHUNKS

APP = str(Path(__file__).resolve().parents[2] / "app.py")
DOCS = ("La photosynthèse transforme la lumière, l'eau et le dioxyde de carbone en sucre.\n---\n"
        "La tour Eiffel, à Paris, mesure 330 mètres.\n---\n"
        "Le Rhône et la Saône se rejoignent à Lyon.")


def _page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=APP_TIMEOUT_S)
    at.run()
    at.switch_page("pages/rag.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def test_asking_without_documents_or_question_says_what_to_do():
    at = _page()
    at.button(key="rag_ask").click().run()
    assert any("Aucun document" in e for e in _errors(at))
    at.text_area(key="rag_paste").set_value(DOCS).run()
    at.button(key="rag_ask").click().run()
    assert any("Écrivez d'abord une question" in e for e in _errors(at))
    assert at.text_area(key="rag_paste").value == DOCS  # nothing typed is lost


def test_too_large_and_too_many_chunks_are_refused():
    at = _page()
    at.text_area(key="rag_paste").set_value("é" * (MAX_BYTES // 2 + 1)).run()
    assert any("pèsent 5,1\u00a0Mo au total, au-delà de la limite de 5,0\u00a0Mo" in e for e in _errors(at)), _errors(at)
    at.text_area(key="rag_paste").set_value("mot " * (100 * (MAX_CHUNKS + 1))).run()
    at.slider(key="rag_size").set_value(100).run()
    at.slider(key="rag_overlap").set_value(0).run()
    assert any(f"Plus de {MAX_CHUNKS} extraits" in e for e in _errors(at)), _errors(at)


def test_a_run_retrieves_the_right_chunk_and_answers_twice():
    at = _page()
    at.text_area(key="rag_paste").set_value(DOCS).run()
    at.text_area(key="rag_question").set_value("Combien mesure la tour Eiffel ?")
    at.selectbox(key="rag_answer_model").set_value("embedded/smollm2-135m-instruct")
    at.number_input(key="rag_params_max_tokens").set_value(16)
    at.button(key="rag_ask").click().run()
    assert not at.exception, at.exception
    html = "".join(m.value for m in at.markdown)
    first = html.index('data-rank="1"')
    assert "texte 2, extrait 1 · score 0," in html[first:first + 600]
    assert html.index("330 mètres") > first and html.index("330 mètres") < html.index('data-rank="2"')
    code = at.code[0].value
    assert code.startswith("Réponds à la question uniquement à partir du contexte ci-dessous.")
    assert "[1] (texte 2, extrait 1)\nLa tour Eiffel, à Paris, mesure 330 mètres." in code
    assert code.endswith("Question\u202f: Combien mesure la tour Eiffel ?\nRéponse\u202f:")
    assert html.count('class="pg-metrics"') == 2 and "Tokens générés" in html
    assert html.count('class="pg-output"') == 2
    assert 'class="pg-rag-done" data-run="1"' in html


def test_an_overlap_over_half_a_chunk_is_brought_down_and_said():
    at = _page()
    at.text_area(key="rag_paste").set_value("x" * 1000).run()
    at.slider(key="rag_size").set_value(200).run()
    at.slider(key="rag_overlap").set_value(300).run()
    assert any("Chevauchement ramené à 100 caractères" in c.value for c in at.caption)
    assert any("1 document(s), 9 extrait(s)" in c.value for c in at.caption)  # 0-200, 100-300, … 800-1000
