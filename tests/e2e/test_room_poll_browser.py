"""Browser: the room samples together. The instructor opens a poll round on the Next-token page;
three attendees (their own browser contexts) draw with their own seeds; the presenter's tally
counts exactly the tokens the attendees saw; closing the round takes the box away."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import streamlit_server

pytestmark = pytest.mark.browser

PASSWORD = "sondage-vert-7"
WAIT = 240_000  # a room is many sessions on one busy server


@pytest.fixture(scope="module")
def room_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("room_poll")
    secrets = tmp / "secrets.toml"
    secrets.write_text(f'[instructor]\npassword = "{PASSWORD}"\n')
    with streamlit_server(tmp, {"PLAYGROUND_SECRETS": str(secrets)}) as url:
        yield url


def _context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(WAIT)  # clicks and page loads too: four sessions on a busy machine
    return ctx


def _next_token(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("link", name="Prochain token").click()
    page.get_by_text("Comment le modèle choisit le prochain token").wait_for(timeout=WAIT)


def _my_tokens(page) -> list[int]:
    return page.locator('[data-testid="poll-my-draws"] li').evaluate_all(
        "els => els.map(e => parseInt(e.dataset.pollToken, 10))")


def _draw(page, times: int) -> None:
    button = page.get_by_role("button", name="Tirer", exact=True)
    for k in range(times):
        button.click()
        page.wait_for_function(  # this press was recorded and shown before the next one
            "n => document.querySelectorAll('[data-testid=poll-my-draws] li').length === n", arg=k + 1,
            timeout=WAIT)


def test_attendees_draw_and_the_presenter_counts_exactly_their_draws(browser, room_url, tmp_path):
    url = room_url
    teacher_ctx = _context(browser)
    attendee_ctxs = [_context(browser) for _ in range(3)]
    try:
        early = attendee_ctxs[0].new_page()  # already on the page when the round opens
        _next_token(early, url)
        assert early.get_by_role("button", name="Tirer", exact=True).count() == 0

        teacher = teacher_ctx.new_page()
        teacher.goto(f"{url}/room")
        teacher.get_by_role("heading", name="Salle de cours").wait_for(timeout=WAIT)
        box = teacher.get_by_label("Mot de passe formateur")
        if not box.is_visible():
            teacher.get_by_text("Mode formateur", exact=True).click()
        box.fill(PASSWORD)
        box.press("Enter")
        teacher.get_by_text("Commandes de la salle").wait_for(timeout=WAIT)
        teacher.get_by_role("link", name="Prochain token").click()
        teacher.get_by_text("Comment le modèle choisit le prochain token").wait_for(timeout=WAIT)
        teacher.get_by_text("Sondage de la salle", exact=True).first.click()  # the expander
        teacher.get_by_role("button", name="Ouvrir un tour").click()
        tally = teacher.locator('[data-testid="poll-tally"]')
        tally.wait_for(timeout=WAIT)
        assert tally.get_attribute("data-poll-n") == "0"
        # the model's exact distribution is there before anyone draws
        assert tally.locator("tr[data-poll-token]").count() >= 5

        # the early attendee gets the round without reloading; two more arrive
        early.get_by_role("button", name="Tirer", exact=True).wait_for(timeout=WAIT)
        pages = [early]
        for ctx in attendee_ctxs[1:]:
            p = ctx.new_page()
            _next_token(p, url)
            p.get_by_role("button", name="Tirer", exact=True).wait_for(timeout=WAIT)
            pages.append(p)
        for p, times in zip(pages, (3, 2, 4)):
            _draw(p, times)

        seen = Counter(t for p in pages for t in _my_tokens(p))
        total = sum(seen.values())
        assert total == 9
        # each attendee's own seeds: seed, seed + 1, … shown beside what they got
        for p in pages:
            seeds = p.locator('[data-testid="poll-my-draws"] li').evaluate_all(
                "els => els.map(e => parseInt(e.dataset.pollSeed, 10))")
            assert seeds == list(range(seeds[0], seeds[0] + len(seeds)))

        # the presenter's live tally (refreshed every 1.5 s) counts exactly those draws
        teacher.wait_for_function(
            "n => { const t = document.querySelector('[data-testid=poll-tally]'); return t && t.dataset.pollN === n; }",
            arg=str(total), timeout=WAIT)
        rows = tally.locator("tr[data-poll-count]").evaluate_all(
            "els => els.map(e => [e.dataset.pollToken ?? null, parseInt(e.dataset.pollCount, 10)])")
        shown = {int(tok): n for tok, n in rows if tok is not None}
        other = sum(n for tok, n in rows if tok is None)
        assert {t: n for t, n in shown.items() if n} == {t: n for t, n in seen.items() if t in shown}
        assert other == sum(n for t, n in seen.items() if t not in shown)
        # every attendee's count reaches the room's count line
        early.get_by_text(re.compile(rf"{total} tirage\(s\) dans la salle, par 3 participant\(s\)")).wait_for(timeout=WAIT)
        # the grouped bars are drawn (exact probability and the room's frequency)
        chart = teacher.locator('[data-testid="stPlotlyChart"]').first
        chart.get_by_text("Fréquence dans la salle").wait_for(timeout=WAIT)
        teacher.screenshot(path=str(tmp_path / "presenter.png"), full_page=True)

        # closing the round: attendees' box goes away within a few seconds, the results stay
        teacher.get_by_role("button", name="Fermer le tour").click()
        teacher.get_by_text(re.compile("Tour fermé")).first.wait_for(timeout=WAIT)
        for p in pages:
            p.get_by_role("button", name="Tirer", exact=True).wait_for(state="detached", timeout=WAIT)
        assert teacher.locator('[data-testid="poll-tally"]').get_attribute("data-poll-n") == str(total)
        # the closed round's tally exported as CSV: the same counts
        with teacher.expect_download(timeout=WAIT) as download:
            teacher.get_by_role("button", name="Exporter (CSV)").click()
        lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
        assert lines[0] == "value,token,count,frequency,probability"
        exported = {int(row[1]): int(row[2]) for row in csv.reader(lines[1:]) if row[1]}
        assert {t: n for t, n in exported.items() if n} == {t: n for t, n in seen.items() if t in exported}
        assert sum(int(row[2]) for row in csv.reader(lines[1:])) == total
    finally:
        teacher_ctx.close()
        for ctx in attendee_ctxs:
            ctx.close()
