"""Browser: a conversation in Compare. Run two embedded columns (a chat model and a base model),
send a follow-up, see two turns in each column, find it in History as one conversation, reopen it
in Compare with every turn of every column, then start a new conversation."""

from __future__ import annotations

import re
import subprocess
import time

import pytest

from tests.conftest import UI_TIMEOUT_MS, start_streamlit

pytestmark = pytest.mark.browser

SMOL = "embedded/smollm2-135m-instruct"
GEMMA = "embedded/gemma-3-270m"
FIRST = "Le gratin dauphinois est un plat"
FOLLOW = "Et la tartiflette ?"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("conv")
    db = tmp / "history.sqlite3"
    proc, url, _ = start_streamlit(tmp, {"PLAYGROUND_HISTORY_DB": str(db)})
    yield url, db, tmp
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _stored_conversation(db, turns: int, timeout_s: float = 240.0):
    """Wait (generously: a busy 2-core machine) until History holds the conversation with `turns` turns, done."""
    from playground.store import HistoryStore

    deadline = time.monotonic() + timeout_s
    while True:
        rows = HistoryStore(db).list_runs(kind="compare")
        if rows and rows[0].status == "done" and rows[0].summary.get("turns") == turns:
            return rows
        if time.monotonic() > deadline:
            raise AssertionError(f"no finished {turns}-turn conversation in history: {rows}")
        time.sleep(0.5)


def _turn_labels(page, n: int) -> list[str]:
    page.wait_for_function("n => document.querySelectorAll('.pg-turn').length === n", arg=n, timeout=UI_TIMEOUT_MS)
    return [t.strip() for t in page.locator(".pg-turn").all_inner_texts()]


def test_follow_up_two_turns_per_column_then_reopen_from_history(server, page):
    url, db, tmp = server
    page.goto(url)
    page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=UI_TIMEOUT_MS)
    selects = page.locator('[data-testid="stSelectbox"]').filter(has_text="Modèle")
    selects.nth(1).wait_for(timeout=UI_TIMEOUT_MS)
    for i, label in enumerate(["SmolLM2 135M Instruct (chat, embarqué)", "Gemma 3 270M base (complétion, embarqué)"]):
        selects.nth(i).click(timeout=UI_TIMEOUT_MS)
        page.get_by_role("option", name=label, exact=True).click(timeout=UI_TIMEOUT_MS)
    for i in range(2):  # short answers: the point is the turns, not the text
        page.get_by_text("Paramètres", exact=True).nth(i).click(timeout=UI_TIMEOUT_MS)  # reruns on a busy machine
        box = page.get_by_label("Tokens max").nth(i)
        box.wait_for(timeout=UI_TIMEOUT_MS)
        box.fill("8")
        box.press("Enter")
        page.wait_for_function("i => document.querySelectorAll('input[aria-label=\"Tokens max\"]')[i]?.value === '8'",
                               arg=i, timeout=UI_TIMEOUT_MS)
    prompt = page.get_by_label("Prompt", exact=True)
    prompt.fill(FIRST)
    prompt.press("Control+Enter")
    page.get_by_role("button", name=re.compile(r"Lancer$")).click(timeout=UI_TIMEOUT_MS)
    _stored_conversation(db, 1)

    follow = page.get_by_label("Message de suivi")
    follow.wait_for(timeout=UI_TIMEOUT_MS)
    follow.fill(FOLLOW, timeout=UI_TIMEOUT_MS)
    follow.press("Control+Enter")
    page.get_by_role("button", name=re.compile(r"Envoyer la suite$")).click(timeout=UI_TIMEOUT_MS)
    [row] = _stored_conversation(db, 2)  # one history row for the whole conversation
    labels = _turn_labels(page, 4)
    assert labels.count(f"Tour 1 · vous : {FIRST}") == 2 and labels.count(f"Tour 2 · vous : {FOLLOW}") == 2
    page.get_by_label("Message de suivi").wait_for(timeout=UI_TIMEOUT_MS)  # ready for a third turn
    page.screenshot(path=str(tmp / "conversation.png"), full_page=True)

    from playground.conversation import record_turns
    from playground.store import HistoryStore

    turns = record_turns(HistoryStore(db).get(row.id).data)
    answers = [[r.text for r in t.results] for t in turns]
    assert all(a for t in answers for a in t), answers  # every turn of every column answered
    body = page.locator("body").inner_text()
    for text in (a for t in answers for a in t):
        assert text.strip()[:20] in body  # both turns' answers are on screen, in their columns
    # the chat column received its own first answer; the base column its own continuation
    assert turns[1].requests[0].messages[1].content == answers[0][0]
    assert turns[1].requests[1].prompt == f"{FIRST}{answers[0][1]}\n\n{FOLLOW}"

    page.locator('[data-testid="stSidebarNav"]').get_by_text("Historique", exact=True).click(timeout=UI_TIMEOUT_MS)
    page.get_by_text("2 tours", exact=True).wait_for(timeout=UI_TIMEOUT_MS)
    page.get_by_role("button", name=re.compile(r"Rouvrir dans Comparer$")).click(timeout=UI_TIMEOUT_MS)
    page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=UI_TIMEOUT_MS)
    page.wait_for_function("t => document.querySelector('textarea[aria-label=\"Prompt\"]')?.value === t", arg=FIRST,
                           timeout=UI_TIMEOUT_MS)
    labels = _turn_labels(page, 4)  # every turn of every column is back
    assert labels.count(f"Tour 1 · vous : {FIRST}") == 2 and labels.count(f"Tour 2 · vous : {FOLLOW}") == 2
    page.get_by_label("Message de suivi").wait_for(timeout=UI_TIMEOUT_MS)  # and it can be continued
    page.screenshot(path=str(tmp / "reopened-conversation.png"), full_page=True)

    page.get_by_role("button", name=re.compile(r"Nouvelle conversation$")).click(timeout=UI_TIMEOUT_MS)
    page.wait_for_function("() => document.querySelectorAll('.pg-turn').length === 0", timeout=UI_TIMEOUT_MS)
    page.get_by_label("Message de suivi").wait_for(state="detached", timeout=UI_TIMEOUT_MS)
