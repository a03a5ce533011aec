"""DNS rebinding: a visitor's endpoint is connected to at the very address that was checked.

A name that answers a public address to the check and 127.0.0.1 to the connection used to get
through now and then. The guarded transport resolves once per request (each redirect hop
included), checks, and connects to that address, keeping the name for Host, SNI and the
certificate check.

The test server listens on 127.0.0.1, which the real policy refuses; these tests pass a policy
where exactly 127.0.0.1 stands for "a public address" and every other address is judged as usual.
The names used (`*.test`) do not resolve on this machine: a request that reaches the server can
only have gone to the address the injected resolver gave.
"""

from __future__ import annotations

import datetime
import ssl

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pytest_httpserver import HTTPServer

from providers.netguard import BlockedHost, forbidden_reason, guarded_transport


def stand_in_public(address: str) -> str | None:
    """The real policy, except 127.0.0.1 (where the test server listens) counts as public."""
    return None if address == "127.0.0.1" else forbidden_reason(address)


class FlippingResolver:
    """Answers `answers` in turn (the last one forever after), recording every question."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers, self.calls = list(answers), []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        return self.answers[min(len(self.calls), len(self.answers)) - 1]


def client(resolver, **kwargs) -> httpx.Client:
    return httpx.Client(transport=guarded_transport(httpx, resolver, forbidden=stand_in_public, **kwargs),
                        follow_redirects=True, timeout=10)


def test_the_connection_goes_to_the_checked_address_and_a_loopback_answer_is_refused(httpserver):
    httpserver.expect_request("/v1/models").respond_with_json({"data": []})
    resolver = FlippingResolver(["127.0.0.1"], ["127.0.0.2"])  # "public", then loopback (rebinding)
    url = f"http://rebind.test:{httpserver.port}/v1/models"
    with client(resolver) as c:
        assert c.get(url).json() == {"data": []}
        request, _ = httpserver.log[-1]
        assert request.headers["Host"] == f"rebind.test:{httpserver.port}"  # virtual hosts still work
        assert resolver.calls == ["rebind.test"]  # one resolution: the connection did not ask again
        with pytest.raises(BlockedHost) as info:
            c.get(url)
    assert info.value.address == "127.0.0.2" and info.value.reason == "loopback"
    assert len(httpserver.log) == 1  # the second request never left


def test_the_real_policy_refuses_a_name_answering_loopback(httpserver):
    httpserver.expect_request("/").respond_with_data("internal")
    resolver = FlippingResolver(["127.0.0.1"])
    with httpx.Client(transport=guarded_transport(httpx, resolver), timeout=10) as c:
        with pytest.raises(BlockedHost):
            c.get(f"http://rebind.test:{httpserver.port}/")
    assert httpserver.log == []


def test_every_redirect_hop_is_resolved_checked_and_pinned(httpserver):
    port = httpserver.port
    httpserver.expect_request("/start").respond_with_data("", status=302,
                                                          headers={"Location": f"http://again.test:{port}/next"})
    httpserver.expect_request("/next").respond_with_data("", status=302,
                                                         headers={"Location": f"http://inside.test:{port}/secret"})
    httpserver.expect_request("/secret").respond_with_data("metadata")
    answers = {"rebind.test": ["127.0.0.1"], "again.test": ["127.0.0.1"], "inside.test": ["127.0.0.3"]}
    asked = []

    def resolver(host, p):
        asked.append(host)
        return answers[host]

    with client(resolver) as c:
        with pytest.raises(BlockedHost) as info:
            c.get(f"http://rebind.test:{port}/start")
    assert asked == ["rebind.test", "again.test", "inside.test"]
    assert [r.path for r, _ in httpserver.log] == ["/start", "/next"]  # /secret never reached
    assert info.value.host == "inside.test"


def test_each_checked_address_is_tried_in_turn_and_only_those(httpserver):
    # 127.0.0.9 stands for a second public address where nothing listens (refused): the next
    # checked address is tried, as socket.create_connection would; nothing else is
    httpserver.expect_request("/v1/models").respond_with_json({"data": []})

    def policy(address):
        return None if address in ("127.0.0.1", "127.0.0.9") else forbidden_reason(address)

    resolver = FlippingResolver(["127.0.0.9", "127.0.0.1"])
    with httpx.Client(transport=guarded_transport(httpx, resolver, forbidden=policy), timeout=10) as c:
        assert c.get(f"http://rebind.test:{httpserver.port}/v1/models").json() == {"data": []}
        resolver.answers = [["127.0.0.9"]]
        with pytest.raises(httpx.ConnectError):
            c.get(f"http://rebind.test:{httpserver.port}/v1/models")
    assert len(httpserver.log) == 1


# ---------------------------------------------------------------- HTTPS: SNI and the certificate keep the name
def self_signed(tmp_path, name: str) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@pytest.fixture()
def tls_server(tmp_path):
    cert, key = self_signed(tmp_path, "rebind.test")
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=server_ctx)
    server.expect_request("/v1/models").respond_with_json({"data": [{"id": "m"}]})
    server.start()
    try:
        yield server, cert
    finally:
        server.clear()
        if server.is_running():
            server.stop()


def test_https_to_the_pinned_address_verifies_the_certificate_of_the_name(tls_server):
    server, cert = tls_server
    trust = ssl.create_default_context(cafile=cert)
    with client(FlippingResolver(["127.0.0.1"]), verify=trust) as c:
        assert c.get(f"https://rebind.test:{server.port}/v1/models").json() == {"data": [{"id": "m"}]}
    # the same server reached under another name: its certificate does not match, refused
    with client(FlippingResolver(["127.0.0.1"]), verify=trust) as c:
        with pytest.raises(httpx.ConnectError, match="certificate|hostname"):
            c.get(f"https://elsewhere.test:{server.port}/v1/models")
