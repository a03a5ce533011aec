"""Browser: the Tokenizers page's price calculator in French then English (figures and their
typography), and a course demo loaded from the page's "Course demos" menu."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from playground.cost import load_prices
from playground.course_presets import FR_EN
from tests.conftest import UI_TIMEOUT_MS, wait_app_idle

pytestmark = pytest.mark.browser

NBSP, NNBSP = "\u00a0", "\u202f"
# French: 1 234,56 $ (narrow no-break thousands, decimal comma, no-break space before the sign);
# English: $1,234.56
MONEY = {"fr": re.compile(rf"^\d{{1,3}}({NNBSP}\d{{3}})*,\d{{2,8}}{NBSP}\$$"),
         "en": re.compile(r"^\$\d{1,3}(,\d{3})*\.\d{2,8}$")}
LABELS = {
    "fr": {"title": f"Combien ça coûte{NNBSP}?", "in": "Tokens d'entrée (par requête)", "n": "Nombre de requêtes",
           "per": "Coût par requête", "total": "Coût total", "fr": "Français", "en": "Anglais",
           "cpt": "Caractères / token", "cpt_re": r"^\d+,\d\d$"},
    "en": {"title": "What does it cost?", "in": "Input tokens (per request)", "n": "Number of requests",
           "per": "Cost per request", "total": "Total cost", "fr": "French", "en": "English",
           "cpt": "Characters / token", "cpt_re": r"^\d+\.\d\d$"},
}


def amount(text: str, lang: str) -> float:
    text = text.replace(NBSP, "").replace("$", "")
    if lang == "fr":
        return float(text.replace(NNBSP, "").replace(",", "."))
    return float(text.replace(",", ""))


def metric(page, label: str):
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).locator('[data-testid="stMetricValue"]')


def whole(text: str) -> int:
    return int(re.sub(r"[\s,\u202f]", "", text))


def check_calculator(page, lang: str) -> None:
    t = LABELS[lang]
    page.get_by_role("heading", name=t["title"]).wait_for(timeout=UI_TIMEOUT_MS)
    expect(metric(page, t["cpt"]).first).to_have_text(re.compile(t["cpt_re"]))  # 2,56 in French
    price = load_prices()["gpt-4o-mini"]  # the calculator's default model, priced by prices.toml
    n_in = whole(metric(page, t["in"]).inner_text())
    assert n_in > 0
    requests = page.get_by_label(t["n"])
    requests.fill("10000000")  # ten million requests: the total needs a thousands separator
    requests.press("Enter")
    expect(metric(page, t["total"])).to_have_text(MONEY[lang], timeout=UI_TIMEOUT_MS)
    wait_app_idle(page)
    expect(page.get_by_text(re.compile("10\u202f000\u202f000" if lang == "fr" else "10,000,000")).first).to_be_visible()
    per = metric(page, t["per"]).inner_text()
    total = metric(page, t["total"]).inner_text()
    assert MONEY[lang].match(per), per
    expected = (n_in * price.input + 200 * price.output) / 1e6  # 200 expected output tokens by default
    assert amount(per, lang) == pytest.approx(expected, rel=1e-2)
    assert amount(total, lang) == pytest.approx(expected * 10_000_000, rel=1e-3)
    assert amount(total, lang) >= 1000  # so the separator above was really tested
    # the same sentence in both languages: French takes more tokens, so costs more
    rows = page.locator('[data-testid="stTable"] tbody tr').evaluate_all(
        "rows => rows.map(r => [...r.querySelectorAll('th,td')].map(c => c.innerText.trim()))")
    by_lang = {r[0]: r[1:] for r in rows if r and r[0] in (t["fr"], t["en"])}
    assert set(by_lang) == {t["fr"], t["en"]}, rows
    fr_tokens, en_tokens = whole(by_lang[t["fr"]][0]), whole(by_lang[t["en"]][0])
    assert fr_tokens > en_tokens
    for tokens, cost in ((fr_tokens, by_lang[t["fr"]][1]), (en_tokens, by_lang[t["en"]][1])):
        assert MONEY[lang].match(cost), cost
        assert amount(cost, lang) == pytest.approx(tokens * price.input / 1e6 * 10_000_000, rel=1e-3)


def test_price_calculator_in_french_then_english(app_server, page, tmp_path):
    page.goto(app_server, wait_until="domcontentloaded")
    page.get_by_role("link", name="Tokenizers").click()
    check_calculator(page, "fr")
    metric(page, LABELS["fr"]["total"]).scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "tokenizers_fr.png"), full_page=True)

    box = page.get_by_role("combobox", name="Langue / Language")
    box.click()
    page.get_by_role("option", name="English", exact=True).first.click()
    page.get_by_role("heading", name="Tokenizers: how text becomes numbers").wait_for(timeout=UI_TIMEOUT_MS)
    check_calculator(page, "en")

    # a course demo from the page's menu: the English sentence, counted by the calculator too
    page.get_by_role("button", name="Course demos").click()
    page.get_by_role("button", name="The same text in French and English: how many tokens?").click()
    expect(page.get_by_label("Text", exact=True)).to_have_value(FR_EN["en"], timeout=UI_TIMEOUT_MS)
    expect(page.get_by_text(re.compile("^Demo loaded: The same text"))).to_be_visible(timeout=UI_TIMEOUT_MS)
    wait_app_idle(page)
    from playground.tokenize import tokenize_tiktoken

    assert whole(metric(page, LABELS["en"]["in"]).inner_text()) == tokenize_tiktoken("o200k_base", FR_EN["en"]).count
    metric(page, LABELS["en"]["total"]).scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "tokenizers_en.png"), full_page=True)


def test_a_next_token_demo_resets_the_sliders_the_person_moved(app_server, page):
    from tests.e2e.test_explorer_browser import live_frame

    page.goto(app_server, wait_until="domcontentloaded")
    page.get_by_role("link", name="Prochain token").click()
    expect(page.get_by_label("Début du texte")).to_have_value("La souris de l'ordinateur est un")
    frame = live_frame(page)
    frame.get_by_label("Température").focus()
    for _ in range(10):  # 1.0 → 0.5, step 0.05
        page.keyboard.press("ArrowLeft")
    frame.wait_for_function("window.__live.sent >= 1", timeout=UI_TIMEOUT_MS)  # the server has the move
    expect(frame.locator("#o-temperature")).to_have_text("0,50")
    wait_app_idle(page)

    page.get_by_role("button", name="Démos du cours").click()
    page.get_by_role("button", name="Le gratin dauphinois (prochain token)").click()
    expect(page.get_by_label("Début du texte")).to_have_value("Le gratin dauphinois est un plat")
    expect(page.get_by_role("button", name="Le gratin dauphinois (prochain token)")).to_be_hidden()  # menu closed
    wait_app_idle(page)
    frame = live_frame(page)
    expect(frame.locator("#o-temperature")).to_have_text("1,00")  # the demo's temperature, not the old move
    # a rerun from elsewhere on the page (the browser sends the chart's old value again): still the demo's
    page.get_by_role("button", name=re.compile("Le plus probable")).click()
    page.wait_for_function("document.querySelectorAll('.pg-trail .pg-step').length === 1", timeout=UI_TIMEOUT_MS)
    wait_app_idle(page)
    expect(live_frame(page).locator("#o-temperature")).to_have_text("1,00")
