"""Configuration: `.streamlit/secrets.toml` + environment variables -> provider configs and a registry."""

from __future__ import annotations

import logging
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from playground.i18n import DEFAULT_LANGUAGE, catalogue, translate
from playground.room import ROOM, RoomLimits
from providers.backends import BY_KIND, server_configs
from providers.config_values import ConfigError, number, table, whole_number, wrong_type
from providers.embedded import EmbeddedConfig, EmbeddedProvider
from providers.ollama import OllamaConfig
from providers.openai_compat import OpenAICompatConfig
from providers.registry import Registry
from providers.remote import RetryPolicy, Timeouts

REPO_ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


def secrets_paths() -> list[Path]:
    """Where secrets are read from, like Streamlit: ~/.streamlit then ./.streamlit (later wins)."""
    env = os.environ.get("PLAYGROUND_SECRETS")
    if env:
        return [Path(env)]
    return [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"]


def load_secrets(paths: list[Path] | None = None) -> dict:
    """The merged secrets files. A file that cannot be read raises ConfigError with a short
    reason for visitors (file name, line and column: no absolute path); the server log gets the
    full path and the parser's words."""
    merged: dict = {}
    for p in paths if paths is not None else secrets_paths():
        try:
            with open(p, "rb") as fh:
                merged.update(tomllib.load(fh))
        except FileNotFoundError:
            continue
        except tomllib.TOMLDecodeError as exc:
            log.error("Cannot read %s: %s", p, exc)
            at = re.search(r"line (\d+), column (\d+)", str(exc))
            line, column = (at.group(1), at.group(2)) if at else ("?", "?")
            raise ConfigError(f"{p.name} is not valid TOML (line {line}, column {column}); the server log has the details.",
                              code="syntax", params={"file": p.name, "line": line, "column": column}) from None
        except OSError as exc:
            log.error("Cannot read %s: %s", p, exc)
            raise ConfigError(f"{p.name} cannot be read ({exc.strerror or type(exc).__name__}).",
                              code="unreadable", params={"file": p.name, "reason": exc.strerror or type(exc).__name__}) from None
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
    emb = table(secrets, "embedded")
    gguf = emb.get("gguf_paths") or []
    if isinstance(gguf, str):
        gguf = [gguf]  # one path written as a text, not a list of its characters
    if not isinstance(gguf, list) or not all(isinstance(p, str) for p in gguf):
        raise wrong_type("[embedded] gguf_paths", "list of names", gguf)
    paths = list(gguf)
    if env.get("PLAYGROUND_GGUF_PATHS"):
        paths += [p for p in env["PLAYGROUND_GGUF_PATHS"].split(os.pathsep) if p.strip()]

    def setting(env_name: str, key: str, default):
        if env.get(env_name):
            value = whole_number(env[env_name], env_name)
        else:
            value = whole_number(emb.get(key), f"[embedded] {key}")
        return default if value is None else value

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


def registry_or_embedded(config_loader=None) -> tuple[Registry, ConfigError | None]:
    """The configured registry, or (when the configuration is wrong) the embedded models alone
    and the ConfigError saying what is wrong where: a typo in secrets.toml must not take the
    in-process models down with it, on the projector or on the command line."""
    try:
        return build_registry((config_loader or load_config)()), None
    except ConfigError as exc:
        return build_registry(AppConfig()), exc
    except (TypeError, AttributeError, ValueError) as exc:  # a reader this module forgot to check
        log.exception("Cannot use the server configuration")
        return build_registry(AppConfig()), ConfigError(
            f"secrets.toml holds a value this app cannot use ({type(exc).__name__}); the server log has the details.",
            code="unusable", params={"error": type(exc).__name__})


def describe_config_error(exc: ConfigError, lang: str = DEFAULT_LANGUAGE) -> str:
    """A configuration problem in the person's language (its English message when uncatalogued)."""
    key = f"config.{exc.code}"
    if key not in catalogue():
        return exc.message
    params = {k: translate(f"config.type.{v}", lang) if k in ("expected", "got") else v for k, v in exc.params.items()}
    try:
        return translate(key, lang, **params)
    except (KeyError, IndexError, ValueError):
        return exc.message


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


def _float(v, default: float, where: str = "a number") -> float:
    value = number(v, where)
    return default if value is None else value


def _seconds(env: Mapping[str, str], env_name: str, section: Mapping, key: str, default: float) -> float:
    """A timeout in seconds: a positive, finite number (a negative one used to surface as a
    "malformed chunk" from deep inside the HTTP client)."""
    where = env_name if env.get(env_name) else f"[timeouts] {key}"
    value = _float(env.get(env_name) or section.get(key), default, where)
    if not (0 < value < float("inf")):
        origin = "secrets.toml: " if where.startswith("[") else ""
        raise ConfigError(f"{origin}{where} must be a number of seconds above 0 (got {value:g}).",
                          code="timeout_range", params={"where": where, "value": value})
    return value


def remote_config(secrets: Mapping, env: Mapping[str, str]) -> RemoteConfig:
    """Every backend of the table (providers.backends) from secrets.toml and the SDKs' usual env vars.

    Environment variables fill what secrets.toml leaves empty for the built-in names.
    """
    t = table(secrets, "timeouts")
    timeouts = Timeouts(
        connect=_seconds(env, "PLAYGROUND_CONNECT_TIMEOUT", t, "connect", 5.0),
        read=_seconds(env, "PLAYGROUND_READ_TIMEOUT", t, "read", 120.0),
    )
    r = table(secrets, "retries")
    max_retries = whole_number(r.get("max"), "[retries] max")
    retry = RetryPolicy(max_retries=2 if max_retries is None else max_retries,
                        base_delay=_float(r.get("base_delay"), 1.0, "[retries] base_delay"),
                        max_delay=_float(r.get("max_delay"), 30.0, "[retries] max_delay"))
    configs = server_configs(secrets, env, dict(timeouts=timeouts, retry=retry))
    allow = table(secrets, "settings").get("allow_session_endpoints", True)
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
    section = secrets.get("session")
    value = section.get("allow_private_hosts", False) if isinstance(section, Mapping) else False
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
    section = secrets.get("tokenizer")
    value = section.get("allow_any_path", False) if isinstance(section, Mapping) else False
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
