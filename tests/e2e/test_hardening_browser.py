"""Real browser: a prompt file holding a lone surrogate gives one error line on the Benchmark page
(no crash), and a Max tokens box shows the value that is sent after 0 or 999999999 is typed."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import UI_TIMEOUT_MS, start_streamlit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hardening")
    proc, url, log = start_streamlit(tmp, {"PLAYGROUND_HISTORY_DB": str(tmp / "history.sqlite3")})
    yield url, tmp
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _open(page, url: str, title: str) -> None:
    page.goto(url)
    link = page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True)
    link.wait_for(timeout=UI_TIMEOUT_MS)
    link.click()


def test_a_prompt_file_with_a_lone_surrogate_is_one_error_line(server, page):
    url, tmp = server
    bad = tmp / "prompts.jsonl"
    bad.write_text('{"prompt": "Bonjour"}\n{"prompt": "\\ud800"}\n', encoding="utf-8")
    _open(page, url, "Benchmark")
    page.get_by_text("Fichier (CSV, JSONL, TXT)").click()
    page.locator('input[type="file"]').set_input_files(str(bad))
    page.get_by_text("« prompts.jsonl » ligne 2 : le texte contient un demi-caractère", exact=False) \
        .wait_for(timeout=UI_TIMEOUT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.get_by_role("button", name=re.compile(r"Lancer le benchmark$")).wait_for(timeout=UI_TIMEOUT_MS)  # the page is still there


@pytest.mark.parametrize("typed, shown", [("0", "1"), ("999999999", "2048")])
def test_the_max_tokens_box_shows_what_is_sent(server, page, typed, shown):
    url, _ = server
    page.goto(url)
    page.get_by_text("Paramètres", exact=True).first.click()  # column 1's parameters
    box = page.locator('input[aria-label="Tokens max"] >> visible=true').first  # column 1's own box
    box.wait_for(timeout=UI_TIMEOUT_MS)
    box.fill(typed)
    box.press("Enter")
    page.get_by_text("est hors des limites", exact=False).first.wait_for(timeout=UI_TIMEOUT_MS)
    assert box.input_value() == shown
