"""Endpoints added by a visitor: public hosts only (when added and before every request), no bodies echoed."""

from __future__ import annotations

import pytest
from remote_shapes import OLLAMA_TAGS
from werkzeug.wrappers import Response

from providers import netguard
from providers.backends import make_session_provider
from providers.netguard import BlockedHost, UnresolvableHost, check_url, forbidden_reason
from providers.remote import RetryPolicy, Timeouts

FAST = dict(timeouts=Timeouts(connect=1.0, read=2.0), retry=RetryPolicy(max_retries=0))
INTERNAL = "INTERNAL-METADATA-ami-id-i-0123456789"


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.9.9.9", "::1", "169.254.169.254", "fe80::1", "fe80::1%eth0", "10.0.0.5", "172.16.3.4",
    "192.168.1.10", "fd00::1", "224.0.0.1", "ff02::1", "0.0.0.0", "::", "240.0.0.1", "100.64.0.1",
    "::ffff:127.0.0.1", "::ffff:169.254.169.254", "198.18.0.1", "2002:a9fe:a9fe::1", "2002:7f00:1::1",
])
def test_non_public_addresses_are_refused(address):
    assert forbidden_reason(address) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_pass(address):
    assert forbidden_reason(address) is None


def test_reasons_name_the_kind_of_address():
    assert forbidden_reason("127.0.0.1") == "loopback" and forbidden_reason("::1") == "loopback"
    assert forbidden_reason("169.254.169.254") == "link-local" and forbidden_reason("0.0.0.0") == "unspecified"
    assert forbidden_reason("192.168.1.10") == "private" and forbidden_reason("ff02::1") == "multicast"


def test_every_resolved_address_must_be_public():
    # one private address among public ones is enough to refuse the host
    with pytest.raises(BlockedHost) as info:
        check_url("http://mixed.example:8000/v1", resolver=lambda h, p: ["93.184.216.34", "10.1.2.3"])
    assert info.value.address == "10.1.2.3" and info.value.reason == "private"
    check_url("https://api.example/v1", resolver=lambda h, p: ["93.184.216.34", "2606:4700:4700::1111"])


def test_real_resolution_of_loopback_names_and_literals():
    for url in ("http://127.0.0.1:8000/v1", "http://localhost:11434", "http://[::1]:8000/v1", "http://169.254.169.254/"):
        with pytest.raises(BlockedHost):
            check_url(url)
    with pytest.raises(UnresolvableHost):
        check_url("http://no-such-host.invalid/v1")


@pytest.mark.parametrize("kind", ["compatible", "ollama"])
def test_loopback_endpoint_is_refused_before_any_request(httpserver, kind):
    with pytest.raises(BlockedHost):
        make_session_provider(kind, "mine", httpserver.url_for("/v1" if kind == "compatible" else "/"), None, **FAST)
    assert httpserver.log == []


def flip_resolver():
    """Public when the endpoint is added, loopback afterwards (DNS rebinding)."""
    calls = []

    def resolve(host, port):
        calls.append(host)
        return ["93.184.216.34"] if len(calls) == 1 else ["127.0.0.1"]

    return resolve


@pytest.mark.parametrize("kind", ["compatible", "ollama"])
def test_host_is_checked_again_at_request_time(httpserver, kind):
    httpserver.expect_request("/v1/models").respond_with_json({"object": "list", "data": []})
    httpserver.expect_request("/api/tags").respond_with_json(OLLAMA_TAGS)
    url = httpserver.url_for("/v1" if kind == "compatible" else "/").rstrip("/")
    prov = make_session_provider(kind, "mine", url, None, resolver=flip_resolver(), **FAST)
    res = prov.probe()
    assert not res["reachable"] and "loopback" in res["error"], res
    assert httpserver.log == []  # the request never left


