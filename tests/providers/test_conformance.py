"""The provider contract, the same for every kind of backend: the embedded SmolLM2, Ollama and the
OpenAI-style kinds on a local server replaying their documented shapes, and the OpenAI-compatible
adapter against a real `python -m llama_cpp.server`.

Each kind must list its models, describe one with Capabilities, stream RequestInfo first, then
text, then exactly one Finished, honour a cancel Event, and refuse an unknown model with the
ProviderError family (carrying the HTTP status when the refusal was an HTTP answer)."""

from __future__ import annotations

import json
import threading

import pytest
from remote_shapes import (
    OLLAMA_TAGS,
    ndjson,
    ollama_chat_chunks,
    ollama_show,
    openai_chunk,
    openai_error,
    openai_usage_chunk,
    sse,
)
from werkzeug.wrappers import Response

from providers.base import (
    ALL_PARAMS,
    Capabilities,
    ChatMessage,
    Finished,
    GenerationRequest,
    ModelInfo,
    ModelNotFound,
    Notice,
    ProviderError,
    RequestInfo,
    TextDelta,
)
from providers.embedded import SMOLLM2
from providers.ollama import OllamaConfig, OllamaProvider
from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider
from providers.remote import RetryPolicy, Timeouts

FAST = dict(timeouts=Timeouts(connect=2.0, read=10.0), retry=RetryPolicy(max_retries=0))
UNKNOWN = "no-such-model"
PIECES = ["Le ", "comté", " est un fromage."]
LONG = [f" mot{i}" for i in range(40)]  # long enough to be cancelled before its end


class Real:
    """A real backend: its text is not known in advance (`serve` returns None)."""

    def __init__(self, provider, model: str) -> None:
        self.provider, self.model = provider, model

    def serve(self, pieces: list[str]) -> str | None:
        return None


class OllamaReplay:
    """Ollama's native API replayed: tags, version, show (404 for an unknown model), NDJSON chat."""

    def __init__(self, httpserver) -> None:
        self.body = ""
        self.known = {m["model"] for m in OLLAMA_TAGS["models"]}
        httpserver.expect_request("/api/tags").respond_with_json(OLLAMA_TAGS)
        httpserver.expect_request("/api/version").respond_with_json({"version": "0.12.11"})
        httpserver.expect_request("/api/show", method="POST").respond_with_handler(self._show)
        httpserver.expect_request("/api/chat", method="POST").respond_with_handler(
            lambda req: Response(self.body, content_type="application/x-ndjson"))
        self.provider = OllamaProvider(OllamaConfig(host=httpserver.url_for("/").rstrip("/"), **FAST))
        self.model = "qwen2.5:1.5b"

    def _show(self, req) -> Response:
        model = json.loads(req.data)["model"]
        if model not in self.known:
            return Response(json.dumps({"error": f"model '{model}' not found"}), status=404, content_type="application/json")
        return Response(json.dumps(ollama_show()), content_type="application/json")

    def serve(self, pieces: list[str]) -> str:
        self.body = ndjson(ollama_chat_chunks(pieces, logprobs=False))
        return "".join(pieces)


class OpenAIReplay:
    """An OpenAI-style API replayed: model list, SSE chat completions (404 for an unknown model)."""

    def __init__(self, httpserver, kind: str) -> None:
        self.body = ""
        self.model = "gpt-4o-mini"
        httpserver.expect_request("/v1/models").respond_with_json({"object": "list", "data": [
            {"id": self.model, "object": "model", "created": 1721172741, "owned_by": "system"}]})
        chat = "/openai/deployments/{}/chat/completions"
        for path in ("/v1/chat/completions", chat.format(self.model), chat.format(UNKNOWN)):
            httpserver.expect_request(path, method="POST").respond_with_handler(self._chat)
        if kind == "azure":
            cfg = OpenAICompatConfig(name="azure", kind="azure", azure_endpoint=httpserver.url_for("/"),
                                     api_version="2024-10-21", api_key="azure-test-key", models=(self.model,), **FAST)
        else:
            cfg = OpenAICompatConfig(name=kind, kind=kind, base_url=httpserver.url_for("/v1"), api_key="sk-test-0123456789", **FAST)
        self.provider = OpenAICompatProvider(cfg)

    def _chat(self, req) -> Response:
        model = json.loads(req.data)["model"]
        if model != self.model:
            error = openai_error(f"The model `{model}` does not exist.", code="model_not_found")
            return Response(json.dumps(error), status=404, content_type="application/json")
        return Response(self.body, content_type="text/event-stream")

    def serve(self, pieces: list[str]) -> str:
        chunks = [openai_chunk(role="assistant", content="", model=self.model)]
        chunks += [openai_chunk(p, model=self.model) for p in pieces]
        chunks += [openai_chunk(finish="stop", model=self.model), openai_usage_chunk(completion=len(pieces), model=self.model)]
        self.body = sse(chunks)
        return "".join(pieces)


