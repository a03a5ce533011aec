"""Remote backend configuration: secrets.toml + the SDKs' environment variables -> providers."""

import re
from pathlib import Path

import pytest

from playground.config import build_registry, load_config, remote_config, session_allow_private_hosts

CANARY = "sk-canary-config-0123456789"


def test_nothing_configured_means_only_embedded():
    cfg = remote_config({}, {})
    assert cfg.ollama == [] and cfg.endpoints == [] and cfg.allow_session_endpoints


def test_environment_variables_of_the_sdks():
    env = {"OPENAI_API_KEY": CANARY, "OLLAMA_HOST": "gpu:11434", "AZURE_OPENAI_ENDPOINT": "https://res.openai.azure.com",
           "AZURE_OPENAI_API_KEY": "az-key-123456", "OPENAI_API_VERSION": "2024-06-01", "OPENROUTER_API_KEY": "or-key-123456",
           "PLAYGROUND_CONNECT_TIMEOUT": "2.5", "PLAYGROUND_READ_TIMEOUT": "30"}
    cfg = remote_config({}, env)
    assert [o.name for o in cfg.ollama] == ["ollama"] and cfg.ollama[0].host == "gpu:11434"
    by = {e.name: e for e in cfg.endpoints}
    assert set(by) == {"openai", "azure", "openrouter"}
    assert by["azure"].api_version == "2024-06-01" and by["azure"].azure_endpoint == "https://res.openai.azure.com"
    assert by["openai"].timeouts.connect == 2.5 and by["openai"].timeouts.read == 30.0
    assert by["openrouter"].url == "https://openrouter.ai/api/v1"


def test_secrets_file_with_several_ollama_hosts_and_named_servers():
    secrets = {
        "timeouts": {"connect": 3, "read": 60},
        "retries": {"max": 4},
        "ollama": {"host": "http://localhost:11434", "hosts": {"gpu": {"host": "http://gpu:11434"}, "cpu": "cpu-box:11434"}},
        "openai_compatible": {"vllm": {"base_url": "http://gpu:8000/v1", "api_key": CANARY, "models": ["qwen"]},
                              "lmstudio": {"base_url": "http://127.0.0.1:1234/v1"}},
        "azure": {"base_url": "https://res.openai.azure.com/openai/v1/", "api_key": "az-key-123456", "deployments": "a, b"},
        "settings": {"allow_session_endpoints": False},
    }
    cfg = remote_config(secrets, {})
    assert [o.name for o in cfg.ollama] == ["ollama", "ollama-gpu", "ollama-cpu"]
    by = {e.name: e for e in cfg.endpoints}
    assert by["vllm"].models == ("qwen",) and by["vllm"].kind == "compatible"
    assert by["azure"].models == ("a", "b") and by["azure"].url == "https://res.openai.azure.com/openai/v1"
    assert cfg.retry.max_retries == 4 and cfg.timeouts.read == 60.0 and not cfg.allow_session_endpoints
    reg = build_registry(load_config(secrets=secrets, env={}))
    assert set(reg.names) == {"embedded", "ollama", "ollama-gpu", "ollama-cpu", "vllm", "lmstudio", "azure"}


def test_reserved_or_incomplete_names_are_refused():
    with pytest.raises(ValueError, match="reserved"):
        remote_config({"openai_compatible": {"openai": {"base_url": "http://x/v1"}}}, {})
    with pytest.raises(ValueError, match="base_url"):
        remote_config({"openai_compatible": {"lab": {}}}, {})


def test_keys_never_appear_in_reprs():
    cfg = load_config(secrets={"openai_compatible": {"lab": {"base_url": "http://x/v1", "api_key": CANARY}}},
                      env={"OPENAI_API_KEY": CANARY})
    assert CANARY not in repr(cfg) and CANARY not in str(cfg.remote)
    reg = build_registry(cfg)
    assert CANARY not in repr(reg.get("lab").config)


EXAMPLE = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml.example"
# a commented-out example line: "# [table]" or "# key = value"
EXAMPLE_LINE = re.compile(r"^# (\[[A-Za-z0-9_.\-]+\]\s*$|[a-z_]+ = )")


def uncommented_example() -> str:
    return "\n".join(line[2:] if EXAMPLE_LINE.match(line) else line
                     for line in EXAMPLE.read_text(encoding="utf-8").splitlines())


def test_the_example_copied_as_is_configures_no_placeholder_backend():
    import tomllib

    secrets = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    cfg = remote_config(secrets, {})
    assert cfg.ollama == [] and cfg.endpoints == []
    assert session_allow_private_hosts(secrets, {}) is False


def test_the_documented_example_parses_once_uncommented():
    # every documented option is a valid, working line once its "# " is removed
    import tomllib

    secrets = tomllib.loads(uncommented_example())
    cfg = remote_config(secrets, {})
    assert [o.name for o in cfg.ollama] == ["ollama", "ollama-gpu"]
    assert [e.name for e in cfg.endpoints] == ["openai", "azure", "openrouter", "vllm", "lmstudio"]
    by_name = {e.name: e for e in cfg.endpoints}
    assert by_name["openrouter"].headers.get("HTTP-Referer") and by_name["vllm"].completion_models
    assert by_name["azure"].api_version and by_name["openai"].models
    assert secrets["session"]["allow_private_hosts"] is False and secrets["tokenizer"]["allow_any_path"] is False
    assert secrets["embedded"]["gguf_paths"]


def test_private_hosts_for_visitors_are_off_unless_the_server_says_so():
    assert session_allow_private_hosts({}, {}) is False
    assert session_allow_private_hosts({"session": {"allow_private_hosts": True}}, {}) is True
    assert session_allow_private_hosts({"session": {"allow_private_hosts": True}}, {"PLAYGROUND_SESSION_ALLOW_PRIVATE_HOSTS": "0"}) is False
    assert session_allow_private_hosts({}, {"PLAYGROUND_SESSION_ALLOW_PRIVATE_HOSTS": "1"}) is True