@pytest.mark.parametrize("kind", ["compatible", "ollama"])
def test_redirect_to_a_private_host_is_refused(httpserver, kind, monkeypatch):
    # the endpoint itself is "public" (the policy counts the test server's 127.0.0.1 as public:
    # connections go to the checked address) but redirects to the metadata address
    target = "http://169.254.169.254/latest/meta-data"
    httpserver.expect_request("/v1/models").respond_with_response(Response(status=302, headers={"Location": target}))
    httpserver.expect_request("/api/tags").respond_with_response(Response(status=302, headers={"Location": target}))
    real_policy = netguard.forbidden_reason
    monkeypatch.setattr(netguard, "forbidden_reason", lambda a: None if a == "127.0.0.1" else real_policy(a))

    def resolve_real_loopback_as_public(host, port):
        return ["127.0.0.1"] if host in ("127.0.0.1", "localhost") else [host]

    url = httpserver.url_for("/v1" if kind == "compatible" else "/").rstrip("/")
    prov = make_session_provider(kind, "mine", url, None, resolver=resolve_real_loopback_as_public, **FAST)
    res = prov.probe()
    assert not res["reachable"] and "169.254.169.254" in res["error"] and "link-local" in res["error"], res
    assert len(httpserver.log) == 1  # the first hop only


@pytest.mark.parametrize("kind", ["compatible", "ollama"])
@pytest.mark.parametrize("status", [400, 401, 404, 500])
def test_errors_of_a_session_endpoint_never_quote_the_body(httpserver, kind, status):
    body = f'{{"error": {{"message": "{INTERNAL}"}}}}' if kind == "compatible" else f'{{"error": "{INTERNAL}"}}'
    for path in ("/v1/models", "/api/tags"):
        httpserver.expect_request(path).respond_with_data(body, status=status, content_type="application/json")
    url = httpserver.url_for("/v1" if kind == "compatible" else "/").rstrip("/")
    prov = make_session_provider(kind, "mine", url, None, allow_private_hosts=True, **FAST)
    res = prov.probe()
    assert not res["reachable"]
    assert INTERNAL not in res["error"] and f"HTTP {status}" in res["error"], res


def test_server_configured_endpoints_still_show_the_body(httpserver):
    # only visitors' endpoints hide the body: the host's own backends keep their helpful details
    from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider

    httpserver.expect_request("/v1/models").respond_with_data(f'{{"error": {{"message": "{INTERNAL}"}}}}', status=500,
                                                               content_type="application/json")
    prov = OpenAICompatProvider(OpenAICompatConfig(name="srv", base_url=httpserver.url_for("/v1"), **FAST))
    assert INTERNAL in prov.probe()["error"]


def test_allowed_private_hosts_work_end_to_end(httpserver):
    httpserver.expect_request("/v1/models").respond_with_json({"object": "list", "data": [
        {"id": "m", "object": "model", "created": 1, "owned_by": "me"}]})
    prov = make_session_provider("compatible", "mine", httpserver.url_for("/v1"), None, allow_private_hosts=True, **FAST)
    assert prov.probe()["reachable"]


def test_a_session_endpoint_still_adapts_to_servers_refusing_logprobs(httpserver):
    # the hidden body still tells the provider to retry without logprobs (our words, not the server's)
    import json

    from werkzeug.wrappers import Request

    from playground.runner import run_request
    from providers.base import ChatMessage, GenerationRequest

    httpserver.expect_request("/v1/models").respond_with_json({"object": "list", "data": [
        {"id": "m", "object": "model", "created": 1, "owned_by": "me"}]})

    def chat(request: Request):
        body = json.loads(request.data)
        if body.get("logprobs"):
            return Response(json.dumps({"error": {"message": f"logprobs are not supported {INTERNAL}"}}), status=400,
                            content_type="application/json")
        chunk = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
                 "choices": [{"index": 0, "delta": {"content": "Oui"}, "finish_reason": "stop"}]}
        return Response(f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n", content_type="text/event-stream")

    httpserver.expect_request("/v1/chat/completions").respond_with_handler(chat)
    prov = make_session_provider("compatible", "mine", httpserver.url_for("/v1"), None, allow_private_hosts=True, **FAST)
    r = run_request(prov, GenerationRequest(model="mine/m", messages=(ChatMessage("user", "Bonjour"),), top_logprobs=3,
                                            max_tokens=4))
    assert r.ok and r.text == "Oui", r.error
    assert all(INTERNAL not in n for n in r.notes)
