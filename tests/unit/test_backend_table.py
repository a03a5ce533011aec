"""The backend table and the provider contract: every row is complete, every remote provider
describes itself without its key, and the registry answers for the embedded provider too."""

from __future__ import annotations

import pytest

from playground.config import remote_config, remote_providers
from playground.i18n import catalogue
from providers.backends import BACKENDS, BY_KIND, RESERVED_NAMES, SESSION_KINDS, make_session_provider
from providers.base import Capabilities, Description, Provider
from providers.registry import Registry

CANARY = "sk-canary-table-0123456789"
SECRETS = {
    "ollama": {"host": "http://127.0.0.1:9"},
    "openai": {"api_key": CANARY},
    "azure": {"api_key": CANARY, "endpoint": "https://res.openai.azure.com"},
    "openrouter": {"api_key": CANARY},
    "openai_compatible": {"lab": {"base_url": "http://127.0.0.1:9/v1"}},
}


def test_every_row_names_its_kind_in_both_languages():
    strings = catalogue()
    for backend in BACKENDS:
        assert set(strings[backend.label_key]) == {"fr", "en"}, backend.kind
    assert set(SESSION_KINDS) <= {b.kind for b in BACKENDS if b.session is not None}
    assert {"embedded", *(b.kind for b in BACKENDS if b.kind != "compatible")} <= set(RESERVED_NAMES)


def test_each_configured_backend_is_a_provider_that_describes_itself_without_its_key():
    providers = remote_providers(remote_config(SECRETS, {}))
    assert list(providers) == ["ollama", "openai", "azure", "openrouter", "lab"]
    for name, provider in providers.items():
        assert isinstance(provider, Provider), name
        about = provider.describe()
        assert about.kind == (name if name != "lab" else "compatible")
        assert CANARY not in repr(about)
        assert about.has_key == (name in ("openai", "azure", "openrouter"))


def test_the_embedded_provider_keeps_the_whole_contract():
    from providers.embedded import EmbeddedProvider

    reg = Registry({"embedded": EmbeddedProvider()})
    assert reg.describe("embedded") == Description(kind="embedded")  # no address, no key
    probe = reg.probe("embedded")
    assert probe["reachable"] and probe["in_process"] and probe["models"] >= 2
    assert not Capabilities().exact_logits  # only in-process models have the full logits


def test_a_visitor_cannot_add_an_unknown_kind():
    with pytest.raises(ValueError, match="cannot add"):
        make_session_provider("smtp", "mine", "http://example.com", None)
    assert BY_KIND["ollama"].session_needs_url and BY_KIND["compatible"].session_needs_url
