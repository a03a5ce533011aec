"""OpenAI, Azure OpenAI, OpenRouter and any OpenAI-compatible server: one adapter, one client factory."""

from __future__ import annotations

import json
import socket
import threading
import time
from typing import Any, Iterator, Mapping

from providers.base import (
    ALL_PARAMS,
    AuthenticationFailed,
    BackendUnavailable,
    Capabilities,
    Description,
    GenerationRequest,
    InvalidRequest,
    ModelInfo,
    ModelNotFound,
    Notice,
    ProviderError,
    ServerError,
    StreamInterrupted,
    TextDelta,
    Usage,
    validate_request,
)
from providers.embeddings import Vectors, check_rows, looks_like_embedding_model
from providers.openai_endpoint import (
    KINDS,
    NON_CHAT_MARKERS,
    OpenAICompatConfig,
    count_with_tiktoken,
    encoding_for_model,
    is_reasoning_model,
    make_client,
)
from providers.openai_wire import (
    REFUSABLE,
    chat_logprobs,
    completion_logprobs,
    connect_timeouts,
    error_detail,
    refused_param,
    stream_chunks,
    timeouts,
)
from providers.remote import (
    LISTING,
    caused_by,
    classify_status,
    coded_html_error,
    display_host,
    key_error,
    parse_retry_after,
    scrub,
    server_detail,
)
from providers.streaming import Plan, RemoteProvider, Reply
from providers.structured import (
    NOT_ENFORCED_RAW,
    NOT_ENFORCED_SERVER,
    STRUCTURED_JSON,
    STRUCTURED_SCHEMA,
    check_request,
    parse_schema,
)

__all__ = ["KINDS", "OpenAICompatConfig", "OpenAICompatProvider", "make_client"]


def _extra(obj: Any) -> dict:
    return dict(getattr(obj, "model_extra", None) or {})


