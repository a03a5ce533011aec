"""Ollama on its native API (official `ollama` client): models, details, streaming, logprobs, ns timings."""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterator

from providers.base import (
    ALL_PARAMS,
    BackendUnavailable,
    Capabilities,
    ContextTooLong,
    Description,
    GenerationRequest,
    ModelInfo,
    ModelNotFound,
    Notice,
    ProviderError,
    ServerError,
    StreamInterrupted,
    TextDelta,
    TokenAlternative,
    TokenLogprob,
    Usage,
    validate_request,
)
from providers.embeddings import Vectors, check_rows, looks_like_embedding_model
from providers.pulls import DiskFull, PullCancelled, PullProgress
from providers.remote import (
    LISTING,
    RetryPolicy,
    Timeouts,
    caused_by,
    classify_status,
    clean_key,
    coded_html_error,
    display_host,
    key_error,
    key_problem,
    scrub,
    server_detail,
)
from providers.streaming import Plan, RemoteProvider, Reply
from providers.structured import STRUCTURED_SCHEMA, check_request, parse_schema

# Ollama returns logprobs since this version; older servers silently ignore the fields.
LOGPROBS_MIN_VERSION = (0, 12, 11)
# "Cold load" when loading the weights took at least this share of the whole request.
COLD_LOAD_SHARE = 0.5


@dataclass(frozen=True)
class OllamaConfig:
    """One Ollama server. `name` is the provider name: `ollama`, or `ollama-<label>` for more hosts."""

    name: str = "ollama"
    host: str = "http://127.0.0.1:11434"
    api_key: str | None = field(default=None, repr=False)  # only for an Ollama behind an auth proxy
    timeouts: Timeouts = field(default_factory=Timeouts)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    session: bool = False  # added by a visitor on the Settings page (lives in that session only)
    allow_private_hosts: bool = False  # session only: may the host be loopback / LAN / link-local?

    def __post_init__(self) -> None:
        object.__setattr__(self, "api_key", clean_key(self.api_key))


def normalise_host(host: str) -> str:
    """`gpu:11434` -> `http://gpu:11434`; `0.0.0.0` (a bind address) is reached on loopback.

    A path is kept: an Ollama behind a reverse proxy at `https://host/ollama` answers under it.
    """
    h = host.strip().rstrip("/")
    if "://" not in h:
        h = "http://" + h
    scheme, _, rest = h.partition("://")
    hostport, _, path = rest.partition("/")
    path = path.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if hostport.startswith(":"):
        hostport = "127.0.0.1" + hostport
    if hostport.split(":")[0] in ("0.0.0.0", ""):
        hostport = "127.0.0.1" + (":" + hostport.split(":")[1] if ":" in hostport else "")
    if ":" not in hostport.split("]")[-1]:
        hostport += ":443" if scheme == "https" else ":11434"
    return f"{scheme}://{hostport}" + (f"/{path}" if path else "")


def _version_tuple(v: str | None) -> tuple[int, ...] | None:
    if not v:
        return None
    parts = []
    for p in v.split("-")[0].split("."):
        if not p.isdigit():
            break
        parts.append(int(p))
    return tuple(parts) or None


def _ns_to_ms(v: Any) -> float | None:
    return None if v is None else round(float(v) / 1e6, 3)


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


