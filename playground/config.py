"""Configuration: `.streamlit/secrets.toml` + environment variables -> provider configs and a registry."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from playground.room import ROOM, RoomLimits
from providers.backends import BY_KIND, server_configs
from providers.embedded import EmbeddedConfig, EmbeddedProvider
from providers.ollama import OllamaConfig
from providers.openai_compat import OpenAICompatConfig
from providers.registry import Registry
from providers.remote import RetryPolicy, Timeouts

REPO_ROOT = Path(__file__).resolve().parent.parent


def secrets_paths() -> list[Path]:
    """Where secrets are read from, like Streamlit: ~/.streamlit then ./.streamlit (later wins)."""
    env = os.environ.get("PLAYGROUND_SECRETS")
    if env:
        return [Path(env)]
    return [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"]


def load_secrets(paths: list[Path] | None = None) -> dict:
    merged: dict = {}
    for p in paths if paths is not None else secrets_paths():
        try:
            with open(p, "rb") as fh:
                merged.update(tomllib.load(fh))
        except FileNotFoundError:
            continue
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"Cannot read {p}: {exc}") from None
    return merged


@dataclass
class AppConfig:
    embedded: EmbeddedConfig = field(default_factory=EmbeddedConfig)
    secrets: dict = field(default_factory=dict, repr=False)  # raw secrets: never printed
    remote: RemoteConfig | None = None  # Ollama hosts and OpenAI-style endpoints (see remote_config)
    room: RoomLimits = field(default_factory=RoomLimits)  # per-session limits for a shared instance


def load_config(secrets: Mapping | None = None, env: Mapping[str, str] | None = None) -> AppConfig:
    env = os.environ if env is None else env
    secrets = load_secrets() if secrets is None else dict(secrets)
    emb = secrets.get("embedded", {}) or {}
    paths = list(emb.get("gguf_paths", []) or [])
    if env.get("PLAYGROUND_GGUF_PATHS"):
        paths += [p for p in env["PLAYGROUND_GGUF_PATHS"].split(os.pathsep) if p.strip()]
    def setting(env_name: str, key: str, default):
        raw = env.get(env_name) or emb.get(key)
        return int(raw) if raw not in (None, "") else default

    embedded = EmbeddedConfig(
        gguf_paths=paths,
        n_ctx=setting("PLAYGROUND_N_CTX", "n_ctx", 2048),
        n_threads=setting("PLAYGROUND_N_THREADS", "n_threads", None),
        cache_dir=env.get("PLAYGROUND_CACHE_DIR") or emb.get("cache_dir"),
        max_active=setting("PLAYGROUND_MAX_ACTIVE", "max_active", 32),
        retained=setting("PLAYGROUND_RETAINED_PROMPTS", "retained_prompts", 4),
        prompt_chunk=setting("PLAYGROUND_PROMPT_CHUNK", "prompt_chunk", 64),
        batch_rows=setting("PLAYGROUND_BATCH_ROWS", "batch_rows", None),
    )
    room = RoomLimits.from_config(secrets, env)
    if room.max_active_per_model:
        embedded.max_active = min(embedded.max_active, room.max_active_per_model)
    return AppConfig(embedded=embedded, secrets=dict(secrets), remote=remote_config(secrets, env), room=room)


def build_registry(config: AppConfig | None = None) -> Registry:
    """Every configured provider, by name."""
    config = config or load_config()
    ROOM.set_limits(config.room)
    providers = {"embedded": EmbeddedProvider(config.embedded)}
    providers.update(remote_providers(config.remote or remote_config({}, {})))
    return Registry(providers)


# ---------------------------------------------------------------- remote backends
@dataclass
class RemoteConfig:
    """Every remote backend configured on the server (rows of providers.backends), plus the knobs they share.

    `ollama` and `endpoints` are views by kind, for readers of one kind of backend."""

    configs: list[tuple[str, Any]] = field(default_factory=list)  # (backend kind, that backend's config)
    timeouts: Timeouts | None = None
    retry: RetryPolicy | None = None
    allow_session_endpoints: bool = True  # may a visitor add an endpoint for their own session?

    @property
    def ollama(self) -> list[OllamaConfig]:
        return [c for kind, c in self.configs if kind == "ollama"]

    @property
    def endpoints(self) -> list[OpenAICompatConfig]:
        """The OpenAI-style endpoints (OpenAI, Azure, OpenRouter, compatible servers)."""
        return [c for _, c in self.configs if isinstance(c, OpenAICompatConfig)]


def _float(v, default: float) -> float:
    try:
        return float(v) if v not in (None, "") else default
    except (TypeError, ValueError):
        raise ValueError(f"Expected a number, got {v!r}") from None


def remote_config(secrets: Mapping, env: Mapping[str, str]) -> RemoteConfig:
    """Every backend of the table (providers.backends) from secrets.toml and the SDKs' usual env vars.

    Environment variables fill what secrets.toml leaves empty for the built-in names.
    """
    t = secrets.get("timeouts", {}) or {}
    timeouts = Timeouts(
        connect=_float(env.get("PLAYGROUND_CONNECT_TIMEOUT") or t.get("connect"), 5.0),
        read=_float(env.get("PLAYGROUND_READ_TIMEOUT") or t.get("read"), 120.0),
    )
    r = secrets.get("retries", {}) or {}
    retry = RetryPolicy(max_retries=int(r.get("max", 2)), base_delay=_float(r.get("base_delay"), 1.0),
                        max_delay=_float(r.get("max_delay"), 30.0))
    configs = server_configs(secrets, env, dict(timeouts=timeouts, retry=retry))
    allow = (secrets.get("settings", {}) or {}).get("allow_session_endpoints", True)
    if env.get("PLAYGROUND_ALLOW_SESSION_ENDPOINTS"):
        allow = env["PLAYGROUND_ALLOW_SESSION_ENDPOINTS"].lower() in ("1", "true", "yes")
    return RemoteConfig(configs=configs, timeouts=timeouts, retry=retry, allow_session_endpoints=bool(allow))


def _truthy(v) -> bool:
    return str(v).strip().lower() in ("1", "true", "yes", "on")


def session_allow_private_hosts(secrets: Mapping | None = None, env: Mapping[str, str] | None = None) -> bool:
    """May endpoints added by visitors point to loopback / LAN / link-local hosts? (default: no)

    `[session] allow_private_hosts = true` in secrets.toml, or PLAYGROUND_SESSION_ALLOW_PRIVATE_HOSTS=1
    (the environment wins). Read on every call: cheap, and never stale in a long-running server.
    """
    env = os.environ if env is None else env
    if env.get("PLAYGROUND_SESSION_ALLOW_PRIVATE_HOSTS"):
        return _truthy(env["PLAYGROUND_SESSION_ALLOW_PRIVATE_HOSTS"])
    try:
        secrets = load_secrets() if secrets is None else secrets
    except ValueError:
        return False
    value = (secrets.get("session", {}) or {}).get("allow_private_hosts", False)
    return value is True or (isinstance(value, str) and _truthy(value))


def tokenizer_allow_any_path(secrets: Mapping | None = None, env: Mapping[str, str] | None = None) -> bool:
    """May visitors type any server path to a GGUF file on the Tokenizers page? (default: no)

    `[tokenizer] allow_any_path = true` in secrets.toml, or PLAYGROUND_TOKENIZER_ANY_PATH=1 (env wins).
    """
    env = os.environ if env is None else env
    if env.get("PLAYGROUND_TOKENIZER_ANY_PATH"):
        return _truthy(env["PLAYGROUND_TOKENIZER_ANY_PATH"])
    try:
        secrets = load_secrets() if secrets is None else secrets
    except ValueError:
        return False
    value = (secrets.get("tokenizer", {}) or {}).get("allow_any_path", False)
    return value is True or (isinstance(value, str) and _truthy(value))


def offered_gguf_paths(secrets: Mapping | None = None, env: Mapping[str, str] | None = None) -> list[str]:
    """The GGUF files the server configured ([embedded] gguf_paths + PLAYGROUND_GGUF_PATHS)."""
    try:
        return list(load_config(secrets, env).embedded.gguf_paths)
    except ValueError:
        return []


def remote_providers(remote: RemoteConfig) -> dict:
    """Provider objects for every configured remote backend (no network is touched here)."""
    return {c.name: BY_KIND[kind].provider(c) for kind, c in remote.configs}
