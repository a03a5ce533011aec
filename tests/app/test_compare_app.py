"""AppTest: the Compare page runs two embedded columns and shows two outputs with metrics."""

from pathlib import Path

from conftest import APP_TIMEOUT_S
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


def _open_compare() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.run()
    assert not at.exception, at.exception
    return at


def test_app_starts_on_compare_in_french():
    at = _open_compare()
    assert at.title[0].value == "Comparer des modèles"
    assert at.button(key="cmp_run").label == "Lancer"
    assert at.button(key="cmp_run").proto.icon == ":material/play_arrow:"  # no emoji: boxes without an emoji font


def test_language_switch_changes_labels():
    at = _open_compare()
    at.sidebar.selectbox(key="lang_select").set_value("en").run()
    assert at.title[0].value == "Compare models"
    assert at.button(key="cmp_run").label == "Run"


def test_two_embedded_columns_produce_two_outputs_and_metrics():
    at = _open_compare()
    at.selectbox(key="cmp_model_0").set_value("embedded/smollm2-135m-instruct")
    at.selectbox(key="cmp_model_1").set_value("embedded/gemma-3-270m")
    at.text_area(key="cmp_prompt").set_value("La souris de l'ordinateur est un")
    at.number_input(key="cmp_col0_max_tokens").set_value(12)
    at.number_input(key="cmp_col1_max_tokens").set_value(12)
    at.button(key="cmp_run").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    html_blocks = [m.value for m in at.markdown if "pg-metrics" in m.value]
    assert len(html_blocks) == 2
    for block in html_blocks:
        assert "Tokens générés" in block and "tok/s" in block
    frame = at.dataframe[0].value
    assert list(frame["Modèle"]) == ["embedded/smollm2-135m-instruct", "embedded/gemma-3-270m"]
    assert (frame["Tokens générés"].astype(int) > 0).all()  # "12": numbers are written in French
    assert (frame["tok/s"].str.replace(",", ".").str.replace("\u202f", "").astype(float) > 0).all()


def test_empty_prompt_shows_a_clear_error():
    at = _open_compare()
    at.text_area(key="cmp_prompt").set_value("   ")
    at.button(key="cmp_run").click().run()
    assert not at.exception
    assert any("vide" in e.value for e in at.error)
