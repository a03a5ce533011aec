"""The registry: provider objects by name, and routing of `provider/model` ids to them."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator, Mapping

from providers.base import (
    Capabilities,
    Description,
    Event,
    GenerationRequest,
    ModelInfo,
    ModelNotFound,
    Provider,
    ProviderError,
    split_model_id,
)


class Registry:
    def __init__(self, providers: Mapping[str, Provider]) -> None:
        self._providers = dict(providers)

    def with_providers(self, extra: Mapping[str, Provider]) -> "Registry":
        """This registry plus `extra` (a visitor's own endpoints); `extra` wins on a name clash."""
        return Registry({**self._providers, **extra})

    def describe(self, name: str) -> Description:
        """Kind, address and whether a key is set (never the key) of one provider."""
        return self.get(name).describe()

    def probe(self, name: str) -> dict:
        """A connection test of one provider; never raises (see Provider.probe)."""
        return self.get(name).probe()

    @property
    def names(self) -> list[str]:
        return list(self._providers)

    def get(self, name: str) -> Provider:
        try:
            return self._providers[name]
        except KeyError:
            known = ", ".join(sorted(self._providers)) or "none"
            raise ModelNotFound(f"Unknown provider “{name}” (configured: {known}).") from None

    def resolve(self, model_id: str) -> tuple[Provider, str]:
        provider_name, model = split_model_id(model_id)
        return self.get(provider_name), model

    def list_models(self) -> tuple[list[ModelInfo], dict[str, str]]:
        """All models of every provider, and a readable error per provider that failed.

        Providers are asked in parallel: several unreachable hosts cost one connect
        timeout, not the sum of them."""
        def one(item):
            name, provider = item
            try:
                return name, provider.list_models(), None
            except ProviderError as exc:
                return name, [], exc.message
            except Exception as exc:  # a broken backend must not hide the others
                return name, [], f"{type(exc).__name__}: {exc}"

        models: list[ModelInfo] = []
        errors: dict[str, str] = {}
        items = list(self._providers.items())
        if not items:
            return models, errors
        with ThreadPoolExecutor(max_workers=min(8, len(items))) as pool:
            for name, found, err in pool.map(one, items):  # map keeps the configured order
                models.extend(found)
                if err is not None:
                    errors[name] = err
        return models, errors

    def capabilities(self, model_id: str) -> Capabilities:
        provider, model = self.resolve(model_id)
        return provider.capabilities(model)

    def stream(self, request: GenerationRequest, cancel: threading.Event | None = None) -> Iterator[Event]:
        provider, _ = self.resolve(request.model)
        return provider.stream(request, cancel)

    def count_tokens(self, model_id: str, text: str) -> int | None:
        provider, model = self.resolve(model_id)
        return provider.count_tokens(model, text)
