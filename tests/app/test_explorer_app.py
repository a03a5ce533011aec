"""AppTest: the next-token page (reshaping without model calls, step-through), the sampling lab,
the tokenizer view, and the heatmap in the Compare columns."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import APP_TIMEOUT_S
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
SMOL = "embedded/smollm2-135m-instruct"
GEMMA = "embedded/gemma-3-270m"


def open_page(path: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def trail_steps(at: AppTest) -> list[str]:
    block = next(m.value for m in at.markdown if "pg-trail" in m.value)
    return re.findall(r'data-step="(\d+)"', block)


def charts(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def live_chart(at: AppTest) -> tuple[dict, dict[str, bytes]]:
    """The live chart's JSON arguments and its bytes arguments (what the browser receives)."""
    (comp,) = at.get("component_instance")
    return json.loads(comp.proto.json_args), {a.key: a.bytes for a in comp.proto.special_args}


def pick_buttons(at: AppTest) -> list[tuple[str, str]]:
    return [(b.label, b.proto.type) for b in at.button if b.key and b.key.startswith("nt_pick_")]


def test_next_token_page_shows_bars_and_pie_for_the_souris_prompt():
    at = open_page("pages/next_token.py")
    assert at.title[0].value == "Comment le modèle choisit le prochain token"
    assert at.text_area(key="nt_prompt").value == "La souris de l'ordinateur est un"
    assert at.selectbox(key="nt_model").value == GEMMA  # the base model continues the text
    args, blobs = live_chart(at)  # bars + camembert, drawn in the browser from every logit
    assert len(blobs["logits"]) == 4 * 262_144 and args["meta"]["vocab"] == 262_144 and args["meta"]["exact"]
    assert args["labels"]["cut"] == "coupé" and args["labels"]["decimal"] == ","
    assert args["settings"] == {"temperature": 1.0, "top_k": 0, "top_p": 1.0, "min_p": 0.0, "show": 10}
    assert any("Exact" in c.value for c in at.caption)
    assert len(pick_buttons(at)) == 10


def test_settings_sent_by_the_live_chart_reshape_without_calling_the_model(monkeypatch):
    from providers.embedded.engine import Engine

    at = open_page("pages/next_token.py")
    at.selectbox(key="nt_model").set_value(GEMMA).run()
    before = pick_buttons(at)
    logits = live_chart(at)[1]["logits"]
    assert len(logits) == 4 * 262_144
    calls = []
    real_submit = Engine.submit
    monkeypatch.setattr(Engine, "submit", lambda self, job: (calls.append("submit"), real_submit(self, job))[1])
    # what the browser sends when a move ends (AppTest has no browser: the value is set directly)
    at.session_state["nt_live"] = {"settings": {"temperature": 0.3, "top_k": 3, "top_p": 1.0, "min_p": 0.0, "show": 6}}
    at.run()
    assert not at.exception
    assert calls == []  # no model call
    after = pick_buttons(at)
    assert len(after) == 6 and after != before[:6]
    assert [t for _, t in after] == ["secondary"] * 3 + ["tertiary"] * 3  # top-k = 3 cuts the rest
    args, blobs = live_chart(at)
    assert args["settings"]["top_k"] == 3 and blobs["logits"] == logits  # the same bytes: cached in the browser
    at.button(key="nt_greedy").click().run()  # step-through uses the settings the chart sent
    step = at.session_state["nt_state"]["trail"].steps[0]
    shown = after[0][0].split("·")[-1].strip().rstrip("%").strip().replace(",", ".")  # French: "54,0 %"
    assert step.prob == pytest.approx(float(shown) / 100, abs=6e-4)


def test_step_through_most_likely_pick_undo_branch():
    at = open_page("pages/next_token.py")
    at.button(key="nt_greedy").click().run()
    at.button(key="nt_greedy").click().run()
    at.button(key="nt_pick_2").click().run()
    assert not at.exception and not at.error
    assert trail_steps(at) == ["1", "2", "3"]
    at.button(key="nt_undo").click().run()
    assert trail_steps(at) == ["1", "2"]
    at.selectbox(key="nt_branch_at").set_value(1).run()
    at.button(key="nt_branch").click().run()
    assert trail_steps(at) == ["1"]
    assert any(e.label.startswith("Branches abandonnées (1)") for e in at.expander)
    at.button(key="nt_restore_0").click().run()
    assert trail_steps(at) == ["1", "2"]
    at.button(key="nt_sample").click().run()
    assert trail_steps(at) == ["1", "2", "3"]


def test_changing_the_prompt_resets_the_trail_and_chat_mode_works():
    at = open_page("pages/next_token.py")
    at.selectbox(key="nt_model").set_value(SMOL).run()  # a chat model: raw or chat
    at.button(key="nt_greedy").click().run()
    assert trail_steps(at) == ["1"]
    at.radio(key="nt_mode").set_value("chat").run()
    assert not at.exception and not at.error
    assert trail_steps(at) == []
    at.selectbox(key="nt_model").set_value(GEMMA).run()  # a base model: raw completion only
    assert at.radio(key="nt_mode").options == ["Complétion brute"]


def test_generate_shows_a_heatmap_with_confidence():
    at = open_page("pages/next_token.py")
    at.number_input(key="nt_gen_tokens").set_value(8)
    at.button(key="nt_generate").click().run()
    assert not at.exception and not at.error
    assert any("pg-heatmap" in m.value for m in at.markdown)
    assert float(metric(at, "Perplexité").replace(",", ".")) >= 1.0  # written in French: 6,70


