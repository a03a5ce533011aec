"""A number typed outside a box's limits is brought within them in the box itself, with a note:
the box shows the value that is sent (Streamlit's own limits left 0 or 999999999 displayed while
the previous value was used)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.compare_state import STATE

APP = Path(__file__).resolve().parents[2] / "app.py"
BOX = "cmp_col0_max_tokens"


def _open_compare() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=240)
    at.run()
    assert not at.exception, at.exception
    return at


def notes(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_too_large_is_brought_to_the_context_and_said():
    at = _open_compare()
    at.selectbox(key="cmp_model_0").set_value("embedded/smollm2-135m-instruct").run()
    at.number_input(key=BOX).set_value(999_999_999).run()
    assert not at.exception, at.exception
    assert at.number_input(key=BOX).value == 2048  # SmolLM2's context here
    assert "999\u202f999\u202f999 est hors des limites (1 à 2\u202f048) ; ramené à 2\u202f048" in notes(at)


def test_zero_becomes_one_and_one_token_is_what_is_sent():
    at = _open_compare()
    at.selectbox(key="cmp_model_0").set_value("embedded/smollm2-135m-instruct")
    at.selectbox(key="cmp_model_1").set_value("embedded/smollm2-135m-instruct")
    at.text_area(key="cmp_prompt").set_value("Bonjour")
    at.number_input(key="cmp_col1_max_tokens").set_value(1)
    at.number_input(key=BOX).set_value(0).run()
    assert at.number_input(key=BOX).value == 1 and "ramené à 1" in notes(at)
    at.button(key="cmp_run").click().run()
    assert not at.exception, at.exception
    run = at.session_state[STATE]
    assert run["requests"][0].max_tokens == 1
    assert run["results"][0] is not None and run["results"][0].completion_tokens <= 1
