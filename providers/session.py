"""Providers for endpoints a visitor adds on the Settings page (their session only, guarded)."""

from __future__ import annotations

from providers.base import ProviderError
from providers.netguard import Resolver, check_url, guarded_transport, session_error
from providers.ollama import OllamaConfig, OllamaProvider
from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider
from providers.remote import RetryPolicy, Timeouts


class SessionOpenAICompatProvider(OpenAICompatProvider):
    """An OpenAI-style endpoint typed by a visitor.

    Unless the server allows private hosts, every request (redirects included) first checks that
    the host resolves to public addresses only; error messages never quote what the server sent.
    """

    def __init__(self, config: OpenAICompatConfig, allow_private_hosts: bool = False,
                 resolver: Resolver | None = None) -> None:
        super().__init__(config)
        self.allow_private_hosts = allow_private_hosts
        if not allow_private_hosts:
            import openai

            http_client = openai.DefaultHttpxClient(transport=guarded_transport(_sdk_httpx(), resolver))
            self._client = self._client.with_options(http_client=http_client)

    def _translate(self, exc: BaseException, model: str, *, streaming: bool = False) -> ProviderError:
        err = super()._translate(exc, model, streaming=streaming)
        return session_error(err, exc, self._where(), model)


def _sdk_httpx():
    """The httpx flavour the installed openai SDK is built on (httpx2 in recent releases)."""
    import openai

    return __import__(openai.DefaultHttpxClient.__mro__[1].__module__.split(".")[0])


def make_session_provider(kind: str, name: str, url: str | None, key: str | None, *,
                          timeouts: Timeouts | None = None, retry: RetryPolicy | None = None,
                          allow_private_hosts: bool = False, resolver: Resolver | None = None):
    """A provider built from the visitor's fields alone (the server's keys are never involved).

    Raises BlockedHost / UnresolvableHost / InvalidRequest when the URL may not be used.
    """
    timeouts = timeouts or Timeouts()
    retry = retry or RetryPolicy()
    if url and not allow_private_hosts:
        check_url(url, resolver)
    if kind == "ollama":
        return OllamaProvider(OllamaConfig(name=name, host=url or "", api_key=key or None, timeouts=timeouts, retry=retry,
                                           session=True, allow_private_hosts=allow_private_hosts), resolver=resolver)
    return SessionOpenAICompatProvider(
        OpenAICompatConfig(name=name, kind=kind, base_url=url, api_key=key or None, timeouts=timeouts, retry=retry,
                           session=True),
        allow_private_hosts=allow_private_hosts, resolver=resolver,
    )
