"""Browser: the Embeddings page in French then English — the similarity heatmap shows its values
(decimal comma in French), the secret-word game ranks guesses closest first, word arithmetic
answers. Real offline model (USE multilingual v3 from PyPI)."""

from __future__ import annotations

import re

import pytest
from conftest import UI_LONG_TIMEOUT_MS, UI_TIMEOUT_MS, wait_app_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def choose(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).first.click()


def heatmap_values(page, n: int) -> list[str]:
    """The numbers written in the heatmap's cells, once plotly.js has drawn all n of them."""
    cells = page.locator('[data-testid="stPlotlyChart"] svg text').filter(has_text=re.compile(r"^-?\d[.,]\d\d$"))
    expect(cells).to_have_count(n, timeout=UI_TIMEOUT_MS)
    return [t.strip() for t in cells.all_text_contents()]


def table_rows(page, panel) -> list[list[str]]:
    """The cells of the panel's table, row by row (the last columns: word, temperature, score)."""
    rows = panel.locator('[data-testid="stTable"] tbody tr')
    return [[c.strip() for c in r.locator("th, td").all_inner_texts()] for r in rows.all()]


def guess(page, panel, word: str, said: str) -> None:
    box = panel.get_by_role("textbox", name=re.compile("proposition|guess", re.I))
    box.fill(word)
    box.press("Enter")
    page.get_by_text(re.compile(said + r".*«\s?" + word + r"\s?»|" + said + r".*“" + word + "”")).first.wait_for(
        timeout=UI_LONG_TIMEOUT_MS)
    wait_app_idle(page)


def test_embeddings_page_french_then_english(app_server, page):
    page.goto(app_server + "/embeddings")
    page.get_by_role("heading", name="Embeddings : le sens en vecteurs").wait_for(timeout=UI_LONG_TIMEOUT_MS)
    wait_app_idle(page, UI_LONG_TIMEOUT_MS)
    page.get_by_role("button", name="Calculer les similarités").click()
    page.get_by_role("heading", name="Matrice de similarité (cosinus)").wait_for(timeout=UI_LONG_TIMEOUT_MS)
    wait_app_idle(page, UI_LONG_TIMEOUT_MS)
    values = heatmap_values(page, 25)  # 5 sample sentences: a 5 × 5 matrix, every cell written
    assert values.count("1,00") >= 5 and not any("." in v for v in values)  # the diagonal, French decimals
    assert page.get_by_role("heading", name="Carte 2D (ACP des vecteurs)").is_visible()

    # the game: two guesses, the table lists them closest first
    page.get_by_role("tab", name="Jeu du mot secret").click()
    panel = page.get_by_role("tabpanel", name="Jeu du mot secret")
    guess(page, panel, "ordinateur", "Dernière proposition")
    guess(page, panel, "chiot", "Dernière proposition")
    rows = table_rows(page, panel)
    assert sorted(r[-3] for r in rows) == ["chiot", "ordinateur"], rows
    temps = [float(r[-2].replace(",", ".")) for r in rows]
    assert temps == sorted(temps, reverse=True) and temps[0] > temps[1], rows
    panel.get_by_role("button", name="Indice : première lettre").click()
    page.get_by_text(re.compile(r"Le mot commence par « [A-ZÀ-Ü] »")).wait_for(timeout=UI_TIMEOUT_MS)
    panel.get_by_role("button", name="Indice : un mot plus proche").click()
    page.get_by_text(re.compile(r"Plus proche que votre meilleure proposition : « [\w'-]+ »|Aucun mot du vocabulaire")
                     ).wait_for(timeout=UI_TIMEOUT_MS)
    wait_app_idle(page)

    # word arithmetic: the classic example
    page.get_by_role("tab", name="Arithmétique des mots").click()
    arith = page.get_by_role("tabpanel", name="Arithmétique des mots")
    arith.get_by_role("button", name="Calculer", exact=True).click()
    page.get_by_text("roi − homme + femme ≈").wait_for(timeout=UI_LONG_TIMEOUT_MS)
    wait_app_idle(page, UI_LONG_TIMEOUT_MS)
    assert table_rows(page, arith)[0][-2] == "reine"

    # English: same results, English labels and decimals
    choose(page, "Langue / Language", "English")
    page.get_by_role("heading", name="Embeddings: meaning as vectors").wait_for(timeout=UI_TIMEOUT_MS)
    page.get_by_role("heading", name="Similarity matrix (cosine)").wait_for(timeout=UI_TIMEOUT_MS)
    wait_app_idle(page, UI_LONG_TIMEOUT_MS)
    values = heatmap_values(page, 25)
    assert values.count("1.00") >= 5 and not any("," in v for v in values), values
    page.get_by_role("tab", name="Secret-word game").click()
    panel = page.get_by_role("tabpanel", name="Secret-word game")
    guess(page, panel, "maison", "Last guess")
    assert panel.get_by_text("Guesses, closest first").is_visible()
    rows = table_rows(page, panel)
    assert len(rows) == 3 and "maison" in [r[-3] for r in rows]
    temps = [float(r[-2]) for r in rows]
    assert temps == sorted(temps, reverse=True)
    panel.get_by_role("button", name="Give up and reveal").click()
    page.get_by_text(re.compile(r"The secret word was “[\w'-]+”")).wait_for(timeout=UI_TIMEOUT_MS)
    expect(panel.get_by_role("textbox", name="Your guess (one word)")).to_be_disabled()
    assert panel.get_by_text("The vocabulary words nearest to the secret").is_visible()
