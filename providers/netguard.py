"""Guard for endpoints a visitor adds in their session: public hosts only, no response bodies echoed."""

from __future__ import annotations

import ipaddress
import socket
from typing import Callable
from urllib.parse import urlsplit

import httpx

from providers.base import BackendUnavailable, ContextTooLong, InvalidRequest, ProviderError

# What a visitor's error message says instead of what the server sent back: echoing a body
# would let the page read internal services (SSRF), so only the HTTP status is kept.
HIDDEN_DETAIL = "details hidden for endpoints added in a session"

Resolver = Callable[[str, int], list[str]]
# Every reason forbidden_reason() can give (the Settings page translates each one).
REASONS = ("loopback", "unspecified", "link-local", "multicast", "private", "reserved", "not globally routable",
           "invalid")


class BlockedHost(InvalidRequest):
    """The host of a session endpoint resolves to an address visitors may not reach."""

    def __init__(self, message: str, *, host: str = "", address: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.host, self.address, self.reason = host, address, reason


class UnresolvableHost(BackendUnavailable):
    """The host of a session endpoint has no address."""


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def forbidden_reason(address: str) -> str | None:
    """Why an IP address is off limits for a visitor's endpoint (None when it is a public address)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id (fe80::1%eth0)
    except ValueError:
        return "invalid"
    # IPv4 carried inside IPv6 (::ffff:127.0.0.1, 6to4 2002:a9fe:a9fe::) is judged as that IPv4.
    if isinstance(ip, ipaddress.IPv6Address):
        ip = ip.ipv4_mapped or ip.sixtofour or ip
    checks = (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("not globally routable", not ip.is_global),  # carrier-grade NAT 100.64/10, documentation ranges...
    )
    for name, hit in checks:
        if hit:
            return name
    return None


def check_host(host: str | None, port: int | None = None, resolver: Resolver | None = None,
               forbidden: Callable[[str], str | None] | None = None) -> list[str]:
    """Raise BlockedHost unless EVERY address `host` resolves to is public; return those addresses.

    `forbidden` is the policy (None: forbidden_reason; tests pass one where the loopback test
    server stands for a public host)."""
    forbidden = forbidden or forbidden_reason
    if not host:
        raise BlockedHost("The endpoint URL has no host name.")
    resolver = resolver or _system_resolver
    host = host.strip("[]")
    try:
        addresses = resolver(host, port or 443)
    except (OSError, UnicodeError) as exc:
        raise UnresolvableHost(f"Unknown host: {host} cannot be resolved ({type(exc).__name__}).") from None
    if not addresses:
        raise UnresolvableHost(f"Unknown host: {host} cannot be resolved.")
    for address in addresses:
        reason = forbidden(address)
        if reason:
            raise BlockedHost(
                f"{host} points to a {reason} address ({address}): endpoints added in a session must be public "
                "hosts. The server's administrator can allow private hosts ([session] allow_private_hosts = true).",
                host=host, address=address, reason=reason,
            )
    return list(addresses)


def check_url(url: str, resolver: Resolver | None = None) -> None:
    """check_host for the host of an http(s) URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidRequest("The endpoint URL is not valid.") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidRequest("The endpoint URL must start with http:// or https://.")
    check_host(parts.hostname, port or (443 if parts.scheme == "https" else 80), resolver)


def guarded_transport(httpx_module=httpx, resolver: Resolver | None = None,
                      forbidden: Callable[[str], str | None] | None = None, **kwargs):
    """An HTTP transport (of `httpx_module`: httpx, or the openai SDK's httpx2) that resolves and
    checks the host before every request, redirects included, then connects to the address it
    checked.

    Checking a name and letting the connection resolve it again is open to DNS rebinding (a name
    that answers a public address to the check and 127.0.0.1 to the connection: 28 requests in
    1,045 reached loopback that way). So the request goes to the checked IP itself; the Host
    header, the TLS SNI and the certificate check keep the original name (httpcore's
    `sni_hostname` extension), so virtual hosts and HTTPS work as before.
    """

    class GuardedTransport(httpx_module.HTTPTransport):
        def handle_request(self, request):
            url = request.url
            addresses = check_host(url.host, url.port or (443 if url.scheme == "https" else 80), resolver, forbidden)
            # Like socket.create_connection, try each address in turn (an IPv6 answer first on a
            # machine without IPv6 must not fail the request); every one of them was checked.
            for i, address in enumerate(addresses):
                try:
                    return super().handle_request(aimed_at(httpx_module, request, address))
                except httpx_module.ConnectError:
                    if i == len(addresses) - 1:
                        raise

    return GuardedTransport(**kwargs)


def aimed_at(httpx_module, request, address: str):
    """A copy of `request` sent to `address` (checked), still naming the original host.

    A copy, not the request itself: the client reads the original URL to follow redirects and
    to decide which headers a redirect may keep."""
    url = request.url
    extensions = dict(request.extensions)
    if url.scheme == "https":
        extensions.setdefault("sni_hostname", url.host)  # TLS names and verifies the original host
    headers = request.headers.copy()
    headers.setdefault("Host", url.netloc.decode("ascii"))
    return httpx_module.Request(request.method, url.copy_with(host=address.split("%", 1)[0]), headers=headers,
                                stream=request.stream, extensions=extensions)


def blocked_in_chain(exc: BaseException | None) -> ProviderError | None:
    """The BlockedHost / unresolvable-host error somewhere in an exception's cause chain, if any."""
    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, (BlockedHost, UnresolvableHost)):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def session_error(err: ProviderError, exc: BaseException, where: str, model: str) -> ProviderError:
    """The same kind of error, with nothing the server sent back: HTTP status and a generic message.

    `err` is the provider's usual translation of `exc`; its message may quote the response body.
    Its `status` and `param` (our own tokens, not the server's words) are kept: the providers
    retry and adapt on them exactly as for the server's own backends.
    """
    blocked = blocked_in_chain(exc)
    if blocked is not None:
        return blocked
    status = getattr(exc, "status_code", None)
    if isinstance(status, int) and status > 0:
        message = f"{where} answered HTTP {status} for “{model}” ({HIDDEN_DETAIL}){_hints(err)}."
    elif _our_own_words(exc):
        return err  # connection refused, timeouts...: written by us, nothing from the server
    else:
        message = f"{where} reported an error for “{model}” ({HIDDEN_DETAIL})."
    return type(err)(message, retry_after=err.retry_after, status=err.status, param=err.param)


def _hints(err: ProviderError) -> str:
    """Fixed phrases (our words, not the server's) for what the providers adapt to at run time:
    they retry without stream_options or logprobs when a refusal names them."""
    hints = []
    if isinstance(err, ContextTooLong):
        hints.append("the prompt is probably too long for the model's context")
    if err.param == "stream_options":
        hints.append("the server refused stream_options")
    if err.param == "logprobs":
        hints.append("the server refused logprobs")
    return "".join(f"; {h}" for h in hints)


def _our_own_words(exc: BaseException) -> bool:
    """Errors whose translated message holds no server-sent text (transport failures)."""
    if isinstance(exc, (httpx.TransportError, ConnectionError, TimeoutError)):
        return True
    if type(exc).__module__.startswith("httpx") and "TransportError" in {c.__name__ for c in type(exc).__mro__}:
        return True  # the openai SDK's httpx2 twin
    # includes APITimeoutError; the body is never read. The SDK is imported where it is used,
    # as in openai_endpoint: importing it costs seconds on a busy 2-core machine, and a page that
    # lists only embedded models must not wait for it (bench/startup.py, docs/BENCHMARKS.md).
    import openai

    return isinstance(exc, openai.APIConnectionError)
