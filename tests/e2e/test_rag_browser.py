"""Browser: the Mini-RAG page in French then English. Three pasted documents, a question: the
chunk that holds the answer comes first with its score, the augmented prompt is shown as sent,
and the same model answers with and without the context, each with its metrics."""

import re

import pytest
from conftest import UI_LONG_TIMEOUT_MS, UI_TIMEOUT_MS
from support.pdf import make_pdf

pytestmark = pytest.mark.browser

DOCS_FR = (
    "La photosynthèse permet aux plantes de transformer la lumière, l'eau et le dioxyde de carbone en sucre.\n---\n"
    "La tour Eiffel, à Paris, mesure 330 mètres. Elle a été construite pour l'Exposition universelle de 1889.\n---\n"
    "Le Rhône et la Saône se rejoignent à Lyon, à la pointe sud de la Presqu'île."
)
DOCS_EN = (
    "Photosynthesis lets plants turn sunlight, water and carbon dioxide into sugar and oxygen.\n---\n"
    "The Eiffel Tower in Paris is 330 metres tall. It was built for the 1889 World's Fair.\n---\n"
    "The Rhône and the Saône rivers meet in Lyon, at the southern tip of the Presqu'île."
)
MODEL = "SmolLM2 135M Instruct (chat, embarqué)"  # as the French page names it


def choose(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).first.click()


def ask(page, docs: str, question: str, paste_label: str, question_label: str, button: str) -> None:
    paste = page.get_by_label(paste_label)
    paste.fill(docs)
    paste.press("Control+Enter")
    q = page.get_by_label(question_label, exact=True)
    q.fill(question)
    q.press("Control+Enter")
    page.get_by_role("button", name=button).click(timeout=UI_TIMEOUT_MS)


def check_run(page, run: int, first_doc: str, score_re: str, context_word: str, tokens_label: str) -> None:
    page.locator(f'.pg-rag-done[data-run="{run}"]').wait_for(state="attached", timeout=UI_LONG_TIMEOUT_MS)
    first = page.locator('.pg-rag-hit[data-rank="1"]')
    first.wait_for(timeout=UI_LONG_TIMEOUT_MS)
    head = first.locator(".pg-rag-score").inner_text()
    assert head.startswith(f"[1] {first_doc},"), head
    assert re.search(score_re, head), head
    assert "330" in first.locator(".pg-rag-text").inner_text()
    assert first.locator("mark").count() >= 1  # the words shared with the question, marked
    assert page.locator(".pg-rag-hit").count() == 3
    scores = [float(re.search(r"score (-?\d[.,]\d{3})", page.locator(".pg-rag-hit").nth(i).inner_text())
                     .group(1).replace(",", ".")) for i in range(3)]
    assert scores == sorted(scores, reverse=True)
    code = page.locator('[data-testid="stCode"]').first.inner_text()
    assert context_word in code and "330" in code
    metrics = page.locator(".pg-metrics").filter(has_text=tokens_label)
    assert metrics.count() == 2  # both answers finished, each measured
    outputs = page.locator(".pg-output")
    assert outputs.count() == 2 and all(outputs.nth(i).inner_text().strip() for i in range(2))


def test_rag_page_in_french_then_english(app_server, page):
    page.goto(app_server + "/rag")
    page.get_by_role("heading", name=re.compile("^Mini-RAG")).wait_for(timeout=UI_TIMEOUT_MS)
    choose(page, "Modèle qui répond", MODEL)
    ask(page, DOCS_FR, "Combien mesure la tour Eiffel ?", "Textes collés", "Votre question", "Chercher et répondre")
    check_run(page, 1, "texte 2", r"score 0,\d{3}$", "Contexte\u202f:", "Tokens générés")
    body = page.locator("body").inner_text()
    assert "Avec le contexte" in body and "Sans le contexte" in body and "3 document(s), 3 extrait(s)" in body

    choose(page, "Langue / Language", "English")
    page.get_by_role("heading", name="Mini-RAG: answering from your documents").wait_for(timeout=UI_TIMEOUT_MS)
    ask(page, DOCS_EN, "How tall is the Eiffel Tower?", "Pasted texts", "Your question", "Retrieve and answer")
    check_run(page, 2, "text 2", r"score 0\.\d{3}$", "Context:", "Completion tokens")
    assert "With the context" in page.locator("body").inner_text()

    # files too: a readable PDF joins the pasted texts, a broken one is named and refused
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([
        {"name": "tower.pdf", "mimeType": "application/pdf", "buffer": make_pdf(["The tower has 1665 steps."])},
        {"name": "broken.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"},
    ])
    page.get_by_text("4 document(s)").wait_for(timeout=UI_TIMEOUT_MS)
    page.get_by_text("The PDF \u201cbroken.pdf\u201d cannot be read").wait_for(timeout=UI_TIMEOUT_MS)
