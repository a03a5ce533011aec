"""The backend table: one row per kind of remote backend, read by the configuration, the Settings
page and the visitors' session endpoints. Adding a native backend is one module and one row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from providers.base import Provider
from providers.netguard import Resolver, check_url
from providers.ollama import OllamaConfig, OllamaProvider
from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider
from providers.openai_endpoint import parse_header_lines
from providers.remote import RetryPolicy, Timeouts
from providers.session import SessionOpenAICompatProvider


@dataclass(frozen=True)
class SessionFields:
    """What a visitor typed on the Settings page, plus the server's shared knobs."""

    name: str
    url: str | None
    key: str | None
    timeouts: Timeouts
    retry: RetryPolicy
    allow_private_hosts: bool = False
    resolver: Resolver | None = None


@dataclass(frozen=True)
class Backend:
    """One kind of backend: how the server configures it and how a visitor may add one."""

    kind: str
    label_key: str  # the catalogue key naming this kind on the Settings page
    # (secrets, env, {"timeouts":…, "retry":…}) -> the configs the server declares
    configs: Callable[[Mapping, Mapping[str, str], dict], list]
    provider: Callable[[Any], Provider]  # a provider from one of those configs
    session: Callable[[SessionFields], Provider] | None = None  # None: visitors cannot add one
    session_needs_url: bool = False


# ---------------------------------------------------------------- reading secrets.toml + env
def names_list(v) -> tuple[str, ...]:
    """`"a, b"` or `["a", "b"]` -> ("a", "b")."""
    if v is None:
        return ()
    if isinstance(v, str):
        return tuple(x.strip() for x in v.split(",") if x.strip())
    return tuple(str(x) for x in v)


def _ollama_configs(secrets: Mapping, env: Mapping[str, str], common: dict) -> list[OllamaConfig]:
    out = []
    o = dict(secrets.get("ollama", {}) or {})
    host = o.get("host") or env.get("OLLAMA_HOST")
    if host:
        out.append(OllamaConfig(name="ollama", host=str(host), api_key=o.get("api_key"), **common))
    for label, h in (o.get("hosts", {}) or {}).items():
        h = h if isinstance(h, Mapping) else {"host": h}
        if not h.get("host"):
            raise ValueError(f"[ollama.hosts.{label}] needs host = \"http://...:11434\"")
        out.append(OllamaConfig(name=f"ollama-{label}", host=str(h["host"]), api_key=h.get("api_key"), **common))
    return out


def _openai_configs(secrets: Mapping, env: Mapping[str, str], common: dict) -> list[OpenAICompatConfig]:
    """OpenAI, from [openai] or the variables the SDK itself reads (OPENAI_API_KEY, OPENAI_BASE_URL,
    OPENAI_ORG_ID, OPENAI_PROJECT_ID, OPENAI_CUSTOM_HEADERS). A base URL alone is enough: a local
    server often needs no key. Everything read here goes to that one base URL only."""
    oa = secrets.get("openai", {}) or {}
    key = oa.get("api_key") or env.get("OPENAI_API_KEY")
    base_url = oa.get("base_url") or env.get("OPENAI_BASE_URL")
    if not (key or base_url):
        return []
    headers = parse_header_lines(env.get("OPENAI_CUSTOM_HEADERS"))
    return [OpenAICompatConfig(name="openai", kind="openai", base_url=base_url, api_key=key,
                               organization=oa.get("organization") or env.get("OPENAI_ORG_ID"),
                               project=oa.get("project") or env.get("OPENAI_PROJECT_ID"),
                               models=names_list(oa.get("models")), headers=headers, **common)]


def _azure_configs(secrets: Mapping, env: Mapping[str, str], common: dict) -> list[OpenAICompatConfig]:
    az = secrets.get("azure", {}) or {}
    key = az.get("api_key") or env.get("AZURE_OPENAI_API_KEY")
    endpoint = az.get("endpoint") or env.get("AZURE_OPENAI_ENDPOINT")
    if not (key and (endpoint or az.get("base_url"))):
        return []
    return [OpenAICompatConfig(
        name="azure", kind="azure", base_url=az.get("base_url"), azure_endpoint=endpoint, api_key=key,
        api_version=az.get("api_version") or env.get("OPENAI_API_VERSION") or "2024-10-21",
        models=names_list(az.get("deployments") or env.get("AZURE_OPENAI_DEPLOYMENTS")), **common,
    )]


