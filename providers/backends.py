"""The backend table: one row per kind of remote backend, read by the configuration, the Settings
page and the visitors' session endpoints. Adding a native backend is one module and one row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from providers.base import Provider
from providers.config_values import ConfigError, names, table, text, wrong_type
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
# Every value is read through providers.config_values: a value of the wrong type is one
# ConfigError naming where it is, never an AttributeError deep in the configuration.
def names_list(v, where: str = "a list of models") -> tuple[str, ...]:
    """`"a, b"` or `["a", "b"]` -> ("a", "b")."""
    return names(v, where)


def _ollama_configs(secrets: Mapping, env: Mapping[str, str], common: dict) -> list[OllamaConfig]:
    out = []
    o = table(secrets, "ollama")
    host = text(o, "host", "[ollama] host") or env.get("OLLAMA_HOST")
    if host:
        out.append(OllamaConfig(name="ollama", host=str(host), api_key=text(o, "api_key", "[ollama] api_key"), **common))
    for label, h in table(o, "hosts", "[ollama] hosts").items():
        where = f"[ollama.hosts.{label}]"
        if isinstance(h, str):
            h = {"host": h}
        elif not isinstance(h, Mapping):
            raise wrong_type(where, "table", h)
        if not text(h, "host", f"{where} host"):
            raise ConfigError(f"{where} needs host = \"http://...:11434\"", code="needs",
                              params={"where": where, "line": 'host = "http://...:11434"'})
        out.append(OllamaConfig(name=f"ollama-{label}", host=h["host"], api_key=text(h, "api_key", f"{where} api_key"),
                                **common))
    return out


def _openai_configs(secrets: Mapping, env: Mapping[str, str], common: dict) -> list[OpenAICompatConfig]:
    """OpenAI, from [openai] or the variables the SDK itself reads (OPENAI_API_KEY, OPENAI_BASE_URL,
    OPENAI_ORG_ID, OPENAI_PROJECT_ID, OPENAI_CUSTOM_HEADERS). A base URL alone is enough: a local
    server often needs no key. Everything read here goes to that one base URL only."""
    oa = table(secrets, "openai")
    key = text(oa, "api_key", "[openai] api_key") or env.get("OPENAI_API_KEY")
    base_url = text(oa, "base_url", "[openai] base_url") or env.get("OPENAI_BASE_URL")
    if not (key or base_url):
        return []
    headers = parse_header_lines(env.get("OPENAI_CUSTOM_HEADERS"))
    return [OpenAICompatConfig(name="openai", kind="openai", base_url=base_url, api_key=key,
                               organization=text(oa, "organization", "[openai] organization") or env.get("OPENAI_ORG_ID"),
                               project=text(oa, "project", "[openai] project") or env.get("OPENAI_PROJECT_ID"),
                               models=names_list(oa.get("models"), "[openai] models"), headers=headers, **common)]


def _azure_configs(secrets: Mapping, env: Mapping[str, str], common: dict) -> list[OpenAICompatConfig]:
    az = table(secrets, "azure")
    key = text(az, "api_key", "[azure] api_key") or env.get("AZURE_OPENAI_API_KEY")
    endpoint = text(az, "endpoint", "[azure] endpoint") or env.get("AZURE_OPENAI_ENDPOINT")
    base_url = text(az, "base_url", "[azure] base_url")
    if not (key and (endpoint or base_url)):
        return []
    return [OpenAICompatConfig(
        name="azure", kind="azure", base_url=base_url, azure_endpoint=endpoint, api_key=key,
        api_version=text(az, "api_version", "[azure] api_version") or env.get("OPENAI_API_VERSION") or "2024-10-21",
        models=names_list(az.get("deployments") or env.get("AZURE_OPENAI_DEPLOYMENTS"), "[azure] deployments"),
        **common,
    )]


def _openrouter_configs(secrets: Mapping, env: Mapping[str, str], common: dict) -> list[OpenAICompatConfig]:
    orr = table(secrets, "openrouter")
    key = text(orr, "api_key", "[openrouter] api_key") or env.get("OPENROUTER_API_KEY")
    if not key:
        return []
    headers = {k: v for k, v in (("HTTP-Referer", text(orr, "referer", "[openrouter] referer")),
                                 ("X-Title", text(orr, "title", "[openrouter] title") or "LLM Playground")) if v}
    return [OpenAICompatConfig(name="openrouter", kind="openrouter", base_url=text(orr, "base_url", "[openrouter] base_url"),
                               api_key=key, models=names_list(orr.get("models"), "[openrouter] models"), headers=headers,
                               **common)]


def _compatible_configs(secrets: Mapping, env: Mapping[str, str], common: dict) -> list[OpenAICompatConfig]:
    out = []
    for name, c in table(secrets, "openai_compatible").items():
        where = f"[openai_compatible.{name}]"
        if name in RESERVED_NAMES or name.startswith("ollama-"):
            raise ConfigError(f"{where}: “{name}” is a reserved backend name, pick another one.", code="reserved_name",
                              params={"where": where, "name": name})
        if not isinstance(c, Mapping):
            raise wrong_type(where, "table", c)
        base_url = text(c, "base_url", f"{where} base_url")
        if not base_url:
            raise ConfigError(f"{where} needs base_url = \"http://host:port/v1\"", code="needs",
                              params={"where": where, "line": 'base_url = "http://host:port/v1"'})
        out.append(OpenAICompatConfig(name=name, kind="compatible", base_url=base_url,
                                      api_key=text(c, "api_key", f"{where} api_key"),
                                      models=names_list(c.get("models"), f"{where} models"),
                                      completion_models=names_list(c.get("completion_models"), f"{where} completion_models"),
                                      **common))
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
