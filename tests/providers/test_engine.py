"""The embedded scheduler on the real models: a room at once, fairly, deterministically."""

import threading

import pytest

from playground.compare import ColumnRun, compare
from playground.room import Room, RoomLimits
from providers.base import ChatMessage, Finished, GenerationRequest, Notice, TextDelta
from providers.embedded import GEMMA, SMOLLM2

SMOL = f"embedded/{SMOLLM2}"
GEM = f"embedded/{GEMMA}"
PROMPTS = ["La souris de l'ordinateur est un", "Once upon a time", "Le gratin dauphinois est un plat",
           "The capital of France is", "Il était une fois", "1, 2, 3, 4,", "Bonjour, je m'appelle", "Le chat dort sur"]


def request(model: str, text: str, seed: int, **kw) -> GenerationRequest:
    kw = {"max_tokens": 24, "temperature": 0.9, "top_logprobs": 3, **kw}
    if model == SMOL:
        return GenerationRequest(model=model, messages=(ChatMessage("user", text),), seed=seed, **kw)
    return GenerationRequest(model=model, prompt=text, seed=seed, **kw)


def collect(provider, req, cancel=None, on_delta=None) -> dict:
    out = {"text": "", "logprobs": [], "notices": [], "finished": None}
    for ev in provider.stream(req, cancel):
        if isinstance(ev, TextDelta):
            out["text"] += ev.text
            out["logprobs"] += [(lp.id, lp.logprob) for lp in ev.logprobs]
            if on_delta is not None:
                on_delta(out)
        elif isinstance(ev, Notice):
            out["notices"].append(ev)
        elif isinstance(ev, Finished):
            out["finished"] = ev
    return out


def concurrently(fn, n: int) -> list:
    results = [None] * n
    start = threading.Barrier(n)

    def work(i):
        start.wait()
        results[i] = fn(i)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    return results


@pytest.mark.parametrize("model", [SMOL, GEM])
def test_same_seed_same_text_alone_or_among_eight(embedded, model):
    solo = [collect(embedded, request(model, PROMPTS[i], seed=i)) for i in range(8)]
    together = concurrently(lambda i: collect(embedded, request(model, PROMPTS[i], seed=i)), 8)
    for i in range(8):
        assert together[i]["text"] == solo[i]["text"], PROMPTS[i]
        assert together[i]["logprobs"] == solo[i]["logprobs"]  # bit for bit, not approximately
        assert solo[i]["finished"].usage.completion_tokens > 0


