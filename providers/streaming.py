"""One stream skeleton for remote backends: send, retry, cancel, deltas, interruption, notices, Finished.

The split follows simonw/llm: a backend only builds its request, opens its stream, turns its wire
chunks into TextDeltas (noting usage and timings in a `Reply`) and translates its exceptions into
the ProviderError family; `RemoteProvider.stream` does the bookkeeping every backend needs, once.
Decisions read typed errors (`status`, `param`, the class), never message text.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from providers.base import (
    BackendUnavailable,
    Event,
    Finished,
    GenerationRequest,
    Notice,
    ProviderError,
    RateLimited,
    RequestInfo,
    StreamInterrupted,
    TextDelta,
    Usage,
    split_model_id,
)
from providers.remote import LISTING, is_retryable, sleep_or_cancel


@dataclass(frozen=True)
class Plan:
    """One request as the backend will send it: the exact body shown to the person, where it goes."""

    model: str  # the backend's own model name (no `provider/` prefix)
    path: str
    body: dict
    notices: tuple[Notice, ...] = ()  # said right after the RequestInfo (e.g. "too old for probabilities")

    @property
    def wants_logprobs(self) -> bool:
        return "logprobs" in self.body


@dataclass
class Reply:
    """What a stream said. The backend's `read` fills in how it ended; the skeleton keeps the text."""

    done: bool = False  # the backend said the answer is complete (Ollama `done`, OpenAI `finish_reason`)
    finish_reason: str | None = None  # as the backend said it (None when it gave none)
    usage: Usage | None = None  # None: the backend reported no token counts
    server_timings: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)
    logprob_tokens: int = 0  # tokens the backend sent probabilities for

    @property
    def text(self) -> str:
        return "".join(self.parts)