# kind -> (how to build it, the HTTP status an unknown model is refused with; None: not an HTTP answer)
KINDS = {
    "embedded": (lambda rq: Real(rq.getfixturevalue("embedded"), SMOLLM2), None),
    "ollama": (lambda rq: OllamaReplay(rq.getfixturevalue("httpserver")), 404),
    "openai": (lambda rq: OpenAIReplay(rq.getfixturevalue("httpserver"), "openai"), 404),
    "azure": (lambda rq: OpenAIReplay(rq.getfixturevalue("httpserver"), "azure"), 404),
    "openrouter": (lambda rq: OpenAIReplay(rq.getfixturevalue("httpserver"), "openrouter"), 404),
    # the served-model check reads the server's own list: no HTTP error status involved
    "compatible": (lambda rq: Real(OpenAICompatProvider(OpenAICompatConfig(
        name="local", kind="compatible", base_url=rq.getfixturevalue("llama_server"), **FAST)), "smollm2"), None),
}


@pytest.fixture(params=list(KINDS))
def backend(request):
    build, status = KINDS[request.param]
    b = build(request)
    b.unknown_status = status
    return b


def ask(backend, model: str | None = None, **kw) -> GenerationRequest:
    params = dict(temperature=0.0, max_tokens=24, seed=7)
    params.update(kw)
    return GenerationRequest(model=f"{backend.provider.name}/{model or backend.model}",
                             messages=(ChatMessage("user", "Name a French cheese."),), **params)


def check_shape(events: list) -> Finished:
    """RequestInfo first, exactly one Finished and it is last, only contract events in between."""
    assert isinstance(events[0], RequestInfo) and events[0].payload
    assert all(isinstance(e, (RequestInfo, Notice, TextDelta, Finished)) for e in events)
    finished = [i for i, e in enumerate(events) if isinstance(e, Finished)]
    assert finished == [len(events) - 1], [type(e).__name__ for e in events]
    return events[-1]


def test_lists_its_models(backend):
    models = backend.provider.list_models()
    assert models and all(isinstance(m, ModelInfo) for m in models)
    assert all(m.provider == backend.provider.name and m.id == f"{m.provider}/{m.name}" for m in models)
    assert backend.model in [m.name for m in models]


def test_describes_a_listed_model_with_capabilities(backend):
    caps = backend.provider.capabilities(backend.model)
    assert isinstance(caps, Capabilities)
    assert caps.mode in ("chat", "completion") and caps.params <= frozenset(ALL_PARAMS)
    assert "max_tokens" in caps.params and caps.max_top_logprobs >= 0


def test_streams_request_info_then_text_then_one_finished(backend):
    expected = backend.serve(PIECES)
    events = list(backend.provider.stream(ask(backend)))
    fin = check_shape(events)
    deltas = [e for e in events if isinstance(e, TextDelta)]
    text = "".join(d.text for d in deltas)
    assert deltas and events.index(deltas[0]) > 0
    assert text == expected if expected is not None else text.strip()
    assert fin.finish_reason in ("stop", "length")


def test_honours_a_cancel_set_while_streaming(backend):
    backend.serve(LONG)
    cancel = threading.Event()
    events = []
    for ev in backend.provider.stream(ask(backend, max_tokens=64, temperature=0.8), cancel):
        events.append(ev)
        if isinstance(ev, TextDelta) and ev.text:
            cancel.set()
    fin = check_shape(events)
    assert fin.finish_reason == "cancelled"
    # at most what was already on its way when the cancel was seen, never the rest of the answer
    first = next(i for i, e in enumerate(events) if isinstance(e, TextDelta) and e.text)
    assert sum(isinstance(e, TextDelta) for e in events[first + 1:]) <= 1


def test_honours_a_cancel_set_before_the_first_token(backend):
    backend.serve(LONG)
    cancel = threading.Event()
    cancel.set()
    events = list(backend.provider.stream(ask(backend), cancel))
    fin = check_shape(events)
    assert fin.finish_reason == "cancelled"
    assert not any(isinstance(e, TextDelta) and e.text for e in events)


def test_refuses_an_unknown_model_with_the_error_family(backend):
    backend.serve(PIECES)
    with pytest.raises(ProviderError) as info:
        list(backend.provider.stream(ask(backend, UNKNOWN)))
    err = info.value
    assert isinstance(err, ModelNotFound) and err.kind == "model_not_found"
    assert UNKNOWN in err.message
    assert err.status == backend.unknown_status
