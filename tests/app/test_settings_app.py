"""AppTest: the Settings page lists server backends, tests them, and keeps visitor endpoints per session."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from conftest import APP_TIMEOUT_S
from remote_shapes import OLLAMA_TAGS, ollama_show
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
CANARY = "sk-canary-apptest-31415926"


def _clear_caches() -> None:
    # the registry is cached per process: never let this test's replay backends leak into other tests
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture()
def configured(httpserver, tmp_path, monkeypatch):
    httpserver.expect_request("/v1/models").respond_with_json({"object": "list", "data": [
        {"id": "gpt-4o-mini", "object": "model", "created": 1, "owned_by": "system"}]})
    httpserver.expect_request("/api/tags").respond_with_json(OLLAMA_TAGS)
    httpserver.expect_request("/api/version").respond_with_json({"version": "0.13.0"})
    httpserver.expect_request("/api/show").respond_with_json(ollama_show())
    base = httpserver.url_for("/").rstrip("/")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[openai]\napi_key = "{CANARY}"\nbase_url = "{base}/v1"\n\n[ollama.hosts.gpu]\nhost = "{base}"\n',
                       encoding="utf-8")
    monkeypatch.setenv("PLAYGROUND_SECRETS", str(secrets))
    # the replay server listens on loopback: visitors' endpoints may only point there when the host allows it
    monkeypatch.setenv("PLAYGROUND_SESSION_ALLOW_PRIVATE_HOSTS", "1")
    for var in ("OPENAI_API_KEY", "OLLAMA_HOST", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "OPENROUTER_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    _clear_caches()
    yield base
    _clear_caches()


def open_settings() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.run()
    at.switch_page("pages/settings.py").run()
    assert not at.exception, at.exception
    return at


def submit(at: AppTest) -> None:
    next(b for b in at.button if b.label == "Ajouter et tester").click().run()


def everything_shown(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.success]
    parts += [e.value for e in at.error] + [i.value for i in at.info] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


def test_lists_server_backends_and_tests_them_without_showing_keys(configured):
    at = open_settings()
    assert at.title[0].value == "Réglages des backends"
    shown = everything_shown(at)
    assert "**openai**" in shown and "**ollama-gpu**" in shown and "configurée (masquée)" in shown
    at.button(key="srv_test_openai").click().run()
    at.button(key="srv_test_ollama-gpu").click().run()
    ok = [s.value for s in at.success]
    assert any("1 modèle(s)" in s for s in ok) and any("0.13.0" in s and "2 modèle(s)" in s for s in ok)
    assert CANARY not in everything_shown(at)
    assert CANARY not in repr({k: at.session_state[k] for k in ("settings_probes",) if k in at.session_state})


def test_sidebar_shows_backend_status(configured):
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.run()
    side = "\n".join(m.value for m in at.sidebar.markdown)
    assert "pg-backend-up" in side and "openai" in side and "ollama-gpu" in side


def test_visitor_adds_an_endpoint_for_their_session_only(configured):
    at = open_settings()
    at.selectbox(key="settings_kind").set_value("compatible")
    at.text_input(key="settings_name").set_value("mon-vllm")
    at.text_input(key="settings_url").set_value(configured + "/v1")
    at.text_input(key="settings_key").set_value("visitor-key-123")
    submit(at)
    assert not at.exception, at.exception
    assert any("mon-vllm" in s.value for s in at.success)
    assert "mon-vllm" in at.session_state["session_providers"]
    assert "**mon-vllm**" in everything_shown(at)
    assert "visitor-key-123" not in everything_shown(at)
    # another browser session does not see it
    other = open_settings()
    assert "**mon-vllm**" not in everything_shown(other)


@pytest.mark.parametrize("kind", ["compatible", "ollama"])
def test_visitor_cannot_reach_loopback_or_metadata_hosts_by_default(configured, httpserver, monkeypatch, kind):
    monkeypatch.delenv("PLAYGROUND_SESSION_ALLOW_PRIVATE_HOSTS")
    at = open_settings()
    assert any("Hôtes publics uniquement" in c.value for c in at.caption)
    before = len(httpserver.log)
    at.selectbox(key="settings_kind").set_value(kind)
    for i, url in enumerate((configured + "/v1", "http://169.254.169.254", "http://[::1]:8000/v1")):
        at.text_input(key="settings_name").set_value(f"probe{i}")
        at.text_input(key="settings_url").set_value(url)
        submit(at)
        assert not at.exception, at.exception
        assert any("hôte public" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.session_state["session_providers"] if "session_providers" in at.session_state else True
    assert len(httpserver.log) == before  # nothing was fetched


def test_session_endpoint_cannot_take_a_server_backend_name(configured):
    at = open_settings()
    at.text_input(key="settings_name").set_value("openai")
    at.text_input(key="settings_url").set_value("http://evil.example/v1")
    submit(at)
    assert any("Nom invalide" in e.value for e in at.error)
    assert "openai" not in (at.session_state["session_providers"] if "session_providers" in at.session_state else {})


def test_session_endpoints_can_be_disabled_by_the_host(configured, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_ALLOW_SESSION_ENDPOINTS", "false")
    _clear_caches()
    at = open_settings()
    assert any("désactivé" in i.value for i in at.info)
    assert not [t for t in at.text_input if t.key == "settings_url"]


def test_a_visitor_endpoint_never_carries_a_server_key(configured, httpserver, monkeypatch):
    # even with the server's key in the environment, a visitor's keyless endpoint sends none
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    monkeypatch.setenv("OLLAMA_API_KEY", CANARY)
    at = open_settings()
    at.text_input(key="settings_name").set_value("mine")
    at.text_input(key="settings_url").set_value(configured + "/v1")
    submit(at)
    assert any("mine" in s.value for s in at.success)
    req, _ = httpserver.log[-1]
    assert req.path == "/v1/models" and CANARY not in str(dict(req.headers))
    at.selectbox(key="settings_kind").set_value("ollama")
    at.text_input(key="settings_name").set_value("mine-ollama")
    at.text_input(key="settings_url").set_value(configured)
    submit(at)
    assert "mine-ollama" in at.session_state["session_providers"], [e.value for e in at.error]
    api_calls = [req for req, _ in httpserver.log if req.path.startswith("/api/")]
    assert api_calls and all(CANARY not in str(dict(req.headers)) for req in api_calls)


def test_compare_column_greys_out_what_openai_does_not_honour(configured):
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.run()
    at.selectbox(key="cmp_model_0").set_value("openai/gpt-4o-mini").run()
    assert not at.exception, at.exception
    top_k = at.number_input(key="cmp_col0_top_k")
    assert top_k.disabled and "top_k" in (top_k.help or "")
    assert at.number_input(key="cmp_col0_min_p").disabled
    assert not at.slider(key="cmp_col0_temperature").disabled
    # an Ollama column honours them all, and shows /api/show details beside the picker
    at.selectbox(key="cmp_model_1").set_value("ollama-gpu/qwen2.5:1.5b").run()
    assert not at.number_input(key="cmp_col1_top_k").disabled
    assert any("qwen2" in c.value and "Q4_K_M" in c.value for c in at.caption)
