"""AppTest: the models page lists every model with what it is and where it runs, deletes an
Ollama model after a confirmation, and in instructor mode only the instructor may pull or delete."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from remote_shapes import OLLAMA_TAGS, ollama_show
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


def _clear_caches() -> None:
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture()
def ollama(httpserver, tmp_path, monkeypatch):
    httpserver.expect_request("/api/tags").respond_with_json(OLLAMA_TAGS)
    httpserver.expect_request("/api/version").respond_with_json({"version": "0.13.0"})
    httpserver.expect_request("/api/show").respond_with_json(ollama_show(ctx=32768))
    httpserver.expect_request("/api/delete", method="DELETE", json={"model": "gemma3:270m"}).respond_with_data("")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[ollama]\nhost = "{httpserver.url_for("/").rstrip("/")}"\n', encoding="utf-8")
    monkeypatch.setenv("PLAYGROUND_SECRETS", str(secrets))
    monkeypatch.delenv("OLLAMA_HOST", raising=False)
    _clear_caches()
    yield secrets
    _clear_caches()


def open_models(lang: str = "fr", unlocked: bool = False) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["lang"] = lang
    if unlocked:
        at.session_state["instructor_unlocked"] = True
    at.run()
    at.switch_page("pages/models.py").run()
    assert not at.exception, at.exception
    return at


def test_table_lists_every_model_with_what_it_is(ollama, httpserver):
    at = open_models("en")
    df = at.dataframe[0].value
    rows = {r["Model"]: r for r in df.to_dict("records")}
    assert {"embedded/smollm2-135m-instruct", "ollama/qwen2.5:1.5b", "ollama/gemma3:270m"} <= set(rows)
    q = rows["ollama/qwen2.5:1.5b"]
    assert (q["Family"], q["Parameters"], q["Quantization"], q["File size"], q["Context (tokens)"]) == \
           ("qwen2", "1.5B", "Q4_K_M", "986\u00a0MB", "32,768")
    assert q["Where it runs"] == httpserver.url_for("/").rstrip("/")
    s = rows["embedded/smollm2-135m-instruct"]
    assert (s["Family"], s["Parameters"], s["Quantization"], s["File size"], s["Context (tokens)"]) == \
           ("llama", "135M", "Q4_1", "98.4\u00a0MB", "8,192")
    assert s["Where it runs"] == "in-process · SmolLM2-135M-Instruct.Q4_1.gguf"
    fr = {r["Modèle"]: r for r in open_models("fr").dataframe[0].value.to_dict("records")}
    assert fr["ollama/gemma3:270m"]["Paramètres"] == "268,10M" and fr["ollama/gemma3:270m"]["Taille du fichier"] == "292\u00a0Mo"
    assert fr["ollama/qwen2.5:1.5b"]["Contexte (tokens)"] == "32\u202f768"


def test_delete_asks_first_then_calls_api_delete(ollama, httpserver):
    at = open_models("en")
    assert at.selectbox(key="models_delete_pick").options == ["ollama/qwen2.5:1.5b", "ollama/gemma3:270m"]
    at.selectbox(key="models_delete_pick").set_value("ollama/gemma3:270m").run()
    at.button(key="models_delete").click().run()
    assert "Delete ollama/gemma3:270m for good?" in at.warning[0].value
    assert not [r for r, _ in httpserver.log if r.path == "/api/delete"]  # nothing deleted before "Yes"
    at.button(key="models_delete_yes").click().run()
    assert [r.path for r, _ in httpserver.log if r.path == "/api/delete"] == ["/api/delete"]
    assert any("ollama/gemma3:270m is deleted." in s.value for s in at.success)


def test_in_instructor_mode_only_the_instructor_manages_models(ollama):
    ollama.write_text(ollama.read_text(encoding="utf-8") + '\n[instructor]\npassword = "tarte-tatin"\n', encoding="utf-8")
    _clear_caches()
    at = open_models("en")
    assert any("only the instructor" in i.value for i in at.info)
    assert not [b for b in at.button if b.key in ("models_ollama_pull", "models_hub_download", "models_delete")]
    assert at.dataframe  # everyone still sees the table
    at = open_models("en", unlocked=True)
    assert {"models_ollama_pull", "models_hub_download", "models_delete"} <= {b.key for b in at.button}
