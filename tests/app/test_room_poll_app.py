"""AppTest: an answer round on the Next-token page — the instructor opens it, an attendee's
session generates a short seeded answer with the real embedded model, the instructor's
tally lists it (two Streamlit sessions of one process, sharing the room)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playground.classroom import InstructorGate, reset_classroom

APP = Path(__file__).resolve().parents[2] / "app.py"
PASSWORD = "tableau-noir-3"


@pytest.fixture()
def instructor_room(monkeypatch, tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[instructor]\npassword = "{PASSWORD}"\n')
    monkeypatch.setenv("PLAYGROUND_SECRETS", str(secrets))
    monkeypatch.setenv("PLAYGROUND_ROOM_DB", str(tmp_path / "room.sqlite3"))
    reset_classroom()
    yield
    reset_classroom()


def open_next_token(instructor: bool) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=240)
    if instructor:
        at.session_state["_instructor"] = InstructorGate(PASSWORD).fingerprint()
    at.run()
    at.switch_page("pages/next_token.py").run()
    assert not at.exception, at.exception
    return at


def markdown_with(at: AppTest, marker: str) -> str:
    return next(m.value for m in at.markdown if marker in m.value)


def test_an_answer_round_from_the_instructor_to_an_attendee_and_back(instructor_room):
    teacher = open_next_token(instructor=True)
    teacher.session_state["nt_temperature"] = 1.5  # the live chart starts from these keys (as a preset sets them)
    teacher.run()
    teacher.radio(key="poll_kind").set_value("answer").run()
    teacher.number_input(key="poll_max_tokens").set_value(5).run()
    teacher.button(key="poll_open").click().run()
    assert not teacher.exception, teacher.exception
    tally = markdown_with(teacher, 'data-testid="poll-tally"')
    assert 'data-poll-n="0"' in tally

    elsewhere = AppTest.from_file(str(APP), default_timeout=240)  # an attendee on Compare
    elsewhere.run()
    assert any("ouvert un sondage" in t.value for t in elsewhere.toast)
    elsewhere.run()
    assert not any("ouvert un sondage" in t.value for t in elsewhere.toast)  # once per round

    attendee = open_next_token(instructor=False)
    assert any("T = 1,50" in c.value and "≤ 5 tokens" in c.value for c in attendee.caption)
    attendee.number_input(key="poll_seed").set_value(1234).run()
    attendee.button(key="poll_draw").click().run()
    assert not attendee.exception, attendee.exception
    mine = markdown_with(attendee, 'data-testid="poll-my-draws"')
    seed, value = re.search(r'data-poll-value="([^"]*)" data-poll-seed="(\d+)"', mine).group(2, 1)
    assert seed == "1234" and value.strip()
    attendee.button(key="poll_draw").click().run()  # the next press: seed + 1
    assert 'data-poll-seed="1235"' in markdown_with(attendee, 'data-testid="poll-my-draws"')

    teacher.run()
    tally = markdown_with(teacher, 'data-testid="poll-tally"')
    assert 'data-poll-n="2"' in tally
    assert f'data-poll-answer="{" ".join(value.split())}"' in tally  # the attendee's answer, grouped
    assert any(c.value == "2" for c in teacher.metric if c.label == "Réponses")
    teacher.button(key="poll_close").click().run()
    attendee.run()
    assert not any('data-testid="poll-my-draws"' in m.value for m in attendee.markdown)  # the box is gone


def test_a_token_round_from_the_published_demo_draws_the_models_seeded_token(instructor_room, registry):
    import numpy as np

    from playground.classroom import Preset, classroom
    from playground.explorer import choose, next_token_distribution
    from providers.sampling import SamplingParams

    prompt = "Le chat est sur le"
    classroom().publish(Preset(page="next-token", prompt=prompt, models=("embedded/gemma-3-270m",),
                               params={"temperature": 0.7, "top_k": 5}))
    teacher = open_next_token(instructor=True)
    teacher.radio(key="poll_source").set_value("preset").run()
    assert any("gemma-3-270m · T = 0,70 · top-k 5" in c.value for c in teacher.caption)  # said before opening
    teacher.button(key="poll_open").click().run()
    assert not teacher.exception, teacher.exception

    attendee = open_next_token(instructor=False)
    attendee.number_input(key="poll_seed").set_value(77).run()
    for _ in range(3):
        attendee.button(key="poll_draw").click().run()
    mine = markdown_with(attendee, 'data-testid="poll-my-draws"')
    got = [int(t) for t in re.findall(r'data-poll-token="(\d+)"', mine)]
    dist = next_token_distribution(registry, "embedded/gemma-3-270m", prompt, False)
    params = SamplingParams(temperature=0.7, top_k=5)
    assert got == [choose(dist, params, "sample", np.random.default_rng(seed)) for seed in (77, 78, 79)]

    teacher.run()
    tally = markdown_with(teacher, 'data-testid="poll-tally"')
    assert 'data-poll-n="3"' in tally
    counts = {int(t): int(n) for t, n in re.findall(r'data-poll-token="(\d+)" data-poll-count="(\d+)"', tally)}
    assert len(counts) == 5  # top-k 5: the five kept tokens, nothing else possible
    assert {t: n for t, n in counts.items() if n} == {t: got.count(t) for t in set(got)}
