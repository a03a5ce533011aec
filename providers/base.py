"""Provider contract: request and event types, capabilities, and the one error family."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Iterator, Mapping, Protocol, runtime_checkable

# Parameters a backend may honour; capabilities list the subset each model accepts.
ALL_PARAMS = ("temperature", "top_p", "top_k", "min_p", "max_tokens", "seed", "stop", "top_logprobs")


# ---------------------------------------------------------------- errors
class ProviderError(Exception):
    """A failure written for the person at the keyboard (never contains a secret)."""

    kind = "error"

    def __init__(self, message: str, *, retry_after: float | None = None, code: str | None = None,
                 params: Mapping[str, object] | None = None, status: int | None = None,
                 param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
        # `code` + `params` let the UI say the same thing in the person's language
        # (playground/locales/errors.py: key "error.<code>"); `message` stays the English text.
        self.code = code
        self.params = dict(params or {})
        # What code decides on (retries, running again without a refused feature), like
        # openai-python's APIStatusError.status_code and APIError.param: never the message text.
        self.status = status  # the HTTP status the backend answered, when there was one
        self.param = param  # the request field the backend refused ("stream_options", "logprobs", "temperature"...)

    def __str__(self) -> str:
        return self.message


class InvalidRequest(ProviderError):
    """The request itself is wrong (empty prompt, parameter out of range, context too long)."""

    kind = "invalid_request"


class ContextTooLong(InvalidRequest):
    """The prompt (plus max tokens) does not fit in the model's context, as the backend said."""


class ModelNotFound(ProviderError):
    """No such model (or provider) is known."""

    kind = "model_not_found"


class ModelLoadError(ProviderError):
    """A model file is missing, unreadable or not a valid GGUF."""

    kind = "model_load"


class BackendUnavailable(ProviderError):
    """The server cannot be reached (refused, unknown host, timeout)."""

    kind = "unavailable"


class AuthenticationFailed(ProviderError):
    """Wrong or missing key (HTTP 401/403)."""

    kind = "auth"


class RateLimited(ProviderError):
    """HTTP 429: too many requests; `retry_after` says when to try again (seconds)."""

    kind = "rate_limited"


class ServerError(ProviderError):
    """The backend failed (HTTP 5xx, an error line in the stream, a malformed chunk)."""

    kind = "server"


class StreamInterrupted(ProviderError):
    """The stream stopped before the model finished; the text received so far is kept."""

    kind = "interrupted"


# ---------------------------------------------------------------- requests
@dataclass(frozen=True)
class ChatMessage:
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True)
class GenerationRequest:
    """One generation: either chat `messages` or a raw completion `prompt`.

    `model` is the full id `provider/model`. `top_k=0` and `min_p=0` mean "off";
    `top_logprobs=0` means no probabilities are requested.
    """

    model: str
    messages: tuple[ChatMessage, ...] = ()
    prompt: str | None = None
    system: str | None = None
    temperature: float = 0.7
    top_p: float = 1.0
    top_k: int = 0
    min_p: float = 0.0
    max_tokens: int = 256
    seed: int | None = None
    stop: tuple[str, ...] = ()
    top_logprobs: int = 0
    num_ctx: int | None = None
    # Structured output: `json_output` asks for one JSON value; `json_schema` (compact JSON
    # text, see providers.structured) constrains it further. A schema implies JSON output.
    json_output: bool = False
    json_schema: str | None = None

    @property
    def wants_json(self) -> bool:
        return self.json_output or bool(self.json_schema)

    @property
    def is_chat(self) -> bool:
        return self.prompt is None

    def chat_messages(self) -> list[ChatMessage]:
        """Messages including the system prompt (if any) in front."""
        msgs = list(self.messages)
        if self.system and not any(m.role == "system" for m in msgs):
            msgs.insert(0, ChatMessage("system", self.system))
        return msgs

    def user_text(self) -> str:
        """The text the person typed (raw prompt, or the chat messages' contents)."""
        if self.prompt is not None:
            return self.prompt
        return "\n".join(m.content for m in self.messages)

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "messages": [{"role": m.role, "content": m.content} for m in self.messages],
            "prompt": self.prompt,
            "system": self.system,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "top_k": self.top_k,
            "min_p": self.min_p,
            "max_tokens": self.max_tokens,
            "seed": self.seed,
            "stop": list(self.stop),
            "top_logprobs": self.top_logprobs,
            "num_ctx": self.num_ctx,
            # only when asked: records made before structured output read back unchanged
            **({"json_output": True} if self.wants_json else {}),
            **({"json_schema": self.json_schema} if self.json_schema else {}),
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> "GenerationRequest":
        return cls(
            model=d["model"],
            messages=tuple(ChatMessage(m["role"], m["content"]) for m in d.get("messages") or ()),
            prompt=d.get("prompt"),
            system=d.get("system"),
            temperature=float(d.get("temperature", 0.7)),
            top_p=float(d.get("top_p", 1.0)),
            top_k=int(d.get("top_k", 0)),
            min_p=float(d.get("min_p", 0.0)),
            max_tokens=int(d.get("max_tokens", 256)),
            seed=d.get("seed"),
            stop=tuple(d.get("stop") or ()),
            top_logprobs=int(d.get("top_logprobs", 0)),
            num_ctx=d.get("num_ctx"),
            json_output=bool(d.get("json_output", False)),
            json_schema=d.get("json_schema") or None,
        )


