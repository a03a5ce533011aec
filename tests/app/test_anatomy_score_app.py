"""AppTest: the Model anatomy and Score a text pages on the real embedded models."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import APP_TIMEOUT_S
from streamlit.testing.v1 import AppTest

from playground.numbers import NNBSP

APP = Path(__file__).resolve().parents[2] / "app.py"
SMOL = "embedded/smollm2-135m-instruct"
GEMMA = "embedded/gemma-3-270m"


def open_page(path: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def test_anatomy_compares_two_models_in_french():
    at = open_page("pages/anatomy.py")
    at.multiselect(key="anat_models").set_value([SMOL, GEMMA]).run()
    assert not at.exception, at.exception
    params = [m.value for m in at.metric if m.label == "Paramètres"]
    assert params == [f"134,5{NNBSP}M", f"268,1{NNBSP}M"]
    rams = [m.value for m in at.metric if m.label == "Mémoire estimée"]
    assert len(rams) == 2 and all(r.endswith("Mo") and "," in r for r in rams)
    formulas = [c.value for c in at.code if "cache KV =" in c.value]
    assert len(formulas) == 2 and "q8_0" in formulas[0]
    # the context slider changes the cache figure
    before = formulas[0]
    at.slider(key="anat_ctx").set_value(4096).run()
    after = next(c.value for c in at.code if "cache KV =" in c.value)
    assert after != before and f"4{NNBSP}096" in after
    assert len(at.table) >= 2  # one histogram table per model


def test_score_page_in_english():
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/score.py").run()
    at.selectbox(key="score_model").set_value(SMOL).run()
    at.text_area(key="score_text").input("The cat sleeps on the quantum sofa.").run()
    at.button(key="score_run").click().run()
    assert not at.exception, at.exception
    html = next(m.value for m in at.markdown if "pg-score" in m.value)
    assert len(re.findall(r'class="pg-tok pg-score-tok"', html)) >= 7
    assert re.search(r'title="[^"]+%', html)
    ppl = next(m.value for m in at.metric if m.label == "Perplexity")
    assert float(ppl) > 1
