"""AppTest: every course demo, picked from its page's "Course demos" menu in French and in
English, fills that page's widgets with its text, models and parameters; Next token opens on
the base model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import APP_TIMEOUT_S
from streamlit.testing.v1 import AppTest

from playground.course_presets import BASE, COURSE_PRESETS, course_preset

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGE_FILES = {"compare": "pages/compare.py", "next-token": "pages/next_token.py", "tokenizer": "pages/tokenizer.py"}


def open_page(path: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def live_settings(at: AppTest) -> dict:
    (comp,) = at.get("component_instance")
    return json.loads(comp.proto.json_args)["settings"]


def pick(at: AppTest, key: str) -> None:
    at.button(key=f"course_demo_{key}").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("key", [c.key for c in COURSE_PRESETS])
def test_picking_a_course_demo_fills_its_page(key, lang):
    p = course_preset(key, lang)
    at = open_page(PAGE_FILES[p.page], lang)
    pick(at, key)
    loaded = {"fr": "Démo chargée", "en": "Demo loaded"}[lang]
    assert any(c.value.startswith(loaded) for c in at.caption)
    if p.page == "compare":
        assert at.text_area(key="cmp_prompt").value == p.prompt
        assert at.number_input(key="cmp_ncols").value == len(p.models)
        assert [at.selectbox(key=f"cmp_model_{i}").value for i in range(len(p.models))] == list(p.models)
        assert at.toggle(key="cmp_same").value is True
        assert at.slider(key="cmp_shared_temperature").value == pytest.approx(p.params["temperature"])
        assert at.number_input(key="cmp_shared_max_tokens").value == p.params["max_tokens"]
        assert at.text_input(key="cmp_shared_seed").value == str(p.params["seed"])
    elif p.page == "next-token":
        assert at.text_area(key="nt_prompt").value == p.prompt
        assert at.selectbox(key="nt_model").value == p.models[0] == BASE
        assert at.session_state["nt_mode"] == "raw"
        s = live_settings(at)
        assert {k: s[k] for k in p.params} == p.params
    else:
        assert at.text_area(key="tok_text").value == p.prompt
        assert at.multiselect(key="tok_chosen").value == list(p.models)
        assert len([m for m in at.metric if m.label == "Tokens"]) == len(p.models)


@pytest.mark.parametrize("lang,prompt", [("fr", "La souris de l'ordinateur est un"), ("en", "The computer mouse is a")])
def test_next_token_opens_on_the_base_model_in_raw_mode(lang, prompt):
    at = open_page("pages/next_token.py", lang)
    assert at.selectbox(key="nt_model").value == BASE
    assert at.session_state["nt_mode"] == "raw"
    assert at.text_area(key="nt_prompt").value == prompt


def test_a_demo_overrides_the_settings_the_live_chart_sent_until_it_sends_new_ones():
    at = open_page("pages/next_token.py", "fr")
    moved = {"temperature": 0.3, "top_k": 3, "top_p": 0.9, "min_p": 0.0, "show": 10}
    at.session_state["nt_live"] = {"settings": moved}  # what the browser sent after a slider move
    at.run()
    assert live_settings(at) == moved
    at.text_area(key="nt_prompt").set_value("Il était une fois").run()
    pick(at, "gratin")  # the browser still sends its old value with every rerun: it must not win
    assert live_settings(at)["temperature"] == 1.0 and live_settings(at)["top_k"] == 0
    at.run()
    assert live_settings(at)["temperature"] == 1.0
    again = dict(moved, temperature=1.4)
    at.session_state["nt_live"] = {"settings": again}  # a new move: the chart leads again
    at.run()
    assert live_settings(at) == again


def test_demos_are_greyed_when_the_room_locks_parameters(monkeypatch):
    import ui.course_picker

    monkeypatch.setattr(ui.course_picker, "params_locked", lambda: True)
    at = open_page("pages/compare.py", "fr")
    demos = [b for b in at.button if (b.key or "").startswith("course_demo_")]
    assert len(demos) == len([c for c in COURSE_PRESETS if c.page == "compare"])
    assert all(b.disabled for b in demos)


@pytest.fixture()
def instructor_room(monkeypatch, tmp_path):
    from playground.classroom import reset_classroom

    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[instructor]\npassword = "craie-verte-5"\n')
    monkeypatch.setenv("PLAYGROUND_SECRETS", str(secrets))
    monkeypatch.setenv("PLAYGROUND_ROOM_DB", str(tmp_path / "room.sqlite3"))
    reset_classroom()
    yield
    reset_classroom()


def test_the_instructor_publishes_the_tokenizers_demo_and_an_attendee_follows(instructor_room):
    from playground.classroom import classroom

    published = classroom().publish(course_preset("fr_en", "en", title="FR vs EN"))
    attendee = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)  # an attendee arrives
    attendee.session_state["lang"] = "en"
    attendee.run()  # the shell applies the room's preset and opens its page
    assert not attendee.exception, attendee.exception
    assert any("FR vs EN" in t.value for t in attendee.toast)
    assert attendee.title[0].value == "Tokenizers: how text becomes numbers"
    assert attendee.session_state["_room_preset"] == published.id  # applied once
    p = course_preset("fr_en", "en")
    assert attendee.text_area(key="tok_text").value == p.prompt
    assert attendee.multiselect(key="tok_chosen").value == list(p.models)


def test_a_demo_tokenizer_this_server_does_not_offer_is_left_out():
    at = open_page("pages/tokenizer.py", "fr")
    at.session_state["tok_chosen"] = ["embedded/absent-model", "tiktoken/o200k_base"]  # as a demo would set it
    at.run()
    assert not at.exception, at.exception
    assert at.multiselect(key="tok_chosen").value == ["tiktoken/o200k_base"]
