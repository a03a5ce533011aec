"""The remote stream skeleton (providers/streaming.py) with a scripted backend: retries keyed on
the HTTP status, cancel, interruption once text arrived, closing notices and exactly one Finished."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest

from providers.base import (
    BackendUnavailable,
    ChatMessage,
    Finished,
    GenerationRequest,
    InvalidRequest,
    Notice,
    ProviderError,
    RateLimited,
    ServerError,
    StreamInterrupted,
    TextDelta,
    Usage,
)
from providers.remote import RetryPolicy
from providers.streaming import Plan, RemoteProvider

DONE = object()  # in a read script: the backend's own "answer complete" marker


class Backend(RemoteProvider):
    """Each open pops the next item of `opens`: an exception to raise, or a read script (list)."""

    name, label = "fake", "http://fake:1"

    def __init__(self, *opens, retry: RetryPolicy = RetryPolicy(max_retries=2, base_delay=1.0, max_delay=30.0)) -> None:
        self.config = SimpleNamespace(retry=retry)
        self.opens = list(opens)
        self.plans: list[Plan] = []
        self.slept: list[float] = []
        self.closed = 0
        self.pulled = 0
        self.cancel_sleep = False

    def sleep(self, seconds, cancel):  # no real waiting: the delays are recorded
        self.slept.append(seconds)
        return self.cancel_sleep

    def _where(self):
        return f"Fake at {self.label}"

    def plan(self, request, model):
        body = {"model": model, "prompt": request.user_text()}
        if request.top_logprobs:
            body["logprobs"] = True
        return Plan(model, "/generate", body)

    def open_stream(self, plan):
        self.plans.append(plan)
        item = self.opens.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item

    def read(self, opened, plan, reply):
        for item in opened:
            self.pulled += 1
            if isinstance(item, BaseException):
                raise item
            if item is DONE:
                reply.done, reply.finish_reason, reply.usage = True, "stop", Usage(4, 2)
                return
            yield item

    def close_stream(self, opened):
        self.closed += 1

    def _translate_raw(self, exc, model, *, streaming=False):
        return exc if isinstance(exc, ProviderError) else ServerError(f"Fake failed: {exc}")

    def adapt(self, request, plan, err):
        if err.param == "logprobs" and plan.wants_logprobs:
            body = {k: v for k, v in plan.body.items() if k != "logprobs"}
            return Notice("logprobs_unavailable", "ran without probabilities"), Plan(plan.model, plan.path, body)
        return None


def request(**kw) -> GenerationRequest:
    return GenerationRequest(model="fake/m", messages=(ChatMessage("user", "Bonjour"),), **kw)


def kinds(events) -> list[str]:
    return [type(e).__name__ if not isinstance(e, Notice) else f"Notice:{e.code}" for e in events]


def test_a_complete_stream_is_request_info_deltas_then_one_finished():
    backend = Backend([TextDelta("Bon"), TextDelta("jour"), DONE])
    events = list(backend.stream(request()))
    assert kinds(events) == ["RequestInfo", "TextDelta", "TextDelta", "Finished"]
    assert events[0].payload == {"model": "m", "prompt": "Bonjour"} and events[0].endpoint == "http://fake:1/generate"
    assert events[-1].finish_reason == "stop" and events[-1].usage == Usage(4, 2)
    assert backend.closed == 1


def test_503_is_retried_with_backoff_and_a_notice_each_time():
    busy = ServerError("Fake is busy", status=503)
    backend = Backend(busy, busy, [TextDelta("Ok"), DONE])
    events = list(backend.stream(request()))
    assert kinds(events) == ["RequestInfo", "Notice:retry", "Notice:retry", "TextDelta", "Finished"]
    assert backend.slept == [1.0, 2.0]  # exponential backoff
    assert "HTTP 503" in events[1].message and "attempt 2 of 2" in events[2].message


def test_retries_key_on_the_status_never_on_the_message_text():
    # a 500 whose text mentions "HTTP 503" is not retried; a 503 whose text does not is
    fooled = Backend(ServerError("upstream said HTTP 503", status=500))
    with pytest.raises(ServerError) as info:
        list(fooled.stream(request()))
    assert info.value.status == 500 and fooled.slept == []
    plain = Backend(ServerError("busy", status=503), [DONE])
    assert isinstance(list(plain.stream(request()))[-1], Finished) and plain.slept == [1.0]


def test_rate_limit_retries_are_bounded_and_follow_retry_after():
    limited = RateLimited("slow down", retry_after=7.0, status=429)
    backend = Backend(limited, limited, limited)
    events = []
    with pytest.raises(RateLimited) as info:
        for ev in backend.stream(request()):
            events.append(ev)
    assert info.value.status == 429 and backend.slept == [7.0, 7.0]
    assert [e.code for e in events if isinstance(e, Notice)] == ["retry", "retry"]


def test_cancel_while_waiting_to_retry_stops_with_unavailable():
    backend = Backend(ServerError("busy", status=503), [DONE])
    backend.cancel_sleep = True
    with pytest.raises(BackendUnavailable, match="cancelled while waiting"):
        list(backend.stream(request()))
    assert len(backend.plans) == 1


def test_an_error_after_text_becomes_interrupted_and_keeps_its_status():
    backend = Backend([TextDelta("Le "), ServerError("Fake broke", status=502)])
    events = []
    with pytest.raises(StreamInterrupted) as info:
        for ev in backend.stream(request()):
            events.append(ev)
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "Le "
    assert info.value.status == 502 and "text so far is kept" in info.value.message
    assert backend.closed == 1


def test_an_error_before_any_text_keeps_its_own_kind():
    with pytest.raises(ServerError) as info:
        list(Backend([ValueError("bad chunk")]).stream(request()))
    assert not isinstance(info.value, StreamInterrupted) and "bad chunk" in info.value.message


def test_a_stream_that_ends_without_the_done_marker_is_interrupted():
    with pytest.raises(StreamInterrupted, match="ended before"):
        list(Backend([TextDelta("Le ")]).stream(request()))


def test_cancel_ends_with_one_cancelled_finished_without_reading_further():
    backend = Backend([TextDelta("Un"), TextDelta(" début"), DONE])
    cancel = threading.Event()
    events = []
    for ev in backend.stream(request(), cancel):
        events.append(ev)
        if isinstance(ev, TextDelta):
            cancel.set()
    assert kinds(events) == ["RequestInfo", "TextDelta", "Finished"]
    assert events[-1].finish_reason == "cancelled"
    assert backend.pulled == 1 and backend.closed == 1


def test_empty_reply_and_missing_probabilities_are_said_before_finished():
    empty = list(Backend([DONE]).stream(request()))
    assert kinds(empty) == ["RequestInfo", "Notice:empty", "Finished"] and "finish reason: stop" in empty[1].message
    no_lp = list(Backend([TextDelta("Oui"), DONE]).stream(request(top_logprobs=3)))
    assert kinds(no_lp) == ["RequestInfo", "TextDelta", "Notice:logprobs_unavailable", "Finished"]


def test_a_refused_feature_is_dropped_and_the_new_body_shown():
    refusal = InvalidRequest("Fake refused logprobs", status=400, param="logprobs")
    backend = Backend(refusal, [TextDelta("Oui"), DONE])
    events = list(backend.stream(request(top_logprobs=3)))
    assert kinds(events) == ["RequestInfo", "Notice:logprobs_unavailable", "RequestInfo", "TextDelta", "Finished"]
    assert "logprobs" in events[0].payload and "logprobs" not in events[2].payload
    assert [("logprobs" in p.body) for p in backend.plans] == [True, False]


def test_an_error_nothing_can_adapt_to_is_raised_as_is():
    with pytest.raises(InvalidRequest) as info:
        list(Backend(InvalidRequest("Fake refused seed", status=400, param="seed")).stream(request()))
    assert info.value.param == "seed" and info.value.status == 400
