"""Configuration: `.streamlit/secrets.toml` + environment variables -> provider configs and a registry."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

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
class EmbeddedConfig:
    gguf_paths: list[str] = field(default_factory=list)
    n_ctx: int = 4096
    n_threads: int | None = None
    cache_dir: str | None = None


@dataclass
class AppConfig:
    embedded: EmbeddedConfig = field(default_factory=EmbeddedConfig)
    secrets: dict = field(default_factory=dict)


def load_config(secrets: Mapping | None = None, env: Mapping[str, str] | None = None) -> AppConfig:
    env = os.environ if env is None else env
    secrets = load_secrets() if secrets is None else dict(secrets)
    emb = secrets.get("embedded", {}) or {}
    paths = list(emb.get("gguf_paths", []) or [])
    if env.get("PLAYGROUND_GGUF_PATHS"):
        paths += [p for p in env["PLAYGROUND_GGUF_PATHS"].split(os.pathsep) if p.strip()]
    n_threads = env.get("PLAYGROUND_N_THREADS") or emb.get("n_threads")
    embedded = EmbeddedConfig(
        gguf_paths=paths,
        n_ctx=int(env.get("PLAYGROUND_N_CTX") or emb.get("n_ctx") or 4096),
        n_threads=int(n_threads) if n_threads else None,
        cache_dir=env.get("PLAYGROUND_CACHE_DIR") or emb.get("cache_dir"),
    )
    return AppConfig(embedded=embedded, secrets=dict(secrets))


def build_registry(config: AppConfig | None = None):
    """Every configured provider, by name."""
    from providers.embedded import EmbeddedProvider
    from providers.registry import Registry

    config = config or load_config()
    providers = {"embedded": EmbeddedProvider(config.embedded)}
    return Registry(providers)
