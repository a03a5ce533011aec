"""Runner metrics with a fake clock: exact TTFT / total / tok/s / chars/s arithmetic."""

import pytest
from support.scripted import FakeClock

from playground.runner import RunMeter, run_stream
from providers.base import (
    Finished,
    InvalidRequest,
    ModelNotFound,
    RequestInfo,
    StreamInterrupted,
    TextDelta,
    TokenLogprob,
    Usage,
    split_model_id,
)


def test_metrics_arithmetic_with_provider_usage():
    # start=10.0, RequestInfo at 10.1, first text at 10.5, second at 11.0, finished at 12.5
    clock = FakeClock(10.0, 10.1, 10.5, 11.0, 12.5)
    events = [
        RequestInfo({"model": "x"}),
        TextDelta("Bon"),
        TextDelta("jour"),
        Finished(Usage(prompt_tokens=7, completion_tokens=8), "stop", {"eval_ms": 3.0}),
    ]
    r = run_stream(lambda: events, "embedded/x", clock)
    assert r.text == "Bonjour"
    assert r.ttft_s == pytest.approx(0.5)
    assert r.total_s == pytest.approx(2.5)
    assert r.tokens_per_s == pytest.approx(8 / 2.0)
    assert r.chars_per_s == pytest.approx(7 / 2.0)
    assert (r.prompt_tokens, r.completion_tokens, r.tokens_estimated) == (7, 8, False)
    assert r.finish_reason == "stop" and r.server_timings == {"eval_ms": 3.0}
    assert r.chunk_times == pytest.approx([0.5, 1.0])


def test_empty_first_delta_does_not_count_as_first_token():
    clock = FakeClock(0.0, 0.2, 0.7, 1.7)
    events = [TextDelta(""), TextDelta("a"), Finished(Usage(1, 1), "stop")]
    r = run_stream(lambda: events, "p/m", clock)
    assert r.ttft_s == pytest.approx(0.7)
    assert r.total_s == pytest.approx(1.7)
    assert r.tokens_per_s == pytest.approx(1 / 1.0)


def test_tokens_counted_with_tokenizer_when_provider_gives_none():
    clock = FakeClock(0.0, 1.0, 3.0)
    events = [TextDelta("hello world"), Finished(Usage(None, None), "stop")]
    r = run_stream(lambda: events, "p/m", clock, count_tokens=lambda text: len(text.split()))
    assert r.completion_tokens == 2 and r.tokens_estimated is True
    assert r.tokens_per_s == pytest.approx(2 / 2.0)


def test_logprobs_count_tokens_when_no_usage():
    lp = TokenLogprob("a", -0.1)
    clock = FakeClock(0.0, 1.0, 2.0, 2.0)
    events = [TextDelta("a", (lp,)), TextDelta("a", (lp,))]
    r = run_stream(lambda: events, "p/m", clock)
    assert r.completion_tokens == 2 and len(r.logprobs) == 2


def test_error_mid_stream_keeps_partial_text():
    def events():
        yield TextDelta("partial ")
        raise StreamInterrupted("The connection dropped after 1 chunk.")

    clock = FakeClock(0.0, 0.3, 0.9)
    r = run_stream(events, "p/m", clock)
    assert r.text == "partial "
    assert r.error == "The connection dropped after 1 chunk." and r.error_kind == "interrupted"
    assert r.finish_reason == "error"
    assert r.ttft_s == pytest.approx(0.3)


def test_unexpected_exception_becomes_one_line_error():
    def events():
        raise RuntimeError("boom")
        yield  # pragma: no cover

    r = run_stream(events, "p/m", FakeClock(0.0, 1.0))
    assert r.error == "Unexpected error: RuntimeError: boom"


def test_live_metrics_while_streaming():
    m = RunMeter("p/m", FakeClock(0.0, 0.5, 1.0, 2.0))
    m.start()
    m.feed(TextDelta("a", n_tokens=1))
    m.feed(TextDelta("bc", n_tokens=2))
    live = m.live()
    assert live.ttft_s == pytest.approx(0.5)
    assert live.tokens == 3 and live.chars == 3
    assert live.tokens_per_s == pytest.approx(3 / 1.5)
    assert live.elapsed_s == pytest.approx(2.0)


@pytest.mark.parametrize(
    "model_id, expected",
    [
        ("embedded/smollm2-135m-instruct", ("embedded", "smollm2-135m-instruct")),
        ("ollama/qwen2.5:1.5b", ("ollama", "qwen2.5:1.5b")),
        ("openrouter/meta-llama/llama-3.1-8b-instruct", ("openrouter", "meta-llama/llama-3.1-8b-instruct")),
    ],
)
def test_model_id_parsing(model_id, expected):
    assert split_model_id(model_id) == expected


@pytest.mark.parametrize("bad", ["smollm2", "/x", "embedded/", ""])
def test_bad_model_ids_are_rejected_readably(bad):
    with pytest.raises(ModelNotFound, match="provider/model"):
        split_model_id(bad)


def test_invalid_request_is_a_provider_error():
    assert issubclass(InvalidRequest, Exception) and InvalidRequest("x").kind == "invalid_request"


def test_parameters_fit_what_a_backend_honours():
    from providers.base import Capabilities, fit_to_capabilities

    caps = Capabilities(params=frozenset({"temperature", "top_p", "max_tokens", "top_logprobs"}), max_top_logprobs=5, context_length=100)
    out = fit_to_capabilities({"temperature": 0.3, "top_k": 40, "min_p": 0.1, "seed": 7, "top_logprobs": 20, "max_tokens": 500}, caps)
    assert out == {"temperature": 0.3, "top_k": 0, "min_p": 0.0, "seed": None, "top_logprobs": 5, "max_tokens": 100}
