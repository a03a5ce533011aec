"""Benchmark engine: exact metrics with a fake clock and scripted streams; prompt-set uploads."""

from __future__ import annotations

import threading

import pytest
from support.scripted import FakeClock, ScriptedProvider

from playground.bench import (
    BenchConfig,
    BenchReport,
    percentile,
    run_benchmark,
    samples_csv,
    stats_csv,
)
from playground.prompt_sets import BUILTIN_SETS, WARMUP_PROMPT, Prompt, PromptSetError, parse_prompt_file
from providers.base import Finished, ServerError, TextDelta, Usage
from providers.registry import Registry


def timed_script(clock: FakeClock, ttft: dict[str, float], n: int = 5, gap: float = 0.02, fail_on: str | None = None):
    """Per prompt: its time to first chunk, then `n` chunks `gap` apart (the warm-up takes no time)."""

    def script(request):
        text = request.user_text()
        if text == WARMUP_PROMPT.text:
            yield TextDelta("w")
            yield Finished(Usage(1, 1))
            return
        clock.advance(ttft[text])
        yield TextDelta("a")
        for i in range(n - 1):
            if fail_on == text and i == 1:
                raise ServerError("the server fell over")
            clock.advance(gap)
            yield TextDelta("b")
        yield Finished(Usage(7, n), "stop")

    return script


def scripted(clock: FakeClock, ttft: dict[str, float], fail_on: str | None = None, barrier: threading.Barrier | None = None,
             on_request=None) -> ScriptedProvider:
    def starting(request, n):
        if barrier is not None and request.user_text() != WARMUP_PROMPT.text:
            barrier.wait()
        if on_request is not None:
            on_request(n)

    return ScriptedProvider(timed_script(clock, ttft, fail_on=fail_on), on_request=starting)


PROMPTS = tuple(Prompt(f"p{i}", f"q{i}") for i in range(1, 6))
TTFT = {"q1": 0.1, "q2": 0.2, "q3": 0.3, "q4": 0.4, "q5": 0.5}


def _run(provider, clock, **kw):
    cfg = BenchConfig(models=("fake/m",), prompts=PROMPTS, warmup=kw.pop("warmup", False), **kw)
    return run_benchmark(Registry({"fake": provider}), cfg, clock=clock)


def test_percentile_is_numpy_linear_interpolation():
    xs = [0.1, 0.2, 0.3, 0.4, 0.5]
    assert percentile(xs, 50) == pytest.approx(0.3, abs=1e-12)
    assert percentile(xs, 90) == pytest.approx(0.46, abs=1e-12)
    assert percentile(xs, 99) == pytest.approx(0.496, abs=1e-12)
    assert percentile([], 50) is None
    assert percentile([2.0], 95) == 2.0


def test_sequential_metrics_are_exact():
    clock = FakeClock()
    rep = _run(scripted(clock, TTFT), clock)
    [g] = rep.stats()
    m = g.metrics
    assert g.requests == 5 and g.errors == 0 and g.error_rate == 0.0
    assert m["ttft_s"]["mean"] == pytest.approx(0.3, abs=1e-9)
    assert m["ttft_s"]["p50"] == pytest.approx(0.3, abs=1e-9)
    assert m["ttft_s"]["p90"] == pytest.approx(0.46, abs=1e-9)
    assert m["ttft_s"]["p95"] == pytest.approx(0.48, abs=1e-9)
    assert m["ttft_s"]["p99"] == pytest.approx(0.496, abs=1e-9)
    # E2E = TTFT + 4 gaps of 20 ms; TPOT = (E2E − TTFT) / (5 − 1) = 20 ms; ITL = the gaps
    assert m["e2e_s"]["p50"] == pytest.approx(0.38, abs=1e-9)
    assert m["tpot_s"]["mean"] == pytest.approx(0.02, abs=1e-9)
    assert m["itl_s"]["n"] == 20 and m["itl_s"]["p99"] == pytest.approx(0.02, abs=1e-9)
    # decode rate: 5 tokens / 0.08 s; throughput: 25 tokens over the group's wall (all E2E in a row)
    assert m["tokens_per_s"]["p50"] == pytest.approx(62.5, abs=1e-6)
    assert g.wall_s == pytest.approx(1.5 + 5 * 0.08, abs=1e-9)
    assert g.throughput_tok_s == pytest.approx(25 / 1.9, abs=1e-6)
    assert rep.samples[0].prompt_tokens == 7


def test_errors_counted_and_excluded_from_latency():
    clock = FakeClock()
    rep = _run(scripted(clock, TTFT, fail_on="q5"), clock, repetitions=2)
    [g] = rep.stats()
    assert g.requests == 10 and g.errors == 2 and g.error_rate == pytest.approx(0.2)
    assert g.metrics["ttft_s"]["n"] == 8
    assert g.metrics["ttft_s"]["p50"] == pytest.approx(0.25, abs=1e-9)
    bad = [s for s in rep.samples if not s.ok]
    assert all("fell over" in s.error for s in bad)


def test_parallel_mode_really_has_n_requests_in_flight():
    clock = FakeClock()
    # every request waits until 4 are in flight: a serial engine would break the barrier
    provider = scripted(clock, {**TTFT, **{f"q{i}": 0.1 for i in range(6, 9)}},
                                barrier=threading.Barrier(4, timeout=20))
    prompts = tuple(Prompt(f"p{i}", f"q{i}") for i in range(1, 9))
    cfg = BenchConfig(models=("fake/m",), prompts=prompts, mode="parallel", concurrency=(4,), warmup=False)
    rep = run_benchmark(Registry({"fake": provider}), cfg, clock=clock)
    assert [s.ok for s in rep.samples] == [True] * 8
    assert {s.concurrency for s in rep.samples} == {4}


