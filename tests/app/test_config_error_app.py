"""A broken secrets.toml never blanks the app: the embedded models keep working and the
sidebar says what is wrong."""

from pathlib import Path

import pytest
import streamlit as st
from conftest import APP_TIMEOUT_S
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture()
def broken_secrets(tmp_path, monkeypatch):
    bad = tmp_path / "secrets.toml"
    bad.write_text('[openai\napi_key = "sk-never-shown-123456"\n', encoding="utf-8")
    monkeypatch.setenv("PLAYGROUND_SECRETS", str(bad))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def test_malformed_secrets_keep_the_embedded_models_and_explain(broken_secrets):
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.sidebar.error]
    assert errors and "Configuration du serveur illisible" in errors[0]
    assert "sk-never-shown" not in "".join(errors)
    assert "SmolLM2 135M Instruct (chat, embarqué)" in at.selectbox(key="cmp_model_0").options
