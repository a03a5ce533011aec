"""The OpenAI-style provider for an endpoint a visitor adds on the Settings page (their session only,
guarded); providers.backends builds it (make_session_provider)."""

from __future__ import annotations

from providers.base import ProviderError
from providers.netguard import Resolver, guarded_transport, session_error
from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider


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
            import openai  # where it is used: seconds to import on a busy machine (netguard)

            http_client = openai.DefaultHttpxClient(transport=guarded_transport(_sdk_httpx(), resolver))
            self._client = self._client.with_options(http_client=http_client)

    def _translate(self, exc: BaseException, model: str, *, streaming: bool = False) -> ProviderError:
        err = super()._translate(exc, model, streaming=streaming)
        return session_error(err, exc, self._where(), model)


def _sdk_httpx():
    """The httpx flavour the installed openai SDK is built on (httpx2 in recent releases)."""
    import openai

    return __import__(openai.DefaultHttpxClient.__mro__[1].__module__.split(".")[0])