def test_empty_prompt_is_a_clear_error():
    at = open_page("pages/next_token.py")
    at.text_area(key="nt_prompt").set_value("  ").run()
    assert not at.exception
    assert any("empty" in e.value or "vide" in e.value for e in at.error)


def test_tokenizer_page_counts_and_escapes():
    at = open_page("pages/tokenizer.py")
    assert at.title[0].value.startswith("Tokenizers")
    counts = [m.value for m in at.metric if m.label == "Tokens"]
    assert len(counts) == 3 and all(int(c) > 0 for c in counts)
    frame = at.dataframe[0].value
    assert (frame["Français"] > frame["Anglais"]).all()
    at.text_area(key="tok_text").set_value('<img src=x onerror=alert(1)> </div><script>alert(2)</script>').run()
    assert not at.exception
    chips = [m.value for m in at.markdown if "pg-chips" in m.value]
    assert chips and all("<img" not in c and "<script" not in c for c in chips)
    assert any("&lt;" in c for c in chips)


@pytest.fixture()
def gguf_env(monkeypatch):
    """Tokenizer settings come from the environment; never leak a registry built with them."""
    import streamlit as st

    for var in ("PLAYGROUND_GGUF_PATHS", "PLAYGROUND_TOKENIZER_ANY_PATH"):
        monkeypatch.delenv(var, raising=False)
    yield monkeypatch
    st.cache_resource.clear()
    st.cache_data.clear()


def test_tokenizer_page_has_no_free_path_by_default(gguf_env):
    at = open_page("pages/tokenizer.py")
    assert not [t for t in at.text_input if t.key == "tok_gguf"]
    assert not [s for s in at.selectbox if s.key == "tok_gguf_pick"]  # nothing configured: nothing offered
    assert not any("🇫🇷" in m.value or "🇬🇧" in m.value for m in at.markdown)
    assert any("**FR**" in m.value and "**EN**" in m.value for m in at.markdown)


def test_tokenizer_page_offers_the_configured_gguf_files(gguf_env, smollm2_path):
    gguf_env.setenv("PLAYGROUND_GGUF_PATHS", str(smollm2_path))
    at = open_page("pages/tokenizer.py")
    assert not [t for t in at.text_input if t.key == "tok_gguf"]
    pick = at.selectbox(key="tok_gguf_pick")
    assert pick.options[1:] == [smollm2_path.name]  # the file name, not the server path
    pick.set_value(str(smollm2_path)).run()
    assert not at.exception and not at.error
    assert len([m for m in at.metric if m.label == "Tokens"]) == 4


def test_tokenizer_page_free_path_when_the_server_allows_it(gguf_env, smollm2_path):
    gguf_env.setenv("PLAYGROUND_TOKENIZER_ANY_PATH", "1")
    at = open_page("pages/tokenizer.py")
    at.text_input(key="tok_gguf").set_value(str(smollm2_path)).run()
    assert not at.exception
    assert len([m for m in at.metric if m.label == "Tokens"]) == 4
    at.text_input(key="tok_gguf").set_value("/nonexistent/model.gguf").run()
    assert not at.exception
    assert any("No file" in e.value for e in at.error)


def test_sampling_lab_grid_diversity_and_determinism():
    at = open_page("pages/sampling_lab.py")
    at.selectbox(key="lab_model").set_value(GEMMA)
    at.text_input(key="lab_temps").set_value("0, 1.5")
    at.number_input(key="lab_n").set_value(2)
    at.number_input(key="lab_max_tokens").set_value(6)
    at.button(key="lab_run").click().run()
    assert not at.exception and not at.error
    grid = at.table[0].value
    assert list(grid["T"]) == ["0", "1,5"]  # a table (headers and texts wrap), temperatures in French
    assert grid.iloc[0, 1] == grid.iloc[0, 2]  # T = 0: same text whatever the seed
    assert charts(at) == 1
    at.button(key="lab_det_run").click().run()
    assert any("Identique" in s.value for s in at.success)


def test_sampling_lab_rejects_bad_temperatures():
    at = open_page("pages/sampling_lab.py")
    at.text_input(key="lab_temps").set_value("0, brûlant")
    at.button(key="lab_run").click().run()
    assert not at.exception
    assert any("brûlant" in e.value for e in at.error)


def test_compare_columns_offer_a_heatmap():
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.run()
    at.selectbox(key="cmp_model_0").set_value(SMOL)
    at.selectbox(key="cmp_model_1").set_value(GEMMA)
    at.number_input(key="cmp_col0_max_tokens").set_value(6)
    at.number_input(key="cmp_col1_max_tokens").set_value(6)
    at.button(key="cmp_run").click().run()
    assert not at.exception, at.exception
    assert sum(1 for e in at.expander if e.label == "Carte de chaleur des probabilités") == 2
    assert sum(1 for m in at.markdown if "pg-heatmap" in m.value) == 2


@pytest.mark.parametrize("page", ["pages/next_token.py", "pages/sampling_lab.py", "pages/tokenizer.py"])
def test_pages_in_english(page):
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.run()
    at.session_state["lang"] = "en"
    at.switch_page(page).run()
    assert not at.exception
    assert at.title[0].value in {"How the model picks the next token", "Sampling lab: what temperature does",
                                 "Tokenizers: how text becomes numbers"}