class RemoteProvider:
    """Base class of the remote providers: the stream skeleton, retries and error naming.

    Subclasses set `name`, `label` and `config` (with `.retry`) and supply the hooks below.
    """

    name: str
    label: str
    config: Any
    sleep: Callable[[float, threading.Event | None], bool] = staticmethod(sleep_or_cancel)

    # ------------------------------------------------------------ hooks
    def _where(self) -> str:
        """The backend as errors and notices name it (e.g. "Ollama at http://gpu:11434")."""
        raise NotImplementedError

    def plan(self, request: GenerationRequest, model: str) -> Plan:
        """Check the request against the model's capabilities and build the exact body (raises InvalidRequest...)."""
        raise NotImplementedError

    def open_stream(self, plan: Plan) -> Any:
        """Send the request; return the opened stream. HTTP errors must surface here (they may be retried)."""
        raise NotImplementedError

    def read(self, opened: Any, plan: Plan, reply: Reply) -> Iterator[TextDelta]:
        """The stream's text as TextDeltas; how it ended (done, finish reason, usage, timings) goes in `reply`."""
        raise NotImplementedError

    def close_stream(self, opened: Any) -> None:
        """Release the connection (after the end, an error or a cancel)."""

    def _translate_raw(self, exc: BaseException, model: str, *, streaming: bool = False) -> ProviderError:
        """A backend's exception as one readable ProviderError naming the model and the host."""
        raise NotImplementedError

    def adapt(self, request: GenerationRequest, plan: Plan, err: ProviderError) -> tuple[Notice, Plan] | None:
        """After the backend refused to open the stream: a Notice and a plan without what it refused, or None."""
        return None

    def retry_subject(self, model: str) -> str:
        """Who is retried, for the retry notices."""
        return self._where()

    def no_logprobs_notice(self, plan: Plan, reply: Reply) -> Notice:
        """Said when probabilities were asked for, text came back, and no probabilities with it."""
        return Notice("logprobs_unavailable", f"No probabilities came back for “{plan.model}” from {self._where()}.")

    def conclude(self, request: GenerationRequest, plan: Plan, reply: Reply) -> Iterator[Notice]:
        """Backend-specific notices once the answer is complete (may fill in `reply.usage`)."""
        return iter(())

    # ------------------------------------------------------------ errors
    def _translate(self, exc: BaseException, model: str, *, streaming: bool = False) -> ProviderError:
        err = self._translate_raw(exc, model, streaming=streaming)
        if model == LISTING:  # no model involved: say "listing models" rather than naming one
            err.message = err.message.replace(f" — “{LISTING}” not run.", " (listing models).")
            err.message = err.message.replace(f"“{LISTING}”", "the model list")
            err.args = (err.message,)
        return err

    # ------------------------------------------------------------ the skeleton
    def stream(self, request: GenerationRequest, cancel: threading.Event | None = None) -> Iterator[Event]:
        _, model = split_model_id(request.model)
        plan = self.plan(request, model)
        yield RequestInfo(payload=plan.body, endpoint=f"{self.label}{plan.path}")
        yield from plan.notices
        try:
            opened = yield from self._open(plan, cancel)
        except ProviderError as err:
            adapted = self.adapt(request, plan, err)
            if adapted is None:
                raise
            notice, plan = adapted
            yield notice
            yield RequestInfo(payload=plan.body, endpoint=f"{self.label}{plan.path}")
            opened = yield from self._open(plan, cancel)
        yield from self._relay(opened, request, plan, cancel)

    def _open(self, plan: Plan, cancel: threading.Event | None) -> Iterator[Event]:
        """Open the stream, retrying 429 / 503 with backoff (saying so); return the opened stream.

        Only the opening is retried: once text has arrived the person sees it, and silently
        starting over would mix two answers.
        """
        policy = self.config.retry
        attempt = 0
        while True:
            try:
                return self.open_stream(plan)
            except Exception as exc:
                err = self._translate(exc, plan.model)
            if not is_retryable(err) or attempt >= policy.max_retries:
                raise err from None
            delay = policy.delay(attempt, err.retry_after)
            attempt += 1
            reason = "rate-limited (HTTP 429)" if isinstance(err, RateLimited) else f"unavailable (HTTP {err.status})"
            what = self.retry_subject(plan.model)
            yield Notice("retry", f"{what} is {reason}: retrying in {delay:.1f} s (attempt {attempt} of {policy.max_retries}).",
                         position=attempt)
            if self.sleep(delay, cancel):
                raise BackendUnavailable(f"{what}: cancelled while waiting to retry.") from None

    def _relay(self, opened: Any, request: GenerationRequest, plan: Plan, cancel: threading.Event | None) -> Iterator[Event]:
        """Pass the backend's deltas on, watching for cancel; then the closing notices and Finished."""
        reply = Reply()
        deltas = self.read(opened, plan, reply)
        try:
            while True:
                if cancel is not None and cancel.is_set():  # checked before waiting for the next chunk
                    yield Finished(finish_reason="cancelled")
                    return
                try:
                    delta = next(deltas)
                except StopIteration:
                    break
                reply.parts.append(delta.text)
                reply.logprob_tokens += len(delta.logprobs)
                yield delta
        except Exception as exc:
            err = self._translate(exc, plan.model, streaming=True)
            if reply.text and not isinstance(err, StreamInterrupted):
                err = StreamInterrupted(f"{err.message} (the text so far is kept)", status=err.status, param=err.param)
            raise err from None
        finally:
            deltas.close()
            self.close_stream(opened)
        if not reply.done and not reply.text and not reply.logprob_tokens and reply.usage is None:
            # HTTP 200 and then nothing at all: llama.cpp's server answers a prompt beyond the
            # context so (no error, no chunk), and "ended before finished" alone misleads.
            raise StreamInterrupted(
                f"{self._where()} ended the stream before “{plan.model}” sent anything: the prompt probably "
                "exceeds the model's context. Shorten it or lower max tokens.",
                code="empty_stream", params={"where": self._where(), "model": plan.model})
        if not reply.done:
            raise StreamInterrupted(
                f"The stream from {self._where()} ended before “{plan.model}” finished: the text so far is kept.")
        text = reply.text
        if plan.wants_logprobs and text and not reply.logprob_tokens:
            yield self.no_logprobs_notice(plan, reply)
        if not text:
            yield Notice("empty", f"“{plan.model}” on {self._where()} returned an empty reply "
                                  f"(finish reason: {reply.finish_reason or '—'}).")
        yield from self.conclude(request, plan, reply)
        yield Finished(usage=reply.usage or Usage(), finish_reason=reply.finish_reason or "stop",
                       server_timings=reply.server_timings, extra=reply.extra)