def test_several_concurrency_levels_give_one_group_each():
    clock = FakeClock()
    cfg = BenchConfig(models=("fake/m",), prompts=PROMPTS, mode="parallel", concurrency=(2, 1), warmup=False)
    rep = run_benchmark(Registry({"fake": scripted(clock, TTFT)}), cfg, clock=clock)
    assert [g.concurrency for g in rep.stats()] == [1, 2]
    assert cfg.total_requests() == 10 and len(rep.samples) == 10


def test_sequential_mode_ignores_concurrency():
    cfg = BenchConfig(models=("a/b",), prompts=PROMPTS, mode="sequential", concurrency=(8, 16))
    assert cfg.levels() == (1,)


def test_cancel_keeps_results_so_far():
    clock = FakeClock()
    cancel = threading.Event()
    provider = scripted(clock, TTFT, on_request=lambda n: cancel.set() if n == 4 else None)
    cfg = BenchConfig(models=("fake/m",), prompts=PROMPTS, repetitions=3, warmup=False)
    rep = run_benchmark(Registry({"fake": provider}), cfg, cancel=cancel, clock=clock)
    assert rep.cancelled
    assert len(rep.samples) == 3  # the 4th was cut short by the cancel and is not counted
    assert rep.stats()[0].requests == 3


def test_progress_reports_eta():
    clock = FakeClock()
    seen = []
    cfg = BenchConfig(models=("fake/m",), prompts=PROMPTS, warmup=False)
    run_benchmark(Registry({"fake": scripted(clock, TTFT)}), cfg, on_progress=seen.append, clock=clock)
    assert [p.done for p in seen] == [0, 1, 2, 3, 4, 5]
    assert seen[0].eta_s is None
    # after the first request (0.18 s), 4 remain: ETA = 0.18 × 4
    assert seen[1].eta_s == pytest.approx(0.72, abs=1e-9)
    assert seen[-1].eta_s == 0 and seen[-1].fraction == 1.0


def test_warmup_is_not_measured():
    clock = FakeClock()
    provider = scripted(clock, TTFT)
    rep = _run(provider, clock, warmup=True)
    assert len(provider.requests) == 6 and len(rep.samples) == 5
    assert provider.requests[0].user_text() == WARMUP_PROMPT.text  # not a prompt of the set (prompt cache)


def test_unknown_model_is_an_error_sample_not_a_crash():
    clock = FakeClock()
    cfg = BenchConfig(models=("nope/x",), prompts=PROMPTS[:2], warmup=False)
    rep = run_benchmark(Registry({"fake": scripted(clock, TTFT)}), cfg, clock=clock)
    assert [s.ok for s in rep.samples] == [False, False]
    assert rep.stats()[0].error_rate == 1.0


def test_zero_prompts_is_refused():
    with pytest.raises(ValueError, match="empty"):
        BenchConfig(models=("a/b",), prompts=()).validate()


def test_report_round_trips_through_dict_and_csv():
    clock = FakeClock()
    rep = _run(scripted(clock, TTFT), clock)
    again = BenchReport.from_dict(rep.to_dict())
    assert again.stats()[0].to_dict() == rep.stats()[0].to_dict()
    assert stats_csv(rep.stats()).splitlines()[0].startswith("model,concurrency,requests,errors")
    assert len(samples_csv(rep).splitlines()) == 6


def test_builtin_sets_have_about_ten_prompts():
    assert len(BUILTIN_SETS["fr"]) == 10 and len(BUILTIN_SETS["en"]) == 10


# ---------------------------------------------------------------- uploads
def test_csv_with_prompt_column():
    ps = parse_prompt_file("set.csv", "id,prompt,system\na,Bonjour,\nb,\"Salut, ça va ?\",Sois bref\n".encode())
    assert ps == [Prompt("a", "Bonjour"), Prompt("b", "Salut, ça va ?", "Sois bref")]


def test_csv_wrong_columns_names_what_was_found():
    with pytest.raises(PromptSetError, match="no “prompt” column.*“question”, “answer”"):
        parse_prompt_file("set.csv", b"question,answer\nx,y\n")


def test_jsonl_and_txt():
    assert [p.text for p in parse_prompt_file("s.jsonl", b'{"prompt": "a"}\n\n{"prompt": "b", "id": "x"}\n')] == ["a", "b"]
    assert [p.text for p in parse_prompt_file("s.txt", "un\n\n deux \n".encode())] == ["un", "deux"]


def test_jsonl_bad_line_is_located():
    with pytest.raises(PromptSetError, match="line 2"):
        parse_prompt_file("s.jsonl", b'{"prompt": "a"}\n{"prompt": \n')
    with pytest.raises(PromptSetError, match="“prompt” text field"):
        parse_prompt_file("s.jsonl", b'{"text": "a"}\n')


@pytest.mark.parametrize("name,data,match", [
    ("e.csv", b"", "empty"),
    ("e.txt", b"  \n\n", "empty"),
    ("b.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ("l.txt", "é".encode("latin-1") + b" abc", "UTF-8"),
    ("x.xlsx", b"prompt\nhi", "unknown file type"),
    ("h.csv", b"prompt\n\n", "no prompt"),
])
def test_bad_uploads_have_clear_messages(name, data, match):
    with pytest.raises(PromptSetError, match=match):
        parse_prompt_file(name, data)


def test_upload_over_50_mb_is_refused():
    big = b"prompt\n" + b"x" * (50 * 1024 * 1024)
    with pytest.raises(PromptSetError, match="limited to 50 MB"):
        parse_prompt_file("big.csv", big)
