"""secrets.toml with values of the wrong type, or a syntax error: the app still opens on the
embedded models and the sidebar says what is wrong where, without the server's paths."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture()
def secrets_file(tmp_path, monkeypatch):
    def write(text: str) -> Path:
        path = tmp_path / "secrets.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("PLAYGROUND_SECRETS", str(path))
        return path

    st.cache_resource.clear()
    st.cache_data.clear()
    yield write
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.mark.parametrize("text, expected", [
    ('[ollama]\nhosts = "http://x"\n\n[openai]\napi_key = "sk-never-shown-123456"\nmodels = 5\n',
     "secrets.toml : [ollama] hosts doit être une table, pas un texte."),
    ('[openai\napi_key = "sk-never-shown-123456"\n', "secrets.toml n'est pas du TOML valide (ligne 1, colonne 8)"),
])
def test_a_broken_configuration_keeps_the_app_and_says_where(secrets_file, text, expected):
    path = secrets_file(text)
    at = AppTest.from_file(str(APP), default_timeout=240)
    at.run()
    assert not at.exception, at.exception
    errors = "".join(e.value for e in at.sidebar.error)
    assert expected in errors
    assert str(path.parent) not in errors and "sk-never-shown" not in errors
    assert "SmolLM2 135M Instruct (chat, embarqué)" in at.selectbox(key="cmp_model_0").options
