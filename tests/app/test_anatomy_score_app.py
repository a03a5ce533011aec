"""AppTest: the Model anatomy and Score a text pages on the real embedded models."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from conftest import APP_TIMEOUT_S
from remote_shapes import OLLAMA_TAGS, ollama_show
from streamlit.testing.v1 import AppTest

from playground.anatomy import model_anatomy, ram_estimate
from playground.numbers import NNBSP, size

APP = Path(__file__).resolve().parents[2] / "app.py"
SMOL = "embedded/smollm2-135m-instruct"
GEMMA = "embedded/gemma-3-270m"


def open_page(path: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def test_anatomy_compares_two_models_in_french(registry):
    at = open_page("pages/anatomy.py")
    at.multiselect(key="anat_models").set_value([SMOL, GEMMA]).run()
    assert not at.exception, at.exception
    params = [m.value for m in at.metric if m.label == "Paramètres"]
    assert params == [f"134,5{NNBSP}M", f"268,1{NNBSP}M"]
    rams = [m.value for m in at.metric if m.label == "Mémoire estimée"]
    # our engine's defaults: 2,048 tokens, q8_0 cache, max_active sequences
    n_seq = registry.resolve(SMOL)[0].config.max_active
    assert rams == [size(ram_estimate(model_anatomy(registry, m), 2048, "q8_0", n_seq).total, "fr") for m in (SMOL, GEMMA)]
    assert all(r.endswith("\u00a0Mo") for r in rams)
    formulas = [c.value for c in at.code if "cache KV =" in c.value]
    assert len(formulas) == 2 and "q8_0" in formulas[0]
    # the context slider changes the cache figure
    before = formulas[0]
    at.slider(key="anat_ctx").set_value(4096).run()
    after = next(c.value for c in at.code if "cache KV =" in c.value)
    assert after != before and f"4{NNBSP}096" in after
    assert len(at.table) >= 3  # the side-by-side table, then one histogram table per model
    side = at.table[0].value
    assert list(side.columns) == [SMOL, GEMMA]
    bits = side.loc["Bits par paramètre"].tolist()  # Q4_1 vs a Q4_K_M mix (with its F32 and Q6_K parts)
    assert all("," in b for b in bits) and bits[0] != bits[1]


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


@pytest.fixture()
def ollama(httpserver, tmp_path, monkeypatch):
    show = ollama_show(family="qwen2", ctx=32768)
    show["model_info"].update({"qwen2.block_count": 28, "qwen2.attention.head_count": 12,
                               "qwen2.attention.head_count_kv": 2})
    httpserver.expect_request("/api/tags").respond_with_json(OLLAMA_TAGS)
    httpserver.expect_request("/api/version").respond_with_json({"version": "0.13.0"})
    httpserver.expect_request("/api/show").respond_with_json(show)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[ollama]\nhost = "{httpserver.url_for("/").rstrip("/")}"\n', encoding="utf-8")
    monkeypatch.setenv("PLAYGROUND_SECRETS", str(secrets))
    monkeypatch.delenv("OLLAMA_HOST", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def test_anatomy_of_an_ollama_model_beside_an_embedded_one(ollama):
    at = open_page("pages/anatomy.py")
    at.multiselect(key="anat_models").set_value([SMOL, "ollama/qwen2.5:1.5b"]).run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric if m.label == "Paramètres"] == [f"134,5{NNBSP}M", f"1,5{NNBSP}Md"]
    assert [m.value for m in at.metric if m.label == "Quantification"] == ["Q4_1", "Q4_K_M"]
    assert [m.value for m in at.metric if m.label == "Taille du fichier"] == ["98,4\u00a0Mo", "986\u00a0Mo"]
    formulas = [c.value for c in at.code if "cache KV =" in c.value]
    assert "28 × 2\u202f048 × 32 × 2 × (128 + 128)" in formulas[1]  # 1536 / 12 heads = 128 dims
    assert any("Ollama ne donne pas la liste des tenseurs" in c.value for c in at.caption)
    assert any("<|im_start|>" in c.value for c in at.code)  # the chat template, as code


def test_score_says_plainly_when_a_backend_cannot(ollama):
    at = open_page("pages/score.py")
    at.selectbox(key="score_model").set_value("ollama/qwen2.5:1.5b").run()
    at.button(key="score_run").click().run()
    assert not at.exception, at.exception
    assert any("ne peut pas noter un texte donné" in e.value for e in at.error)