class OllamaProvider(RemoteProvider):
    """Provider for one Ollama host (`<name>/<model:tag>`)."""

    def __init__(self, config: OllamaConfig, resolver=None) -> None:
        import httpx
        import ollama

        self.config = config
        self.name = config.name
        self.host = normalise_host(config.host)
        self.label = display_host(self.host)
        extra: dict[str, Any] = {}
        if config.session and not config.allow_private_hosts:
            from providers.netguard import guarded_transport

            # a visitor's host is checked again before every request (redirects, DNS rebinding)
            extra["transport"] = guarded_transport(httpx, resolver)
        self._client = ollama.Client(
            host=self.host,
            timeout=httpx.Timeout(config.timeouts.read, connect=config.timeouts.connect),
            **extra,
        )
        # The client picks OLLAMA_API_KEY from the environment on its own: a key must only go
        # to the host it was configured for, so the header is set from our config alone.
        self._client._client.headers.pop("authorization", None)
        if config.api_key and key_problem(config.api_key) is None:  # else every request says what is wrong
            self._client._client.headers["authorization"] = f"Bearer {config.api_key}"
        self._show_cache: dict[str, Any] = {}
        self._version: str | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------ errors
    def _secrets(self) -> list[str | None]:
        return [self.config.api_key]

    def _where(self) -> str:
        return f"Ollama at {self.label}"

    def _translate_raw(self, exc: BaseException, model: str, *, streaming: bool = False) -> ProviderError:
        err = self._translate_wire(exc, model, streaming=streaming)
        if self.config.session:  # a visitor's endpoint: never quote what the server sent back
            from providers.netguard import session_error

            err = session_error(err, exc, self._where(), model)
        return err

    def _translate_wire(self, exc: BaseException, model: str, *, streaming: bool = False) -> ProviderError:
        """SDK / transport exception -> one readable ProviderError naming the model and host."""
        import httpx
        import ollama

        where = self._where()
        if isinstance(exc, ProviderError):
            return exc
        bad_key = key_error(self.config.api_key, where)
        if bad_key is not None and getattr(exc, "status_code", None) in (401, 403):
            return bad_key  # the key was left out of the request (it cannot be sent): say why it was refused
        if isinstance(exc, ollama.ResponseError):
            raw = str(exc.error)
            detail = server_detail(raw, self._secrets(), where)
            status = exc.status_code
            if status == -1:  # an {"error": ...} line inside a 200 stream
                cls = StreamInterrupted if streaming else ServerError
                return cls(f"{where} reported an error for “{model}”: {detail}")
            if status == 404 and model == LISTING:  # no model involved: the host is not (only) an Ollama
                err = ModelNotFound(
                    f"{where} has no model list (HTTP 404 on /api/tags): check that this host and port are an "
                    f"Ollama server (a path after the host must be where Ollama answers). ({detail})",
                    status=404, code="ollama_no_list", params={"where": where})
            elif status == 404:
                err = ModelNotFound(
                    f"Model “{model}” is not installed on {where} (run `ollama pull {model}` there). ({detail})", status=404)
            elif status == 400 and ("context" in detail.lower() or "too long" in detail.lower()):
                err = ContextTooLong(
                    f"The prompt is too long for “{model}”'s context on {where}: shorten it or raise num_ctx. ({detail})",
                    status=400)
            else:
                err = classify_status(status, detail, model, where)
            return coded_html_error(err, raw, where, model)
        if isinstance(exc, httpx.ConnectTimeout):
            return BackendUnavailable(
                f"{where} did not accept the connection within {self.config.timeouts.connect:g} s (connect timeout) for “{model}”."
            )
        if isinstance(exc, (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout)):
            msg = f"{where} sent nothing for {self.config.timeouts.read:g} s (read timeout) while answering “{model}”."
            return StreamInterrupted(msg) if streaming else BackendUnavailable(msg)
        if isinstance(exc, (httpx.ConnectError, ConnectionError)):
            if caused_by(exc, socket.gaierror):
                return BackendUnavailable(f"Unknown host: {self.label} cannot be resolved (check the Ollama host name) — “{model}” not run.")
            return BackendUnavailable(f"Cannot connect to {where} (connection refused — is `ollama serve` running?) — “{model}” not run.")
        if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
            return StreamInterrupted(f"The connection to {where} dropped while “{model}” was answering: the text so far is kept.")
        if isinstance(exc, (json.JSONDecodeError, ValueError)):
            return ServerError(f"{where} sent a malformed chunk for “{model}”: {scrub(str(exc), self._secrets())[:120]}")
        return ServerError(f"{where}: unexpected error for “{model}”: {type(exc).__name__}: {scrub(str(exc), self._secrets())}")

    # ------------------------------------------------------------ models
    def version(self) -> str | None:
        """The server's version (None when unknown); cached."""
        if self._version is None:
            try:
                r = self._client._client.get("/api/version")
                r.raise_for_status()
                self._version = r.json().get("version") or ""
            except Exception:
                return None
        return self._version or None

    def list_models(self) -> list[ModelInfo]:
        try:
            listing = self._client.list()
        except Exception as exc:
            raise self._translate(exc, LISTING) from None
        out = []
        for m in listing.models or []:
            d = m.details
            details = {
                "family": _get(d, "family"),
                "parameter_size": _get(d, "parameter_size"),
                "quantization": _get(d, "quantization_level"),
                "size_bytes": int(m.size) if m.size is not None else None,
                "host": self.label,
            }
            bits = [b for b in (details["parameter_size"], details["quantization"]) if b]
            label = f"{self.name}/{m.model}" + (f" · {' '.join(bits)}" if bits else "")
            out.append(ModelInfo(id=f"{self.name}/{m.model}", provider=self.name, name=m.model, label=label,
                                 details={k: v for k, v in details.items() if v is not None}))
        return out

    def _show(self, model: str) -> Any:
        with self._lock:
            if model in self._show_cache:
                return self._show_cache[model]
        try:
            info = self._client.show(model)
        except Exception as exc:
            raise self._translate(exc, model) from None
        with self._lock:
            self._show_cache[model] = info
        return info

    def show(self, model: str) -> dict:
        """`/api/show` as plain data (details, model_info, template, parameters), for the
        model anatomy page; cached like capabilities' own look."""
        info = self._show(model)
        d = info.details
        return {
            "details": {k: _get(d, k) for k in ("family", "parameter_size", "quantization_level", "format")},
            "model_info": dict(info.modelinfo or {}),
            "template": info.template or "",
            "parameters": info.parameters or "",
        }

    def capabilities(self, model: str) -> Capabilities:
        info = self._show(model)
        d = info.details
        model_info = dict(info.modelinfo or {})
        arch = model_info.get("general.architecture")
        ctx = model_info.get(f"{arch}.context_length") if arch else None
        caps_list = list(info.capabilities or [])
        template = (info.template or "").strip()
        # A model without a chat template (a base model) continues raw text.
        chat = bool(template) and template not in ("{{ .Prompt }}", "{{.Prompt}}")
        details = {
            "family": _get(d, "family"),
            "parameter_size": _get(d, "parameter_size"),
            "quantization": _get(d, "quantization_level"),
            "capabilities": ", ".join(caps_list) if caps_list else None,
            "host": self.label,
        }
        version = self.version()
        vt = _version_tuple(version)
        old = vt is not None and vt < LOGPROBS_MIN_VERSION
        note = (
            f"This Ollama ({version}) is too old for probabilities: they need Ollama 0.12.11 or newer."
            if old
            else "Ollama's probabilities are computed from the raw logits (before temperature, top-k, top-p)."
        )
        return Capabilities(
            mode="chat" if chat else "completion",
            params=frozenset(ALL_PARAMS) if not old else frozenset(p for p in ALL_PARAMS if p != "top_logprobs"),
            max_top_logprobs=0 if old else 20,
            context_length=int(ctx) if ctx else None,
            logprobs_note=note,
            raw_logprobs=True,
            param_notes={"top_logprobs": note} if old else {},
            details={k: v for k, v in details.items() if v is not None},
            structured=STRUCTURED_SCHEMA,  # `format`: "json" or a JSON Schema (Ollama ≥ 0.5)
        )

    def count_tokens(self, model: str, text: str) -> int | None:
        return None  # Ollama has no tokenize endpoint; the runner falls back to counted chunks

    # ------------------------------------------------------------ embeddings (providers.embeddings.Embedder)
    def embedding_models(self) -> list[str]:
        return [m.name for m in self.list_models() if looks_like_embedding_model(m.name)]

    def embed(self, model: str, texts: list[str]) -> Vectors:
        """POST /api/embed {"model", "input": [...]} -> {"embeddings": [[...], ...]} (one call)."""
        try:
            reply = self._client.embed(model=model, input=list(texts))
        except Exception as exc:
            raise self._translate(exc, model) from None
        return check_rows(_get(reply, "embeddings"), len(texts), self._where(), model)

    def describe(self) -> Description:
        return Description(kind="ollama", address=self.label, has_key=bool(self.config.api_key))

    def probe(self) -> dict:
        """Reachable? version, model count, latency (ms) — for the Settings page."""
        t0 = time.perf_counter()
        try:
            models = self.list_models()
        except ProviderError as exc:
            return {"reachable": False, "error": exc.message, "latency_ms": round((time.perf_counter() - t0) * 1000, 1)}
        latency = round((time.perf_counter() - t0) * 1000, 1)
        self._version = None
        return {"reachable": True, "version": self.version(), "models": len(models), "latency_ms": latency}

    # ------------------------------------------------------------ pulling and deleting
    def forget(self, model: str) -> None:
        """Drop what is cached about `model` (its /api/show answer): it was pulled or deleted."""
        with self._lock:
            self._show_cache.pop(model, None)

    def pull(self, model: str, cancel: threading.Event | None = None) -> Iterator[PullProgress]:
        """`ollama pull` through /api/pull: one PullProgress per NDJSON line (status, digest,
        total, completed). Setting `cancel` closes the stream (Ollama stops the download when
        its client goes away) and raises PullCancelled. Failures name the model and say what
        happened: not in the library, disk full, server gone."""
        import httpx

        self.forget(model)
        stream, last = None, None
        try:
            stream = self._client.pull(model, stream=True)
            for part in stream:
                if cancel is not None and cancel.is_set():
                    break
                last = PullProgress(status=part.status or "", completed=part.completed, total=part.total,
                                    digest=part.digest)
                yield last
            else:
                if last is None or not last.done:  # the stream ended before "success": the server went away
                    raise httpx.RemoteProtocolError("the pull stream ended before success")
        except Exception as exc:
            raise self._pull_error(exc, model) from None
        finally:
            if stream is not None:
                stream.close()
            self.forget(model)
        if cancel is not None and cancel.is_set():
            raise PullCancelled(f"Pull of “{model}” cancelled on {self._where()}.", code="pull_cancelled",
                                params={"model": model})

    def delete(self, model: str) -> None:
        """`ollama rm` through /api/delete."""
        try:
            self._client.delete(model)
        except Exception as exc:
            raise self._pull_error(exc, model, deleting=True) from None
        finally:
            self.forget(model)

    def _pull_error(self, exc: BaseException, model: str, deleting: bool = False) -> ProviderError:
        """A failed pull or delete, said the way the person can act on it."""
        import httpx
        import ollama

        where, params = self._where(), {"model": model, "host": self.label}
        if isinstance(exc, ollama.ResponseError):
            detail = scrub(exc.error, self._secrets())
            low = detail.lower()
            if "no space left" in low:
                return DiskFull(f"{where} has no disk space left for “{model}” ({detail}).", code="pull_disk_full",
                                params=params)
            if exc.status_code == 404 or "file does not exist" in low or "not found" in low or "manifest unknown" in low:
                if deleting:
                    return ModelNotFound(f"“{model}” is not installed on {where}.", code="delete_unknown", params=params,
                                         status=404)
                return ModelNotFound(f"“{model}” is not in the Ollama library (check the name and tag). ({detail})",
                                     code="pull_unknown_model", params=params, status=404)
            if exc.status_code in (-1, 200):  # an {"error": ...} line inside the stream
                return ServerError(f"{where} failed to pull “{model}”: {detail}", code="pull_failed",
                                   params={**params, "detail": detail})
        if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, ConnectionError)):
            return BackendUnavailable(f"Cannot connect to {where} (is `ollama serve` running?): “{model}” not "
                                      f"{'deleted' if deleting else 'pulled'}.", code="pull_unreachable", params=params)
        if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.ReadTimeout)):
            return StreamInterrupted(f"{where} went away while pulling “{model}”: nothing was installed; pull again.",
                                     code="pull_server_gone", params=params)
        err = self._translate_raw(exc, model)
        return type(err)(err.message, code="pull_failed", params={**params, "detail": err.message}, status=err.status)

    # ------------------------------------------------------------ generation
    def build_payload(self, request: GenerationRequest, model: str, with_logprobs: bool = True) -> tuple[str, dict]:
        """(endpoint path, exact JSON body) for a request."""
        options: dict[str, Any] = {
            "temperature": request.temperature,
            "top_p": request.top_p,
            "top_k": request.top_k,
            "min_p": request.min_p,
            "num_predict": request.max_tokens,
        }
        if request.seed is not None:
            options["seed"] = request.seed
        if request.stop:
            options["stop"] = list(request.stop)
        if request.num_ctx:
            options["num_ctx"] = request.num_ctx
        if request.is_chat:
            body: dict[str, Any] = {
                "model": model,
                "messages": [{"role": m.role, "content": m.content} for m in request.chat_messages()],
                "stream": True,
                "options": options,
            }
            path = "/api/chat"
        else:
            # raw: the base model continues the text exactly as typed, no template
            body = {"model": model, "prompt": request.prompt, "raw": True, "stream": True, "options": options}
            path = "/api/generate"
        if with_logprobs and request.top_logprobs > 0:
            body["logprobs"] = True
            body["top_logprobs"] = request.top_logprobs
        if request.wants_json:  # Ollama's structured output: the schema object itself, or "json"
            body["format"] = parse_schema(request.json_schema) or "json"
        return path, body

    def plan(self, request: GenerationRequest, model: str) -> Plan:
        caps = self.capabilities(model)
        validate_request(request, caps)
        check_request(request, caps)
        old_server = request.top_logprobs > 0 and "top_logprobs" not in caps.params
        path, body = self.build_payload(request, model, with_logprobs=not old_server)
        notices = (Notice("logprobs_unavailable", caps.logprobs_note or "This Ollama is too old for probabilities."),) \
            if old_server else ()
        return Plan(model, path, body, notices)

    def open_stream(self, plan: Plan) -> tuple[Any, Iterator[Any]]:
        import ollama

        # The body goes through the official client's transport and typed parsing as built
        # here, so the JSON shown to the person is byte for byte what was sent
        # (`Client.chat()` would add fields of its own, e.g. an empty tools list).
        cls = ollama.ChatResponse if plan.path == "/api/chat" else ollama.GenerateResponse
        it = self._client._request(cls, "POST", plan.path, json=plan.body, stream=True)
        # The stream is lazy: pull the first chunk so HTTP errors surface here (and can be retried).
        first = next(it, None)
        return first, it

    def close_stream(self, opened: tuple[Any, Iterator[Any]]) -> None:
        opened[1].close()  # the client's generator holds the HTTP response open

    def read(self, opened: tuple[Any, Iterator[Any]], plan: Plan, reply: Reply) -> Iterator[TextDelta]:
        chunk, rest = opened
        chat = plan.path == "/api/chat"
        while chunk is not None:
            piece = (chunk.message.content if chat and chunk.message else chunk.get("response")) or ""
            lps = tuple(
                TokenLogprob(
                    token=lp.token,
                    logprob=float(lp.logprob),
                    top=tuple(TokenAlternative(a.token, float(a.logprob)) for a in (lp.top_logprobs or ())),
                )
                for lp in (chunk.get("logprobs") or ())
            )
            if piece or lps:
                yield TextDelta(piece, lps, n_tokens=len(lps) if lps else None)
            if chunk.get("done"):
                self._note_final(chunk, reply)
                return
            chunk = next(rest, None)

    def _note_final(self, final: Any, reply: Reply) -> None:
        """The last (`done`) chunk: counts, and timings in nanoseconds turned into milliseconds."""
        timings = {
            "load_ms": _ns_to_ms(final.get("load_duration")),
            "prompt_eval_ms": _ns_to_ms(final.get("prompt_eval_duration")),
            "eval_ms": _ns_to_ms(final.get("eval_duration")),
            "total_ms": _ns_to_ms(final.get("total_duration")),
        }
        reply.done = True
        reply.finish_reason = final.get("done_reason")
        reply.server_timings = {k: v for k, v in timings.items() if v is not None}
        eval_count = final.get("eval_count")
        # prompt_eval_count is missing when the prompt was cached: unknown, not zero
        reply.usage = Usage(prompt_tokens=final.get("prompt_eval_count"), completion_tokens=eval_count)
        reply.extra["host"] = self.label
        if eval_count and final.get("eval_duration"):
            reply.extra["server_tokens_per_s"] = round(eval_count / (final.get("eval_duration") / 1e9), 2)
        load, total = reply.server_timings.get("load_ms"), reply.server_timings.get("total_ms")
        if load is not None and total and load >= COLD_LOAD_SHARE * total:
            reply.extra["cold_load"] = True

    def no_logprobs_notice(self, plan: Plan, reply: Reply) -> Notice:
        # The request asked for them and the server ignored the fields: an Ollama older than 0.12.11.
        version = self.version() or "unknown version"
        return Notice(
            "logprobs_unavailable",
            f"This Ollama ({self.label}, {version}) is too old for probabilities: they need Ollama 0.12.11 or newer. The answer itself is fine.",
        )

    def conclude(self, request: GenerationRequest, plan: Plan, reply: Reply) -> Iterator[Notice]:
        if reply.extra.get("cold_load"):
            load, total = reply.server_timings["load_ms"], reply.server_timings["total_ms"]
            yield Notice(
                "cold_load",
                f"Cold load: Ollama loaded “{plan.model}” into memory first ({load:.0f} ms of {total:.0f} ms); the next run will be faster.",
            )