class OpenAICompatProvider(RemoteProvider):
    """Provider for one OpenAI-style endpoint (`<name>/<model>`)."""

    def __init__(self, config: OpenAICompatConfig) -> None:
        if config.kind not in KINDS:
            raise ValueError(f"Unknown endpoint kind {config.kind!r} for {config.name} (use one of {', '.join(KINDS)}).")
        self.config = config
        self.name = config.name
        self.kind = config.kind
        self.label = display_host(config.url)
        self._client = make_client(config)
        self._no_logprobs: dict[str, str] = {}  # model -> why it refused probabilities (learned at run time)
        self._model_meta: dict[str, dict] = {}
        self._no_stream_options = False  # an older server that rejects stream_options (learned at run time)
        self._refused: dict[str, set[str]] = {}  # model -> parameters its server refused (learned at run time)
        self._lock = threading.Lock()

    # ------------------------------------------------------------ errors
    def _where(self) -> str:
        names = {"openai": "OpenAI", "azure": "Azure OpenAI", "openrouter": "OpenRouter"}
        return f"{names.get(self.kind, self.name)} ({self.label})"

    def _translate_raw(self, exc: BaseException, model: str, *, streaming: bool = False) -> ProviderError:
        import openai

        where = self._where()
        secrets = [self.config.api_key]
        if isinstance(exc, ProviderError):
            return exc
        bad_key = key_error(self.config.api_key, where)
        if bad_key is not None and getattr(exc, "status_code", 401) in (401, 403):
            return bad_key
        if isinstance(exc, openai.APIStatusError):
            raw = error_detail(exc)
            detail = server_detail(raw, secrets, where)
            headers = exc.response.headers
            retry_after = parse_retry_after(headers.get("retry-after"))
            if retry_after is None and headers.get("retry-after-ms"):
                ms = parse_retry_after(headers.get("retry-after-ms"))
                retry_after = None if ms is None else ms / 1000
            if exc.status_code == 404 and model == LISTING:  # no model involved: the base URL is wrong
                err = ModelNotFound(f"{where} has no model list (HTTP 404 on /models): check the base URL "
                                    f"(OpenAI-compatible servers usually answer under /v1). ({detail})",
                                    status=404, code="no_model_list", params={"where": where})
            elif exc.status_code == 404:
                what = "Deployment" if self.kind == "azure" else "Model"
                err = ModelNotFound(f"{what} “{model}” was not found on {where} (HTTP 404). ({detail})", status=404)
            else:
                err = classify_status(exc.status_code, detail, model, where, retry_after, param=refused_param(detail))
            return coded_html_error(err, raw, where, model)
        if isinstance(exc, openai.APITimeoutError):
            if isinstance(exc.__cause__, connect_timeouts()):
                return BackendUnavailable(
                    f"{where} did not accept the connection within {self.config.timeouts.connect:g} s (connect timeout) for “{model}”."
                )
            msg = f"{where} sent nothing for {self.config.timeouts.read:g} s (read timeout) while answering “{model}”."
            return StreamInterrupted(msg) if streaming else BackendUnavailable(msg)
        if isinstance(exc, openai.APIConnectionError):
            if streaming and caused_by(exc, (TimeoutError, *timeouts())):
                return StreamInterrupted(f"{where} stopped sending while answering “{model}” (read timeout): the text so far is kept.")
            if streaming:
                return StreamInterrupted(f"The connection to {where} dropped while “{model}” was answering: the text so far is kept.")
            if caused_by(exc, socket.gaierror):
                return BackendUnavailable(f"Unknown host: {self.label} cannot be resolved (check the base URL) — “{model}” not run.")
            return BackendUnavailable(f"Cannot connect to {where} (connection refused or unreachable) — “{model}” not run.")
        if isinstance(exc, openai.APIError):  # an error event inside the stream
            detail = server_detail(getattr(exc, "message", str(exc)), secrets, where)
            cls = StreamInterrupted if streaming else ServerError
            return cls(f"{where} reported an error for “{model}”: {detail}")
        if isinstance(exc, (json.JSONDecodeError, ValueError)):
            return ServerError(f"{where} sent a malformed chunk for “{model}”: {scrub(str(exc), secrets)[:120]}")
        return ServerError(f"{where}: unexpected error for “{model}”: {type(exc).__name__}: {scrub(str(exc), secrets)}")

    # ------------------------------------------------------------ models
    def list_models(self) -> list[ModelInfo]:
        if self.kind == "azure" and self.config.models:
            # Deployments are named by the person who created them; the data-plane API cannot list them.
            names = list(self.config.models)
        else:
            try:
                page = self._client.models.list()
                entries = list(page.data)
            except Exception as exc:
                raise self._translate(exc, LISTING) from None
            with self._lock:
                for e in entries:
                    self._model_meta[e.id] = _extra(e)
            names = [e.id for e in entries]
            if self.kind == "openai":
                names = [n for n in names if not any(m in n for m in NON_CHAT_MARKERS)]
            if self.config.models:
                wanted = set(self.config.models)
                names = [n for n in names if n in wanted] + [n for n in self.config.models if n not in names and self.kind != "openrouter"]
            names = sorted(dict.fromkeys(names))
        out = []
        for n in names:
            meta = self._model_meta.get(n, {})
            details = {"host": self.label, "kind": self.kind}
            if meta.get("context_length"):
                details["context_length"] = meta["context_length"]
            out.append(ModelInfo(id=f"{self.name}/{n}", provider=self.name, name=n, label=f"{self.name}/{n}", details=details))
        return out

    def _check_served(self, model: str) -> None:
        """Some servers (llama-cpp-python) answer any model name with their default model:
        check the name against the server's own list so a typo is an error, not a surprise."""
        with self._lock:
            known = model in self._model_meta
        if known:
            return
        try:
            served = [m.name for m in self.list_models()]
        except ModelNotFound:  # the server has no /models endpoint: nothing to check against
            return
        if model not in served:
            raise ModelNotFound(
                f"Model “{model}” is not served by {self._where()} (it serves: {', '.join(served) or 'nothing'})."
            )

    def capabilities(self, model: str) -> Capabilities:
        params = set(ALL_PARAMS)
        notes: dict[str, str] = {}
        max_lp = 20
        logprobs_note = None
        if self.kind in ("openai", "azure"):
            params -= {"top_k", "min_p"}
            why = "The OpenAI API has no top_k / min_p parameters." if self.kind == "openai" else \
                "Azure OpenAI (the OpenAI API) has no top_k / min_p parameters."
            notes["top_k"] = notes["min_p"] = why
            notes["seed"] = "Best effort: the same seed usually, not always, gives the same answer."
            if self.kind == "azure":
                max_lp = 5
                logprobs_note = "Azure OpenAI returns at most 5 alternatives per token."
            if is_reasoning_model(model):
                params -= {"temperature", "top_p", "top_logprobs"}
                why = "Reasoning models fix temperature and top_p, and return no probabilities."
                notes.update({"temperature": why, "top_p": why, "top_logprobs": why})
                logprobs_note, max_lp = why, 0
        elif self.kind == "openrouter":
            logprobs_note = "Probabilities depend on the provider that serves the model: some return none."
        else:
            notes["top_k"] = notes["min_p"] = "Sent as extra fields: servers that do not know them ignore them."
            logprobs_note = "Probabilities come from the server: vLLM and llama.cpp compute them before temperature."
        if model in self._no_logprobs:
            params.discard("top_logprobs")
            notes["top_logprobs"] = self._no_logprobs[model]
            logprobs_note, max_lp = self._no_logprobs[model], 0
        meta = self._model_meta.get(model, {})
        ctx = meta.get("context_length")
        details: dict[str, object] = {"host": self.label}
        if self.kind == "openrouter" and meta.get("pricing"):
            pr = meta["pricing"]
            details["price_per_token"] = f"in {pr.get('prompt')} / out {pr.get('completion')} USD"
        return Capabilities(
            mode="completion" if model in self.config.completion_models else "chat",
            params=frozenset(params),
            max_top_logprobs=max_lp,
            context_length=int(ctx) if ctx else None,
            logprobs_note=logprobs_note,
            raw_logprobs=self.kind == "compatible",
            param_notes=notes,
            details=details,
            # OpenAI, Azure and OpenRouter take a strict json_schema; any other server gets
            # json_object (+ the schema as llama.cpp reads it) and the column says so.
            structured=STRUCTURED_JSON if self.kind == "compatible" else STRUCTURED_SCHEMA,
            structured_note=NOT_ENFORCED_SERVER if self.kind == "compatible" else None,
        )

    def count_tokens(self, model: str, text: str) -> int | None:
        return count_with_tiktoken(model, text)

    # ------------------------------------------------------------ embeddings (providers.embeddings.Embedder)
    def embedding_models(self) -> list[str]:
        """The endpoint's embedding models: list_models() hides them from the chat pages, so they
        are read from the full list it keeps (or the configured names / Azure deployments)."""
        self.list_models()
        with self._lock:
            served = list(self._model_meta)
        names = list(dict.fromkeys([*served, *self.config.models]))
        return sorted(n for n in names if looks_like_embedding_model(n))

    def embed(self, model: str, texts: list[str]) -> Vectors:
        """POST {base_url}/embeddings {"input": [...], "model", "encoding_format": "float"} ->
        {"data": [{"index", "embedding": [...]}, ...]}, reordered by index."""
        try:
            reply = self._client.embeddings.create(model=model, input=list(texts), encoding_format="float")
            rows = [d.embedding for d in sorted(reply.data, key=lambda d: d.index)]
        except Exception as exc:
            raise self._translate(exc, model) from None
        return check_rows(rows, len(texts), self._where(), model)

    def describe(self) -> Description:
        return Description(kind=self.kind, address=self.label, has_key=bool(self.config.api_key))

    def probe(self) -> dict:
        """Reachable? model count, latency (ms) — for the Settings page."""
        t0 = time.perf_counter()
        try:
            if self.kind == "azure" and self.config.models and not self.config.base_url:
                self._client.models.list()  # checks the endpoint and the key
                n = len(self.config.models)
            else:
                n = len(self.list_models())
        except ProviderError as exc:
            return {"reachable": False, "error": exc.message, "latency_ms": round((time.perf_counter() - t0) * 1000, 1)}
        except Exception as exc:
            err = self._translate(exc, LISTING)
            return {"reachable": False, "error": err.message, "latency_ms": round((time.perf_counter() - t0) * 1000, 1)}
        return {"reachable": True, "version": self.config.api_version, "models": n,
                "latency_ms": round((time.perf_counter() - t0) * 1000, 1)}

    # ------------------------------------------------------------ generation
    def build_payload(self, request: GenerationRequest, model: str, caps: Capabilities, with_logprobs: bool = True) -> tuple[str, dict]:
        """(endpoint path, exact JSON body) for a request."""
        body: dict[str, Any] = {"model": model}
        if request.is_chat:
            body["messages"] = [{"role": m.role, "content": m.content} for m in request.chat_messages()]
            path = "/chat/completions"
        else:
            body["prompt"] = request.prompt
            path = "/completions"
        body["stream"] = True
        if not self._no_stream_options:
            body["stream_options"] = {"include_usage": True}
        if "temperature" in caps.params:
            body["temperature"] = request.temperature
        if "top_p" in caps.params:
            body["top_p"] = request.top_p
        if "top_k" in caps.params:
            body["top_k"] = request.top_k
        if "min_p" in caps.params:
            body["min_p"] = request.min_p
        # OpenAI deprecated max_tokens for chat (reasoning models reject it); an Azure or other
        # server that refuses max_tokens gets max_completion_tokens next time (learned).
        refused = self._refused.get(model, set())
        modern = (self.kind == "openai" or "max_tokens" in refused) and request.is_chat
        body["max_completion_tokens" if modern else "max_tokens"] = request.max_tokens
        if request.seed is not None and "seed" in caps.params:
            body["seed"] = request.seed
        for param in refused - {"max_tokens"}:  # e.g. temperature on a reasoning deployment
            body.pop(param, None)
        if request.stop:
            body["stop"] = list(request.stop)
        if with_logprobs and request.top_logprobs > 0 and "top_logprobs" in caps.params:
            if request.is_chat:
                body["logprobs"] = True
                body["top_logprobs"] = request.top_logprobs
            else:
                body["logprobs"] = request.top_logprobs
        if request.wants_json and request.is_chat:
            body["response_format"] = self.response_format(parse_schema(request.json_schema))
        return path, body

    def response_format(self, schema: dict | None) -> dict:
        """`response_format` for JSON output: a strict json_schema where the API documents it
        (OpenAI, Azure, OpenRouter); elsewhere json_object, with the schema under "schema"
        (llama-cpp-python's server and llama-server enforce it; others ignore the key)."""
        if schema is None:
            return {"type": "json_object"}
        if self.kind == "compatible":
            return {"type": "json_object", "schema": schema}
        name = str(schema.get("title") or "answer")
        name = "".join(c if c.isalnum() or c in "_-" else "_" for c in name)[:64] or "answer"
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}

    def _structured_notices(self, request: GenerationRequest) -> tuple[Notice, ...]:
        if not request.wants_json:
            return ()
        if not request.is_chat:
            return (Notice("schema_not_enforced", NOT_ENFORCED_RAW),)
        if request.json_schema and self.kind == "compatible":
            return (Notice("schema_not_enforced", NOT_ENFORCED_SERVER),)
        return ()

    def plan(self, request: GenerationRequest, model: str) -> Plan:
        if self.kind == "compatible" and not self.config.models:
            self._check_served(model)
        caps = self.capabilities(model)
        validate_request(request, caps)
        check_request(request, caps)
        return self._plan(request, model, caps)

    def _plan(self, request: GenerationRequest, model: str, caps: Capabilities) -> Plan:
        path, body = self.build_payload(request, model, caps)
        return Plan(model, path, body, self._structured_notices(request))

    def retry_subject(self, model: str) -> str:
        return f"{self._where()} for “{model}”"

    def open_stream(self, plan: Plan):
        """POST the exact body through the official client; return the streaming HTTP response.

        The client still builds the request (auth header, base URL, Azure deployment path and
        api-version, default headers, timeouts) and raises its typed errors on an HTTP error status.
        Only the SSE body is read here (providers/openai_wire.py): the SDK's per-request parameter
        transformation and its pydantic model for every chunk cost several ms of CPU per request
        (docs/BENCHMARKS.md, issue 5), for fields we read straight from the JSON anyway.
        """
        import httpx

        # `cast_to=httpx.Response` + `stream=True`: the client's documented way to call an endpoint
        # and get the raw response back unread (the SDK accepts both httpx and httpx2 here).
        return self._client.post(plan.path, body=plan.body, cast_to=httpx.Response, stream=True)

    def prompt_logprobs(self, model: str, text: str, top: int = 5) -> dict:
        """The legacy completions endpoint with `echo: true, logprobs: top`: the logprobs of the
        text's own tokens (vLLM and llama.cpp's servers answer; OpenAI's chat models do not).
        `max_tokens: 1`, not 0: llama-cpp-python's server reads 0 as "no limit"; the caller cuts
        the one generated token (playground.score.parse_echo). The JSON as sent; errors
        translated like a generation's."""
        import httpx

        if self.kind != "compatible":
            raise InvalidRequest(f"{self._where()} does not return the logprobs of a given text (no echo on its "
                                 "completions endpoint).", code="score_unsupported", params={"model": f"{self.name}/{model}"})
        body = {"model": model, "prompt": text, "echo": True, "logprobs": int(top), "max_tokens": 1, "temperature": 0}
        try:
            response = self._client.post("/completions", body=body, cast_to=httpx.Response)
            return response.json()
        except Exception as exc:
            raise self._translate_raw(exc, model) from None

    def close_stream(self, response) -> None:
        response.close()

    def adapt(self, request: GenerationRequest, plan: Plan, err: ProviderError) -> tuple[Notice, Plan] | None:
        """Run again without what the server refused, rather than fail the column, and say so."""
        if not isinstance(err, (InvalidRequest, AuthenticationFailed)):
            return None
        model, body = plan.model, plan.body
        if err.param == "stream_options" and "stream_options" in body:
            # an older OpenAI-compatible server that does not know stream_options: usage is estimated instead
            self._no_stream_options = True
            notice = Notice("info", f"{self._where()} does not accept stream_options: token counts will be estimates.")
        elif isinstance(err, InvalidRequest) and err.param in REFUSABLE and err.param in body:
            # a deployment that refuses one parameter (Azure o-series: max_tokens, temperature, top_p)
            with self._lock:
                self._refused.setdefault(model, set()).add(err.param)
            notice = Notice("info", f"{self._where()} refused “{err.param}” for “{model}”: it ran without it.")
        elif err.param == "logprobs" and "logprobs" in body:
            # a model that refuses probabilities (reasoning models): run it without them
            why = f"“{model}” does not return probabilities on {self._where()}; it ran without them."
            with self._lock:
                self._no_logprobs[model] = why
            notice = Notice("logprobs_unavailable", why)
        else:
            return None
        return notice, self._plan(request, model, self.capabilities(model))

    def read(self, response, plan: Plan, reply: Reply) -> Iterator[TextDelta]:
        is_chat = "messages" in plan.body
        for chunk in stream_chunks(response):
            try:
                deltas = self._note_chunk(chunk, is_chat, reply)
            except (AttributeError, KeyError, TypeError) as exc:
                # valid JSON of the wrong shape (a choice that is not an object, a logprob entry
                # without its token...): a malformed chunk, like invalid JSON
                raise ValueError(f"unexpected chunk shape ({type(exc).__name__}: {exc})") from None
            yield from deltas

    def _note_chunk(self, chunk: dict, is_chat: bool, reply: Reply) -> list[TextDelta]:
        """One chunk: the text and logprobs of its first choice, and what it says about the end."""
        if chunk.get("provider"):  # OpenRouter: who served the model
            reply.extra["served_by"] = chunk["provider"]
        timings = chunk.get("timings")
        if timings and isinstance(timings, Mapping):  # llama.cpp's llama-server adds its own timings (ms)
            reply.server_timings = {k: float(timings[k]) for k in ("prompt_ms", "predicted_ms")
                                    if isinstance(timings.get(k), (int, float))}
        elif timings:
            reply.server_timings = {}
        usage = chunk.get("usage")
        if usage is not None:
            if usage.get("cost") is not None:  # OpenRouter's own price of the request (USD)
                reply.extra["cost"] = usage["cost"]
            reply.usage = Usage(prompt_tokens=usage.get("prompt_tokens"), completion_tokens=usage.get("completion_tokens"))
        deltas = []
        for choice in chunk.get("choices") or ():
            if choice.get("index") not in (0, None):
                continue
            if is_chat:
                piece = (choice.get("delta") or {}).get("content") or ""
                lps = chat_logprobs(choice.get("logprobs"))
            else:
                piece = choice.get("text") or ""
                lps = completion_logprobs(choice.get("logprobs"))
            if piece or lps:
                deltas.append(TextDelta(piece, lps, n_tokens=len(lps) if lps else None))
            if choice.get("finish_reason"):
                reply.done, reply.finish_reason = True, choice["finish_reason"]
        return deltas

    def no_logprobs_notice(self, plan: Plan, reply: Reply) -> Notice:
        served_by = reply.extra.get("served_by")
        who = f" (served by {served_by})" if served_by else ""
        return Notice("logprobs_unavailable", f"No probabilities came back for “{plan.model}”{who}: this backend does not return them.")

    def conclude(self, request: GenerationRequest, plan: Plan, reply: Reply) -> Iterator[Notice]:
        reply.extra["host"] = self.label
        if reply.usage is not None:
            return
        model, text = plan.model, reply.text
        prompt_text = request.user_text() if request.is_chat else (request.prompt or "")
        if request.is_chat and request.system:
            prompt_text = request.system + "\n" + prompt_text
        # the server's own tokens, when it sent probabilities for each, beat an estimate
        completion = reply.logprob_tokens or (count_with_tiktoken(model, text) if text else 0)
        reply.usage = Usage(prompt_tokens=count_with_tiktoken(model, prompt_text), completion_tokens=completion, estimated=True)
        yield Notice(
            "estimate",
            f"{self._where()} reported no token usage: the counts are an estimate "
            f"(tiktoken {(encoding_for_model(model) or ('unavailable',))[0]}).",
        )