def test_a_late_short_request_is_not_stuck_behind_long_ones(embedded):
    order: list[str] = []
    lock = threading.Lock()
    long_started = threading.Barrier(4)

    def long(i):
        def first(out):
            if len(out["text"]) and not getattr(first, "done", False):
                first.done = True
                long_started.wait()
        collect(embedded, request(SMOL, PROMPTS[i], seed=i, max_tokens=160, temperature=1.2), on_delta=first)
        with lock:
            order.append(f"long{i}")

    threads = [threading.Thread(target=long, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    long_started.wait()  # all three long answers are streaming
    collect(embedded, request(SMOL, "Bonjour", seed=1, max_tokens=6))
    with lock:
        order.append("short")
    for t in threads:
        t.join(timeout=600)
    assert order[0] == "short", order


def _engine(embedded, model):
    return embedded.model(model.split("/", 1)[1]).engine


def test_stop_frees_the_slot_within_one_decode_step(embedded):
    engine = _engine(embedded, SMOL)
    cancel = threading.Event()
    seen = {}

    def on_delta(out):
        if len(out["logprobs"]) >= 3 and not cancel.is_set():
            seen["steps"] = engine.load()["steps"]
            cancel.set()

    out = collect(embedded, request(SMOL, PROMPTS[0], seed=3, max_tokens=400, temperature=1.5), cancel, on_delta)
    assert out["finished"].finish_reason == "cancelled"
    assert out["text"]  # what streamed before Stop stays
    assert engine.load()["active"] == 0
    assert engine.load()["steps"] - seen["steps"] <= 2  # the step in flight, then freed


def test_an_abandoned_stream_is_cancelled_and_frees_its_slot(embedded):
    engine = _engine(embedded, GEM)
    stream = embedded.stream(request(GEM, PROMPTS[1], seed=2, max_tokens=400), None)
    for ev in stream:
        if isinstance(ev, TextDelta):
            break
    assert engine.load()["active"] == 1
    stream.close()  # the page went away: nobody reads this stream any more
    for _ in range(200):
        if engine.load()["active"] == 0:
            break
        threading.Event().wait(0.05)
    assert engine.load()["active"] == 0


def test_identical_prompts_are_evaluated_once_and_shared(embedded):
    engine = _engine(embedded, GEM)
    prompt = "Le gratin dauphinois est un plat traditionnel de la région du Dauphiné, " * 6
    first = collect(embedded, request(GEM, prompt, seed=5))
    before = engine.load()["prompt_tokens_evaluated"]
    again = collect(embedded, request(GEM, prompt, seed=5))
    n_prompt = again["finished"].usage.prompt_tokens
    assert again["finished"].server_timings["prompt_shared_tokens"] == n_prompt
    assert engine.load()["prompt_tokens_evaluated"] == before  # nothing re-evaluated
    assert again["text"] == first["text"] and again["logprobs"] == first["logprobs"]
    # a longer prompt starting the same way reuses the whole chunks of the shared part
    longer = collect(embedded, request(GEM, prompt + "On le sert avec", seed=5))
    shared = longer["finished"].server_timings["prompt_shared_tokens"]
    assert shared >= engine.settings.chunk and shared % engine.settings.chunk == 0


def test_waiting_requests_see_their_position_and_then_their_queue_wait(embedded):
    engine = _engine(embedded, SMOL)
    engine.set_max_active(1)
    try:
        outs = concurrently(lambda i: collect(embedded, request(SMOL, PROMPTS[i], seed=i, max_tokens=12)), 3)
    finally:
        engine.set_max_active(engine.settings.max_active)
    queued = [o for o in outs if any(n.code == "queued" for n in o["notices"])]
    assert len(queued) == 2
    first = sorted(next(n.position for n in o["notices"] if n.code == "queued") for o in queued)
    assert first == [1, 2]  # the later one learns it is second in line, then moves up
    assert all(o["notices"][-1].code != "queued" for o in queued)  # each left the line before answering
    for o in queued:
        assert all(n.wait_s is not None and n.wait_s >= 0 for n in o["notices"] if n.code == "queued")
        started = [n for n in o["notices"] if n.code == "started"]
        assert len(started) == 1 and started[0].queue_s > 0
    for i, o in enumerate(outs):
        assert o["text"] == collect(embedded, request(SMOL, PROMPTS[i], seed=i, max_tokens=12))["text"]


def test_queue_wait_is_its_own_figure_beside_ttft(registry):
    engine = registry.resolve(SMOL)[0].model(SMOLLM2).engine
    engine.set_max_active(1)
    try:
        results = compare(registry, [request(SMOL, PROMPTS[i], seed=i, max_tokens=16) for i in range(3)])
    finally:
        engine.set_max_active(engine.settings.max_active)
    waited = [r for r in results if r.queue_s and r.queue_s > 0.001]
    assert waited, [r.queue_s for r in results]
    for r in results:
        assert r.queue_s is not None and r.ttft_s is not None
        assert r.ttft_s >= r.queue_s  # TTFT is client-measured, the queue included (llmperf)
        assert r.to_dict()["queue_s"] == r.queue_s


def test_room_limits_refuse_extra_runs_and_lower_max_tokens(registry):
    room = Room(RoomLimits(max_runs_per_session=1, max_tokens=5))
    reqs = [request(SMOL, PROMPTS[0], seed=1, max_tokens=50), request(SMOL, PROMPTS[1], seed=2, max_tokens=50)]
    run = ColumnRun(registry, reqs, session="attendee-1", room=room).start()
    list(run.events())
    refused = [r for r in run.results if r.error_code == "room_runs"]
    done = [r for r in run.results if r.ok]
    assert len(refused) == 1 and len(done) == 1
    assert "1" in refused[0].error and "Stop" in refused[0].error
    assert done[0].completion_tokens <= 5
    assert any("5" in n and "limit" in n for n in done[0].notes)
    assert room.running("attendee-1") == 0  # counted out when the run ended
    # another session is not affected by this one's runs
    other = ColumnRun(registry, reqs[:1], session="attendee-2", room=room).start()
    list(other.events())
    assert other.results[0].ok


def test_explorer_logits_match_generation_among_other_sessions(embedded):
    import numpy as np

    from providers.sampling import log_softmax

    m = embedded.model(GEMMA)
    _, ids = m.prompt_tokens(request(GEM, PROMPTS[0], seed=0))
    busy = threading.Thread(target=collect, args=(embedded, request(GEM, PROMPTS[2], seed=9, max_tokens=60)))
    busy.start()
    gen = collect(embedded, request(GEM, PROMPTS[0], seed=0, max_tokens=4, temperature=0.0))
    trail = [tok for tok, _ in gen["logprobs"][:2]]
    logits = embedded.next_token_logits(GEMMA, ids, trail)
    busy.join(timeout=600)
    assert np.isclose(float(log_softmax(logits)[gen["logprobs"][2][0]]), gen["logprobs"][2][1], rtol=0, atol=1e-6)
