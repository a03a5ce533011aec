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


def open_models(lang: str = "fr", password: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    if password is not None:  # unlock instructor mode the way the instructor does, on the Classroom page
        at.switch_page("pages/room.py").run()
        at.text_input(key="instructor_password").input(password).run()
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
    at = open_models("en", password="wrong")
    assert not [b for b in at.button if b.key in ("models_ollama_pull", "models_hub_download", "models_delete")]
    at = open_models("en", password="tarte-tatin")
    assert {"models_ollama_pull", "models_hub_download", "models_delete"} <= {b.key for b in at.button}


@pytest.fixture()
def pulling_ollama(httpserver, tmp_path, monkeypatch):
    """An Ollama whose /api/tags lists qwen2.5:0.5b once /api/pull has answered success for it."""
    import json

    from remote_shapes import ndjson, ollama_pull_lines
    from werkzeug.wrappers import Response

    pulled: list[str] = []
    new = {**OLLAMA_TAGS["models"][0], "name": "qwen2.5:0.5b", "model": "qwen2.5:0.5b", "size": 397_821_319}

    def tags(_request):
        return Response(json.dumps({"models": OLLAMA_TAGS["models"] + ([new] if pulled else [])}),
                        content_type="application/json")

    def pull(request):
        name = json.loads(request.get_data())["model"]
        if name != "qwen2.5:0.5b":
            return Response(ndjson([{"status": "pulling manifest"}, {"error": "pull model manifest: file does not exist"}]),
                            content_type="application/x-ndjson")
        pulled.append(name)
        return Response(ndjson(ollama_pull_lines([("sha256:c5396e06af294bd101b30dce59131a76d2b773e7", 397_807_936)])),
                        content_type="application/x-ndjson")

    httpserver.expect_request("/api/tags").respond_with_handler(tags)
    httpserver.expect_request("/api/pull", method="POST").respond_with_handler(pull)
    httpserver.expect_request("/api/version").respond_with_json({"version": "0.13.0"})
    httpserver.expect_request("/api/show").respond_with_json(ollama_show())
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[ollama]\nhost = "{httpserver.url_for("/").rstrip("/")}"\n', encoding="utf-8")
    monkeypatch.setenv("PLAYGROUND_SECRETS", str(secrets))
    monkeypatch.delenv("OLLAMA_HOST", raising=False)
    _clear_caches()
    yield pulled
    _clear_caches()


def finish_pull(at: AppTest) -> None:
    """Let the page's pull thread end, then redraw (a fast pull may end within the click's run)."""
    if "models_job" in at.session_state:
        assert at.session_state["models_job"].wait(60)
        at.run()


def test_ollama_pull_from_the_page_reaches_compares_picker(pulling_ollama):
    at = open_models("fr")
    at.selectbox(key="models_ollama_host").set_value("ollama")
    at.text_input(key="models_ollama_name").set_value("qwen9:zz").run()
    at.button(key="models_ollama_pull").click().run()
    finish_pull(at)
    assert any("qwen9:zz n'existe pas dans la bibliothèque Ollama" in e.value for e in at.error)
    at.text_input(key="models_ollama_name").set_value("qwen2.5:0.5b").run()
    at.button(key="models_ollama_pull").click().run()
    finish_pull(at)
    assert any("ollama/qwen2.5:0.5b est installé" in s.value for s in at.success)
    assert pulling_ollama == ["qwen2.5:0.5b"]
    at.switch_page("pages/compare.py").run()
    assert not at.exception, at.exception
    # the picker shows labels ("ollama/qwen2.5:0.5b · 1.5B Q4_K_M")
    picker = next(s for s in at.selectbox if any(o.startswith("ollama/qwen2.5:1.5b") for o in s.options))
    assert any(o.startswith("ollama/qwen2.5:0.5b") for o in picker.options)


def test_the_7b_suggestion_warns_about_memory(ollama):
    at = open_models("fr")
    assert not at.warning
    at.selectbox(key="models_hub_pick").set_value("Mistral 7B Instruct v0.2 · Q4_K_M").run()
    assert "environ 6,5\u00a0Go de mémoire vive" in at.warning[0].value
    assert any("Fichier : 4,4\u00a0Go" in c.value for c in at.caption)
    at.selectbox(key="models_hub_pick").set_value("Qwen2.5 0.5B Instruct · Q4_K_M").run()
    assert not at.warning
