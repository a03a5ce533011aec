"""Browser: the instructor's room with several browser contexts on one server — a wrong password
is refused (and slowed down), the instructor publishes a course demo and an attendee already on
the page picks it up without reloading, locks hold the attendee's parameters, hidden pages
leave the attendee's navigation."""

import re

import pytest

from tests.conftest import streamlit_server

pytestmark = pytest.mark.browser

PASSWORD = "craie-bleue-42"
WAIT = 240_000  # generous: CI machines are busy, and a room is many sessions on one server


@pytest.fixture(scope="module")
def room_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("instructor")
    secrets = tmp / "secrets.toml"
    secrets.write_text(f'[instructor]\npassword = "{PASSWORD}"\n')
    with streamlit_server(tmp, {"PLAYGROUND_SECRETS": str(secrets)}) as url:
        yield url, tmp


def _context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(WAIT)  # every click waits for its element as long as the rest
    return ctx


def _unlock(page, url: str, password: str) -> None:
    page.goto(f"{url}/room")
    page.get_by_role("heading", name="Salle de cours").wait_for(timeout=WAIT)
    box = page.get_by_label("Mot de passe formateur")
    if not box.is_visible():
        page.get_by_text("Mode formateur", exact=True).click()
    box.fill(password)
    box.press("Enter")


def test_wrong_password_is_refused_then_slowed_down(browser, room_url):
    url, tmp = room_url
    ctx = _context(browser)
    page = ctx.new_page()
    try:
        _unlock(page, url, "pas-le-bon")
        page.get_by_text("Mot de passe incorrect.").wait_for(timeout=WAIT)
        box = page.get_by_label("Mot de passe formateur")
        for _ in range(2):
            page.wait_for_function(  # the previous try was checked: the box was emptied
                "() => [...document.querySelectorAll('input[type=password]')].every(i => i.value === '')",
                timeout=WAIT)
            box.fill("encore-faux")
            box.press("Enter")
        page.get_by_text(re.compile(r"Trop d'essais\. Réessayez dans \d+")).wait_for(timeout=WAIT)
        assert page.get_by_text("Commandes de la salle").count() == 0  # no controls for a guesser
        html = page.content()
        assert PASSWORD not in html and "encore-faux" not in html  # the typed text does not stay in the page
    finally:
        ctx.close()
    for log in tmp.glob("streamlit-*.log"):
        text = log.read_text()
        assert "pas-le-bon" not in text and PASSWORD not in text


def test_instructor_pushes_a_demo_the_attendee_follows_it_live(browser, room_url):
    url, _ = room_url
    teacher_ctx, attendee_ctx = _context(browser), _context(browser)
    try:
        attendee = attendee_ctx.new_page()
        attendee.goto(url)
        attendee.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=WAIT)
        prompt = attendee.get_by_label("Prompt", exact=True)
        prompt.wait_for(timeout=WAIT)
        prompt.fill("Ma propre question")  # the attendee's own copy, about to be replaced
        prompt.press("Control+Enter")
        before = "Ma propre question"

        teacher = teacher_ctx.new_page()
        _unlock(teacher, url, PASSWORD)
        teacher.get_by_text("Commandes de la salle").wait_for(timeout=WAIT)
        teacher.get_by_label("Démo du cours").click()  # the selectbox
        teacher.get_by_role("option", name="Le placard : modèle de base ou modèle de chat").click()
        teacher.get_by_role("button", name="Publier cette démo").click()
        teacher.get_by_text("Publié actuellement").wait_for(timeout=WAIT)

        # the attendee never reloads: the page follows within a few seconds
        cupboard = "J'ai dans mon placard des tomates pelées, du riz et du poulet. Qu'est-ce que je peux cuisiner ?"
        attendee.wait_for_function(
            "text => [...document.querySelectorAll('textarea')].some(t => t.value === text)", arg=cupboard,
            timeout=WAIT)
        assert before != cupboard
        assert attendee.get_by_label("Nombre de colonnes").input_value() == "2"
        attendee.wait_for_function(  # the preset's models, in its order
            "labels => JSON.stringify([...document.querySelectorAll('input[aria-label=\"Modèle\"]')].map(i => i.value))"
            " === JSON.stringify(labels)",
            arg=["Gemma 3 270M base (complétion, embarqué)", "SmolLM2 135M Instruct (chat, embarqué)"], timeout=WAIT)
        # unlocked: the attendee may edit their copy
        assert attendee.get_by_label("Nombre de colonnes").is_enabled()

        # lock: the attendee's models and parameters become read-only
        teacher.get_by_text("Verrouiller modèles et paramètres").click()
        attendee.wait_for_function(
            "() => { const i = [...document.querySelectorAll('input')].find(x => x.getAttribute('aria-label') === "
            "'Nombre de colonnes'); return i && i.disabled; }", timeout=WAIT)
        attendee.get_by_text("Paramètres communs", exact=True).first.click()
        slider = attendee.get_by_role("slider").first
        slider.wait_for(timeout=WAIT)
        assert slider.get_attribute("aria-disabled") == "true" or slider.is_disabled()

        # hide pages: the attendee's navigation loses them, the instructor's keeps them
        teacher.get_by_text("Verrouiller modèles et paramètres").click()  # unlock again
        teacher.get_by_label("Pages visibles par les participants").wait_for(timeout=WAIT)
        form = teacher.locator('[data-testid="stForm"]').filter(has_text="Pages visibles par les participants")
        # keep only Compare: remove every other page's chip
        others = form.locator('button[aria-label^="Remove "]:not([aria-label="Remove Comparer"]):visible')
        others.first.wait_for(timeout=WAIT)
        while others.count():
            others.first.click()
        form.get_by_role("button", name="Appliquer").click()
        teacher.get_by_text("Pages mises à jour pour la salle.").wait_for(timeout=WAIT)
        nav = attendee.locator('[data-testid="stSidebarNav"]')
        nav.get_by_text("Prochain token").wait_for(state="detached", timeout=WAIT)
        assert nav.get_by_text("Comparer").count() >= 1 and nav.get_by_text("Salle de cours").count() == 1
        assert teacher.locator('[data-testid="stSidebarNav"]').get_by_text("Prochain token").count() == 1
    finally:
        teacher_ctx.close()
        attendee_ctx.close()


def test_presenter_view_fits_the_projector(browser, room_url):
    """1280×720: the presenter view hides the backends' status and shows the Next-token bars and
    pie above the fold, in large type; an attendee's view stays as it is."""
    url, _ = room_url
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    ctx.set_default_timeout(WAIT)
    try:
        teacher = ctx.new_page()
        _unlock(teacher, url, PASSWORD)
        teacher.get_by_text("Commandes de la salle").wait_for()
        assert teacher.locator(".pg-backend").count() >= 1  # the sidebar's backend status, before
        teacher.get_by_text("Vue présentateur").click()
        teacher.locator(".pg-backend").first.wait_for(state="detached")
        teacher.locator('[data-testid="stSidebarNav"]').get_by_text("Prochain token").click()
        frame_el = teacher.locator('iframe[title*="live_explorer"]')
        frame_el.wait_for()
        frame = frame_el.element_handle().content_frame()
        frame.locator("body.large").wait_for(state="attached")  # the chart's large type
        frame.locator("#bars .bartext").first.wait_for()
        frame.locator("#pie .slice").first.wait_for()
        for chart in ("#bars", "#pie"):
            box = frame.locator(chart).bounding_box()  # relative to the page's viewport, frames included
            assert box["y"] + box["height"] <= 720, f"{chart} is below the fold"
        font = teacher.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert font >= 20
    finally:
        ctx.close()
