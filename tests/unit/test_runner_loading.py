"""The runner while an embedded model loads on its first use: the live metrics say "loading"
(the page shows it in the visitor's language), nothing lands in the notes, and the load's
time stays inside TTFT, flagged as a cold load like Ollama's."""

import pytest
from support.scripted import FakeClock

from playground.runner import RunMeter
from providers.base import Finished, Notice, RequestInfo, TextDelta, Usage


def test_loading_notice_shows_in_live_metrics_until_the_request_starts():
    meter = RunMeter("embedded/x", FakeClock(0.0, 0.0, 0.1, 0.2, 0.3, 3.0, 3.1, 3.2, 3.5))
    meter.start()
    meter.feed(RequestInfo({"model": "embedded/x"}))
    assert meter.live().loading is False
    meter.feed(Notice("loading", "Loading embedded/x (first use in this process)…"))
    assert meter.live().loading is True
    meter.feed(Notice("started", "", queue_s=0.0))
    assert meter.live().loading is False
    meter.feed(TextDelta("Bon"))
    meter.feed(Finished(Usage(3, 1), "stop", {"load_ms": 2800.0}, {"cold_load": True}))
    r = meter.finish()
    assert r.notes == []  # the English provider text never reaches the page
    assert r.ttft_s == pytest.approx(3.2)  # the visitor did wait for the load: it stays in TTFT
    assert r.extra["cold_load"] is True and r.server_timings["load_ms"] == 2800.0


def test_a_queue_notice_also_ends_the_loading_state():
    meter = RunMeter("embedded/x", FakeClock(0.0, 0.1, 0.2, 0.3))
    meter.start()
    meter.feed(Notice("loading", "Loading…"))
    meter.feed(Notice("queued", "Waiting", position=2, wait_s=1.0))
    live = meter.live()
    assert live.loading is False and live.queue_position == 2
