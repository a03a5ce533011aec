"""OpenAI-style wire details: streamed chunks, their logprobs, error bodies and refused parameters."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from providers.base import TokenAlternative, TokenLogprob
from providers.sse import sse_json

# Parameters a deployment may refuse one by one (Azure o-series: max_tokens, temperature, top_p),
# in the order a refusal message is searched for them.
REFUSABLE = ("max_tokens", "temperature", "top_p", "seed", "top_k", "min_p")
_REFUSAL_WORDS = ("unsupported", "not supported", "does not support", "unrecognized", "unknown parameter", "not allowed")


def error_detail(exc) -> str:
    """The server's own explanation in an `openai.APIStatusError` (its error body's message)."""
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


def refused_param(detail: str) -> str | None:
    """The request field a refusal names, as a token code can act on: "stream_options" (an older
    server), one of REFUSABLE (a deployment that refuses it), "logprobs" (a model without
    probabilities), or None. Servers say it only in words (their `param` field is often null)."""
    low = detail.lower()
    if "stream_options" in low:
        return "stream_options"
    if any(w in low for w in _REFUSAL_WORDS):
        for param in REFUSABLE:
            if f"'{param}'" in low or f'"{param}"' in low or f" {param}" in low:
                return param
    if "logprob" in low:
        return "logprobs"
    return None


def stream_chunks(response) -> Iterator[dict]:
    """The JSON chunks of an OpenAI-style streaming response, up to `[DONE]`.

    Raises like the SDK's own stream, so the provider maps them the same way: an `error` object in
    the stream raises `openai.APIError`; transport failures raise `openai.APITimeoutError` /
    `APIConnectionError`; a payload that is not a JSON object raises ValueError (malformed).
    """
    import openai

    try:
        for chunk in sse_json(response.iter_lines()):
            if chunk.get("error"):
                error = chunk["error"]
                message = error.get("message") if isinstance(error, Mapping) else None
                if not message or not isinstance(message, str):
                    message = "An error occurred during streaming"
                raise openai.APIError(message=message, request=response.request, body=error)
            yield chunk
    except Exception as exc:
        kind = transport_error(exc)
        if kind is None:
            raise
        raise kind(request=response.request) from exc


def transport_error(exc: BaseException):
    """The SDK exception class the SDK's own stream would raise for an httpx/httpx2 error, or None."""
    import openai

    timeouts, requests, _ = _http_errors()
    if isinstance(exc, timeouts):
        return openai.APITimeoutError
    if isinstance(exc, requests):
        return openai.APIConnectionError
    return None


def timeouts() -> tuple[type, ...]:
    """The timeout errors of the HTTP libraries the SDK may use."""
    return _http_errors()[0]


def connect_timeouts() -> tuple[type, ...]:
    """The connect-timeout errors of the HTTP libraries the SDK may use: an APITimeoutError caused
    by one of them means the server never accepted the connection."""
    return _http_errors()[2]


_HTTP_ERRORS: tuple[tuple[type, ...], tuple[type, ...], tuple[type, ...]] | None = None


def _http_errors() -> tuple[tuple[type, ...], tuple[type, ...], tuple[type, ...]]:
    """(timeout, request, connect-timeout) errors of the HTTP libraries the SDK may use (httpx; httpx2 in openai >= 3)."""
    global _HTTP_ERRORS
    if _HTTP_ERRORS is None:
        import httpx

        libs = [httpx]
        try:
            import httpx2

            libs.append(httpx2)
        except ImportError:
            pass
        _HTTP_ERRORS = (tuple(lib.TimeoutException for lib in libs), tuple(lib.RequestError for lib in libs),
                        tuple(lib.ConnectTimeout for lib in libs))
    return _HTTP_ERRORS


def chat_logprobs(lp: Any) -> tuple[TokenLogprob, ...]:
    """`choices[].logprobs` of a chat chunk: `content[]` with token, logprob, top_logprobs[]."""
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


def completion_logprobs(lp: Any) -> tuple[TokenLogprob, ...]:
    """`choices[].logprobs` of a legacy completion chunk: parallel lists, alternatives as a dict."""
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
