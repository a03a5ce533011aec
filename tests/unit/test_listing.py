"""The process-wide model listing: a stale listing is served at once while one background
refresh runs, so a backend that is down never makes a page wait for its timeout again."""

import threading

from support.scripted import FakeClock

from playground.listing import Listing


class SlowFetch:
    """Counts its calls; from the second on, each waits for `release` (a backend timing out)."""

    def __init__(self) -> None:
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self):
        self.calls += 1
        if self.calls > 1:
            self.started.set()
            assert self.release.wait(60), "the test never released the fetch"
        return (f"listing {self.calls}",)


def test_first_listing_is_waited_for_then_served_from_memory():
    clock, fetch = FakeClock(), SlowFetch()
    listing = Listing(fetch, ttl_s=30.0, clock=clock)
    assert listing.get() == ("listing 1",)
    clock.advance(29.0)
    assert listing.get() == ("listing 1",) and fetch.calls == 1


def test_a_stale_listing_is_served_at_once_while_one_refresh_runs():
    clock, fetch = FakeClock(), SlowFetch()
    listing = Listing(fetch, ttl_s=30.0, clock=clock)
    listing.get()
    clock.advance(31.0)
    assert listing.get() == ("listing 1",)  # returned while the refresh is still blocked
    assert fetch.started.wait(60)
    assert listing.get() == ("listing 1",) and listing.get() == ("listing 1",)
    assert fetch.calls == 2  # several visitors, one refresh
    fetch.release.set()
    listing.wait_refreshed(60)
    assert listing.get() == ("listing 2",)
    clock.advance(10.0)
    assert listing.get() == ("listing 2",) and fetch.calls == 2  # fresh again: no new fetch


def test_a_failed_refresh_keeps_the_last_listing_and_tries_again_later():
    clock = FakeClock()
    calls = []

    def fetch():
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("backend table broke")
        return len(calls)

    listing = Listing(fetch, ttl_s=30.0, clock=clock)
    assert listing.get() == 1
    clock.advance(31.0)
    assert listing.get() == 1
    listing.wait_refreshed(60)
    assert listing.get() == 1  # still the last good one; this call starts the next refresh
    listing.wait_refreshed(60)
    assert listing.get() == 3 and len(calls) == 3


def test_concurrent_first_visitors_share_one_listing():
    gate = threading.Barrier(4)
    calls = []

    def fetch():
        calls.append(1)
        return "models"

    listing = Listing(fetch, ttl_s=30.0, clock=FakeClock())
    results = []

    def visit():
        gate.wait(60)
        results.append(listing.get())

    threads = [threading.Thread(target=visit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == ["models"] * 4 and len(calls) == 1
