"""The instructor's room: the shared state persisted in SQLite, and the password gate."""

import logging
import threading

import pytest

from playground.classroom import Classroom, InstructorGate, Preset, instructor_password
from playground.course_presets import COURSE_PRESETS, course_preset
from playground.room import Room, RoomLimits
from playground.room_store import RoomStore
from tests.support.scripted import FakeClock

PRESET = Preset(page="compare", prompt="Bonjour", models=("embedded/smollm2-135m-instruct",),
                params={"temperature": 1.5, "seed": 7}, title="Salut")


def test_preset_checks_what_it_opens():
    with pytest.raises(ValueError):
        Preset(page="settings", prompt="x", models=("m",))
    with pytest.raises(ValueError):
        Preset(page="compare", prompt="x", models=())
    with pytest.raises(ValueError):
        Preset(page="compare", prompt="x", models=("m",), params={"api_key": "sk-x"})
    assert Preset.from_dict(PRESET.to_dict()) == PRESET


def test_the_room_survives_a_restart(tmp_path):
    db = tmp_path / "room.sqlite3"
    room = Room()
    first = Classroom(RoomStore(db), room)
    published = first.publish(PRESET, clock=lambda: 1234.5)
    first.set_locked(True)
    first.set_pages(("compare", "next-token"))
    first.set_limits(RoomLimits(max_runs_per_session=1, max_tokens=64))
    assert room.limits.max_tokens == 64

    fresh_room = Room()
    again = Classroom(RoomStore(db), fresh_room)  # a new process reading the same file
    snap = again.snapshot()
    assert snap.preset == published and published.id and published.published_at == 1234.5
    assert snap.locked is True
    assert snap.pages == ("compare", "next-token")
    assert snap.limits == RoomLimits(max_runs_per_session=1, max_tokens=64)
    assert fresh_room.limits.max_tokens == 64  # in force after the restart, not only shown
    assert snap.version == first.snapshot().version == 4


def test_each_publication_is_new_and_withdraw_unlocks(tmp_path):
    c = Classroom(RoomStore(tmp_path / "r.sqlite3"), Room())
    a, b = c.publish(PRESET), c.publish(PRESET)
    assert a.id != b.id  # sessions apply each publication once, even of the same demo
    c.set_locked(True)
    c.withdraw()
    snap = c.snapshot()
    assert snap.preset is None and snap.locked is False


def test_a_waiting_session_wakes_on_change():
    c = Classroom(None, Room())
    seen = c.snapshot().version
    got = []
    t = threading.Thread(target=lambda: got.append(c.wait_for_change(seen, timeout=30)))
    t.start()
    c.publish(PRESET)
    t.join(30)
    assert got and got[0].preset is not None and got[0].version == seen + 1


def test_unreadable_room_file_keeps_the_room_in_memory(tmp_path):
    bad = tmp_path / "room.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    c = Classroom(_BrokenStore(bad), Room())
    assert c.publish(PRESET).id  # published all the same
    assert c.snapshot().preset is not None


class _BrokenStore(RoomStore):
    def __init__(self, path):  # a file SQLite refuses: every read and write fails
        self.path = path
        self._schemas = set()
        self._lock = threading.Lock()


def test_password_gate_slows_guessing_per_session_and_across_the_room(caplog):
    clock = FakeClock()
    gate = InstructorGate("craie-bleue", clock=clock)
    caplog.set_level(logging.DEBUG)
    assert gate.try_unlock("s1", "craie-bleue").ok
    for _ in range(2):
        r = gate.try_unlock("s2", "guess")
        assert not r.ok and r.retry_after == 0
    r = gate.try_unlock("s2", "guess")
    assert not r.ok and r.retry_after == 5.0  # the third wrong try earns a wait
    r = gate.try_unlock("s2", "craie-bleue")
    assert not r.ok and r.retry_after == 5.0  # even the right password waits: nothing is checked
    clock.advance(5.0)
    assert not gate.try_unlock("s2", "guess").ok
    assert gate.try_unlock("s2", "x").retry_after == 10.0  # the wait doubles
    # a reload gives a new session each time: the room-wide throttle takes over
    for i in range(10):
        clock.advance(0.1)
        gate.try_unlock(f"reload-{i}", "guess")
    r = gate.try_unlock("reload-x", "craie-bleue")
    assert not r.ok and 0 < r.retry_after <= 2.0
    clock.advance(2.0)
    assert gate.try_unlock("teacher", "craie-bleue").ok  # the instructor still gets in
    assert "guess" not in caplog.text and "craie" not in caplog.text


def test_gate_without_password_is_off():
    gate = InstructorGate(None)
    assert not gate.enabled and not gate.try_unlock("s", "").ok
    assert instructor_password({"instructor": {"password": ""}}) is None
    assert instructor_password({"instructor": "oops"}) is None
    assert instructor_password({"instructor": {"password": "p"}}) == "p"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_course_presets_exist_in_both_languages(lang):
    from playground.i18n import catalogue

    for c in COURSE_PRESETS:
        p = course_preset(c.key, lang)
        assert p.prompt and p.models and f"course.{c.key}" in catalogue()
    assert course_preset("souris", "fr").prompt == "La souris de l'ordinateur est un"
    assert course_preset("souris", "fr").models == ("embedded/gemma-3-270m",)  # the base model continues text


def test_attendance_counts_who_is_here_and_who_has_the_demo():
    clock = FakeClock()
    c = Classroom(None, Room())
    p = c.publish(PRESET)
    c.heartbeat("a", p.id, clock=clock)
    c.heartbeat("b", None, clock=clock)
    clock.advance(5)
    c.heartbeat("c", p.id, clock=clock)
    assert c.attendance(window=10, clock=clock) == (3, 2)
    clock.advance(7)  # a and b stopped polling 12 s ago: their tab is closed
    assert c.attendance(window=10, clock=clock) == (1, 1)
    c.publish(PRESET)  # a new demo: nobody has it yet
    assert c.attendance(window=10, clock=clock) == (1, 0)


def test_calling_the_room_to_a_page_is_one_new_call_each_time_and_survives_a_restart(tmp_path):
    db = tmp_path / "room.sqlite3"
    c = Classroom(RoomStore(db), Room())
    c.call_to("vote")
    first = c.snapshot().call
    c.call_to("vote")
    second = c.snapshot().call
    assert first[1] == second[1] == "vote" and first[0] != second[0]  # a new round calls again
    assert Classroom(RoomStore(db), Room()).snapshot().call == second