def _openrouter_configs(secrets: Mapping, env: Mapping[str, str], common: dict) -> list[OpenAICompatConfig]:
    orr = secrets.get("openrouter", {}) or {}
    key = orr.get("api_key") or env.get("OPENROUTER_API_KEY")
    if not key:
        return []
    headers = {k: v for k, v in (("HTTP-Referer", orr.get("referer")), ("X-Title", orr.get("title") or "LLM Playground")) if v}
    return [OpenAICompatConfig(name="openrouter", kind="openrouter", base_url=orr.get("base_url"), api_key=key,
                               models=names_list(orr.get("models")), headers=headers, **common)]


def _compatible_configs(secrets: Mapping, env: Mapping[str, str], common: dict) -> list[OpenAICompatConfig]:
    out = []
    for name, c in (secrets.get("openai_compatible", {}) or {}).items():
        if name in RESERVED_NAMES or name.startswith("ollama-"):
            raise ValueError(f"[openai_compatible.{name}]: “{name}” is a reserved backend name, pick another one.")
        if not isinstance(c, Mapping) or not c.get("base_url"):
            raise ValueError(f"[openai_compatible.{name}] needs base_url = \"http://host:port/v1\"")
        out.append(OpenAICompatConfig(name=name, kind="compatible", base_url=str(c["base_url"]), api_key=c.get("api_key"),
                                      models=names_list(c.get("models")),
                                      completion_models=names_list(c.get("completion_models")), **common))
    return out


# ---------------------------------------------------------------- a visitor's endpoint
def _ollama_session(f: SessionFields) -> Provider:
    return OllamaProvider(OllamaConfig(name=f.name, host=f.url or "", api_key=f.key or None, timeouts=f.timeouts,
                                       retry=f.retry, session=True, allow_private_hosts=f.allow_private_hosts),
                          resolver=f.resolver)


def _openai_style_session(kind: str) -> Callable[[SessionFields], Provider]:
    def build(f: SessionFields) -> Provider:
        return SessionOpenAICompatProvider(
            OpenAICompatConfig(name=f.name, kind=kind, base_url=f.url, api_key=f.key or None, timeouts=f.timeouts,
                               retry=f.retry, session=True),
            allow_private_hosts=f.allow_private_hosts, resolver=f.resolver,
        )

    return build


# The table. Order matters: it is the order of the Settings form and of the configured backends.
BACKENDS: tuple[Backend, ...] = (
    Backend("ollama", "settings.kind_ollama", _ollama_configs, OllamaProvider, _ollama_session, session_needs_url=True),
    Backend("openai", "settings.kind_openai", _openai_configs, OpenAICompatProvider, _openai_style_session("openai")),
    Backend("azure", "settings.kind_azure", _azure_configs, OpenAICompatProvider, _openai_style_session("azure")),
    Backend("openrouter", "settings.kind_openrouter", _openrouter_configs, OpenAICompatProvider,
            _openai_style_session("openrouter")),
    Backend("compatible", "settings.kind_compatible", _compatible_configs, OpenAICompatProvider,
            _openai_style_session("compatible"), session_needs_url=True),
)
BY_KIND = {b.kind: b for b in BACKENDS}
# Names a server's [openai_compatible.<name>] section or a visitor's endpoint may not take: the
# in-process models and every named kind ("compatible" servers are named by whoever adds them).
RESERVED_NAMES = ("embedded", *(b.kind for b in BACKENDS if b.kind != "compatible"))
# What the Settings form offers a visitor, in the order it has always shown them.
SESSION_KINDS = ("compatible", "openai", "openrouter", "ollama")


def server_configs(secrets: Mapping, env: Mapping[str, str], common: dict) -> list[tuple[str, Any]]:
    """(kind, config) for every backend the server declares, in table order."""
    return [(b.kind, c) for b in BACKENDS for c in b.configs(secrets, env, common)]


def make_session_provider(kind: str, name: str, url: str | None, key: str | None, *,
                          timeouts: Timeouts | None = None, retry: RetryPolicy | None = None,
                          allow_private_hosts: bool = False, resolver: Resolver | None = None) -> Provider:
    """A provider built from the visitor's fields alone (the server's keys are never involved).

    Raises BlockedHost / UnresolvableHost / InvalidRequest when the URL may not be used.
    """
    backend = BY_KIND.get(kind)
    if backend is None or backend.session is None:
        raise ValueError(f"Visitors cannot add a {kind!r} endpoint (use one of {', '.join(SESSION_KINDS)}).")
    if url and not allow_private_hosts:
        check_url(url, resolver)
    return backend.session(SessionFields(name=name, url=url, key=key, timeouts=timeouts or Timeouts(),
                                         retry=retry or RetryPolicy(), allow_private_hosts=allow_private_hosts,
                                         resolver=resolver))