# ---------------------------------------------------------------- events
@dataclass(frozen=True)
class TokenAlternative:
    token: str
    logprob: float
    id: int | None = None

    @property
    def prob(self) -> float:
        return math.exp(self.logprob)


@dataclass(frozen=True)
class TokenLogprob:
    """One emitted token with its logprob and the top alternatives (sorted, most likely first)."""

    token: str
    logprob: float
    top: tuple[TokenAlternative, ...] = ()
    id: int | None = None

    @property
    def prob(self) -> float:
        return math.exp(self.logprob)

    def to_dict(self) -> dict:
        return {
            "token": self.token,
            "logprob": self.logprob,
            "top": [{"token": a.token, "logprob": a.logprob} for a in self.top],
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> "TokenLogprob":
        return cls(
            token=d["token"],
            logprob=float(d["logprob"]),
            top=tuple(TokenAlternative(a["token"], float(a["logprob"])) for a in d.get("top") or ()),
        )


@dataclass(frozen=True)
class RequestInfo:
    """What was actually sent: the request body (keys redacted) and, for chat models
    run locally, the prompt after the chat template was applied."""

    payload: Mapping
    rendered_prompt: str | None = None
    endpoint: str | None = None


@dataclass(frozen=True)
class Notice:
    """Something the person should know that is not an error (queue position, logprobs unavailable)."""

    code: str  # "queued" | "started" | "logprobs_unavailable" | "info" | "retry" ...
    message: str
    position: int | None = None  # "queued": place in line (1 = next)
    wait_s: float | None = None  # "queued": estimated wait
    queue_s: float | None = None  # "started": how long the request waited for a slot


@dataclass(frozen=True)
class TextDelta:
    """New text; `logprobs` covers the tokens in this delta (empty when not requested/available)."""

    text: str
    logprobs: tuple[TokenLogprob, ...] = ()
    n_tokens: int | None = None  # tokens in this delta when known


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    estimated: bool = False  # counted on the client rather than reported by the provider


@dataclass(frozen=True)
class Finished:
    """Last event of a successful stream."""

    usage: Usage = field(default_factory=Usage)
    finish_reason: str | None = None  # "stop" | "length" | "cancelled" | ...
    server_timings: Mapping[str, float] = field(default_factory=dict)  # milliseconds
    extra: Mapping[str, object] = field(default_factory=dict)  # e.g. cost, served_by


Event = RequestInfo | Notice | TextDelta | Finished


# ---------------------------------------------------------------- models
@dataclass(frozen=True)
class Capabilities:
    """What a model accepts. `mode` is "chat" (messages + template) or "completion" (raw text)."""

    mode: str = "chat"
    params: frozenset[str] = frozenset(ALL_PARAMS)
    max_top_logprobs: int = 20
    context_length: int | None = None
    logprobs_note: str | None = None  # why probabilities are missing/limited, when they are
    raw_logprobs: bool = False  # logprobs are computed before temperature/top-k/top-p (remote)
    param_notes: Mapping[str, str] = field(default_factory=dict)  # param -> why it is not honoured
    details: Mapping[str, object] = field(default_factory=dict)  # family, size, quantization, ...
    # The full-vocabulary logits are at hand (in-process models): the next-token explorer is
    # exact there, and computed over the returned top logprobs elsewhere.
    exact_logits: bool = False
    # "JSON output": "schema" (constrained to the schema), "json" (valid JSON asked for, the
    # schema not enforced by the backend) or "none" (the option is greyed out).
    structured: str = "none"
    structured_note: str | None = None  # why the schema is not enforced, when it is not


@dataclass(frozen=True)
class ModelInfo:
    id: str  # full id: provider/model
    provider: str
    name: str
    label: str = ""
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Description:
    """What the Settings page shows of a backend: never the key itself, only whether one is set."""

    kind: str  # a row of providers.backends ("ollama", "openai", ...) or "embedded"
    address: str | None = None  # host label (no credentials); None for in-process models
    has_key: bool = False


@runtime_checkable
class Provider(Protocol):
    """A backend. Implementations must not import Streamlit.

    `capabilities(model).exact_logits` says whether full-vocabulary logits are available.
    """

    name: str

    def list_models(self) -> list[ModelInfo]: ...

    def capabilities(self, model: str) -> Capabilities: ...

    def stream(self, request: GenerationRequest, cancel: threading.Event | None = None) -> Iterator[Event]: ...

    def count_tokens(self, model: str, text: str) -> int | None: ...

    def describe(self) -> Description: ...

    def probe(self) -> dict:
        """A connection test that never raises: {"reachable", "latency_ms", and "version",
        "models" when reachable or "error" when not}."""
        ...


# ---------------------------------------------------------------- helpers
def split_model_id(model_id: str) -> tuple[str, str]:
    """`embedded/smollm2-135m-instruct` -> ("embedded", "smollm2-135m-instruct").

    The first segment names the provider; the rest (which may contain `/` or `:`) is the
    provider's own model name.
    """
    if not isinstance(model_id, str) or "/" not in model_id:
        raise ModelNotFound(
            f"Model id “{model_id}” is not of the form provider/model (e.g. embedded/smollm2-135m-instruct)."
        )
    provider, _, name = model_id.strip().partition("/")
    if not provider or not name:
        raise ModelNotFound(
            f"Model id “{model_id}” is not of the form provider/model (e.g. embedded/smollm2-135m-instruct)."
        )
    return provider, name


# What a parameter falls back to when a backend does not honour it ("off" for filters).
NEUTRAL_PARAMS = {"temperature": 1.0, "top_p": 1.0, "top_k": 0, "min_p": 0.0, "seed": None, "top_logprobs": 0}


def fit_to_capabilities(params: Mapping, caps: Capabilities) -> dict:
    """Parameters as this backend will honour them: unsupported ones set to neutral,
    top_logprobs capped at the backend's maximum, max_tokens at its context."""
    out = dict(params)
    for name, neutral in NEUTRAL_PARAMS.items():
        if name in out and name not in caps.params:
            out[name] = neutral
    if out.get("top_logprobs"):
        out["top_logprobs"] = min(int(out["top_logprobs"]), caps.max_top_logprobs)
    if caps.context_length and out.get("max_tokens"):
        out["max_tokens"] = min(int(out["max_tokens"]), caps.context_length)
    return out


def validate_request(request: GenerationRequest, caps: Capabilities) -> None:
    """Raise InvalidRequest with a readable message when a parameter is out of range."""
    if request.is_chat:
        if not any(m.content.strip() for m in request.messages if m.role != "system"):
            raise InvalidRequest("The prompt is empty: type something to send to the model.", code="empty_prompt")
    elif not (request.prompt or "").strip():
        raise InvalidRequest("The prompt is empty: type something to send to the model.", code="empty_prompt")
    t = request.temperature
    if not (isinstance(t, (int, float)) and math.isfinite(t) and 0.0 <= t <= 2.0):
        raise InvalidRequest(f"Temperature must be between 0 and 2 (got {t}).", code="temperature_range", params={"value": t})
    if not (0.0 < request.top_p <= 1.0):
        raise InvalidRequest(f"top_p must be in (0, 1] (got {request.top_p}).", code="top_p_range", params={"value": request.top_p})
    if request.top_k < 0:
        raise InvalidRequest(f"top_k must be 0 (off) or a positive integer (got {request.top_k}).", code="top_k_range",
                             params={"value": request.top_k})
    if not (0.0 <= request.min_p <= 1.0):
        raise InvalidRequest(f"min_p must be between 0 and 1 (got {request.min_p}).", code="min_p_range", params={"value": request.min_p})
    if request.seed is not None and not (0 <= request.seed < 2**63):
        raise InvalidRequest(f"The seed must be a whole number ≥ 0 (got {request.seed}).", code="seed_range",
                             params={"value": request.seed})
    if request.max_tokens < 1:
        raise InvalidRequest(f"Max tokens must be at least 1 (got {request.max_tokens}).", code="max_tokens_min",
                             params={"value": request.max_tokens})
    if caps.context_length and request.max_tokens > caps.context_length:
        raise InvalidRequest(
            f"Max tokens ({request.max_tokens}) is larger than this model's context "
            f"({caps.context_length} tokens). Lower it to at most {caps.context_length}.",
            code="max_tokens_context", params={"value": request.max_tokens, "context": caps.context_length},
        )
    if request.top_logprobs < 0:
        raise InvalidRequest(f"top_logprobs must be 0 or more (got {request.top_logprobs}).", code="top_logprobs_range",
                             params={"value": request.top_logprobs, "max": caps.max_top_logprobs})
    if request.top_logprobs > 0 and caps.max_top_logprobs and request.top_logprobs > caps.max_top_logprobs:
        raise InvalidRequest(
            f"This model returns at most {caps.max_top_logprobs} alternatives per token "
            f"(asked for {request.top_logprobs}).",
            code="top_logprobs_range", params={"value": request.top_logprobs, "max": caps.max_top_logprobs},
        )
