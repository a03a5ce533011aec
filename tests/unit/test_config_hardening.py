"""A secrets.toml of the wrong shape never takes the app or the command line down: the embedded
models keep working and one line says what is wrong where (no traceback, no path, no value)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from playground.config import describe_config_error, load_config, load_secrets, registry_or_embedded
from providers.config_values import ConfigError

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-never-shown-0123456789"

# (secrets.toml text, where the mistake is)
WRONG_TYPES = [
    ('[ollama]\nhosts = "http://x"\n', "[ollama] hosts"),
    ("settings = 1\n", "[settings]"),
    ('openai_compatible = "x"\n', "[openai_compatible]"),
    (f'[openai]\napi_key = "{KEY}"\nmodels = 5\n', "[openai] models"),
    ("[timeouts]\nread = -1\n", "[timeouts] read"),
    ("[embedded]\nn_ctx = \"big\"\n", "[embedded] n_ctx"),
    (f'[openai_compatible.lab]\nbase_url = 8000\napi_key = "{KEY}"\n', "[openai_compatible.lab] base_url"),
]


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, where", WRONG_TYPES)
def test_a_value_of_the_wrong_type_is_one_error_naming_where(tmp_path, text, where):
    secrets = load_secrets([write(tmp_path, text)])
    with pytest.raises(ConfigError) as info:
        load_config(secrets, env={})
    assert where in info.value.message and KEY not in info.value.message
    for lang in ("fr", "en"):
        said = describe_config_error(info.value, lang)
        assert where in said and KEY not in said
    registry, problem = registry_or_embedded(lambda: load_config(secrets, env={}))
    assert problem is not None and problem.message == info.value.message
    assert registry.names == ["embedded"]  # the in-process models are still there


def test_the_catalogue_says_it_in_french():
    with pytest.raises(ConfigError) as info:
        load_config({"ollama": {"hosts": "http://x"}}, env={})
    assert describe_config_error(info.value, "fr") == "secrets.toml : [ollama] hosts doit être une table, pas un texte."
    assert describe_config_error(info.value, "en") == "secrets.toml: [ollama] hosts must be a table, not a text."


def test_a_syntax_error_shows_no_path_and_logs_the_details(tmp_path, caplog):
    path = write(tmp_path, f'[openai\napi_key = "{KEY}"\n')
    with caplog.at_level(logging.ERROR, logger="playground.config"), pytest.raises(ConfigError) as info:
        load_secrets([path])
    shown = describe_config_error(info.value, "fr") + describe_config_error(info.value, "en") + str(info.value)
    assert str(tmp_path) not in shown and "secrets.toml" in shown and "ligne 1" in shown and KEY not in shown
    assert str(path) in caplog.text  # the server's administrator finds the file in the log


@pytest.mark.parametrize("text, where", WRONG_TYPES[:4])
def test_the_command_line_says_it_in_one_line_and_keeps_the_embedded_models(tmp_path, text, where):
    env = dict(__import__("os").environ, PLAYGROUND_SECRETS=str(write(tmp_path, text)))
    out = subprocess.run([sys.executable, "-m", "playground", "models", "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and where in out.stderr and KEY not in out.stderr
    ids = [m["id"] for m in json.loads(out.stdout)["models"]]
    assert "embedded/smollm2-135m-instruct" in ids


def test_other_commands_warn_and_run_on_the_embedded_models(tmp_path):
    env = dict(__import__("os").environ, PLAYGROUND_SECRETS=str(write(tmp_path, WRONG_TYPES[0][0])))
    out = subprocess.run([sys.executable, "-m", "playground", "tokenize", "--model", "embedded/smollm2-135m-instruct",
                          "--text", "Bonjour le bot", "--json"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and "[ollama] hosts" in out.stderr
    assert json.loads(out.stdout)
