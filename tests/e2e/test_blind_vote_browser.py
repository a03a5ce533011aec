"""Browser: a blind vote with the instructor and two attendees on one server, the two embedded
models — the attendees' pages carry neither model's id nor label until the reveal, their votes
reach the presenter's live tally, and the reveal names the models on their pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import streamlit_server

pytestmark = pytest.mark.browser

PASSWORD = "urne-verte-7"
WAIT = 240_000  # a loaded 2-core machine, three sessions and two models generating
MODELS = {"embedded/smollm2-135m-instruct": "SmolLM2 135M Instruct", "embedded/gemma-3-270m": "Gemma 3 270M"}


@pytest.fixture(scope="module")
def vote_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("blind_vote")
    secrets = tmp / "secrets.toml"
    secrets.write_text(f'[instructor]\npassword = "{PASSWORD}"\n')
    with streamlit_server(tmp, {"PLAYGROUND_SECRETS": str(secrets)}) as url:
        yield url


def _context(browser):
    return browser.new_context(viewport={"width": 1400, "height": 1000})


def _identifying(html: str) -> list[str]:
    low = html.lower()
    return [s for pair in MODELS.items() for s in pair if s.lower() in low]


def _metric(page, choice: str, value: str):
    return (page.locator('[data-testid="stMetric"]').filter(has_text=choice)
            .filter(has=page.locator('[data-testid="stMetricValue"]', has_text=re.compile(value))))


def test_blind_round_stays_anonymous_until_the_reveal(browser, vote_url):
    url = vote_url
    teacher_ctx, ctx1, ctx2 = _context(browser), _context(browser), _context(browser)
    try:
        teacher = teacher_ctx.new_page()
        teacher.goto(f"{url}/room", timeout=WAIT)
        teacher.get_by_role("heading", name="Salle de cours").wait_for(timeout=WAIT)
        box = teacher.get_by_label("Mot de passe formateur")
        if not box.is_visible():
            teacher.get_by_text("Mode formateur", exact=True).click()
        box.fill(PASSWORD)
        box.press("Enter")
        teacher.get_by_text("Commandes de la salle").wait_for(timeout=WAIT)
        teacher.locator('[data-testid="stSidebarNav"]').get_by_text("Vote à l'aveugle").click()
        teacher.get_by_role("heading", name="Vote à l'aveugle").wait_for(timeout=WAIT)
        teacher.get_by_text("Vue présentateur", exact=True).click()  # the projector's large type

        attendees = [ctx1.new_page(), ctx2.new_page()]
        for a in attendees:
            a.goto(f"{url}/vote", timeout=WAIT)
            a.get_by_text("Pas encore de tour de vote").wait_for(timeout=WAIT)

        # the instructor opens round 1 with the two embedded models (the pickers' defaults)
        form = teacher.locator('[data-testid="stForm"]')
        expect(form.get_by_role("combobox", name="Premier modèle")).to_have_value(
            re.compile("^SmolLM2 135M Instruct"), timeout=WAIT)
        expect(form.get_by_role("combobox", name="Second modèle")).to_have_value(re.compile("^Gemma 3 270M"), timeout=WAIT)
        form.get_by_label("Prompt").fill("Propose trois prénoms pour un chat roux.")
        form.get_by_label("Tokens max").fill("24")
        form.get_by_role("button", name="Ouvrir le tour 1").click()

        for a in attendees:
            a.get_by_role("button", name="A est meilleure").and_(a.locator(":enabled")).wait_for(timeout=WAIT)
            a.get_by_role("heading", name="Réponse B").wait_for(timeout=WAIT)
            leaked = _identifying(a.content())
            assert not leaked, leaked  # neither id nor label anywhere in the attendee's page

        attendees[0].get_by_role("button", name="A est meilleure").click()
        attendees[1].get_by_role("button", name="Égalité").click()
        for a in attendees:
            a.get_by_text("Vote enregistré").wait_for(timeout=WAIT)
            assert a.get_by_role("button", name="B est meilleure").is_disabled()  # one vote per round
            assert not _identifying(a.content())

        # the presenter's live tally follows within a couple of seconds, without a reload
        _metric(teacher, "A est meilleure", r"^1 \(50\s%\)$").wait_for(timeout=WAIT)
        _metric(teacher, "Égalité", r"^1 \(50\s%\)$").wait_for(timeout=WAIT)
        assert _metric(teacher, "B est meilleure", r"^0 \(0\s%\)$").count() == 1
        assert _metric(teacher, "Les deux sont mauvaises", r"^0 \(0\s%\)$").count() == 1
        assert not _identifying(teacher.locator('[data-testid="stMain"]').inner_html().split("Vote en direct")[-1])

        teacher.get_by_role("button", name="Révéler les modèles").click()
        teacher.get_by_text("2 votes comparatifs").wait_for(timeout=WAIT)  # the ranking counts the round
        for a in attendees:
            a.get_by_text("Écrite par").first.wait_for(timeout=WAIT)
            html = a.content()
            for model_id, label in MODELS.items():
                assert model_id in html and label in html
            _metric(a, "A est meilleure", r"^1 \(50\s%\)$").wait_for(timeout=WAIT)
    finally:
        for ctx in (teacher_ctx, ctx1, ctx2):
            ctx.close()
