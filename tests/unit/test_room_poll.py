"""The room's poll rounds: records, tallies, quotas, thread safety, persistence, and draws that
follow the reshaped distribution (a made-up one here; the real model's in
tests/providers/test_room_poll_embedded.py)."""

import json
import math
import threading

import numpy as np
import pytest

from playground.classroom import Classroom
from playground.explorer import Distribution
from playground.room import Room
from playground.room_poll import (
    MAX_DRAWS,
    PollError,
    RoomPolls,
    chi_square,
    draw_index,
    export_csv,
    export_json,
    first_word,
    normalise_answer,
    number,
    percent,
    total_variation,
)
from playground.room_store import RoomStore
from providers.sampling import SamplingParams, reshape, sample_token

LOGITS = np.array([2.0, 1.5, 1.0, 0.2, -0.5, -1.0, -3.0, -6.0], dtype=np.float32)
PIECES = (" chat", " chien", " souris", " clavier", " écran", " rat", " lion", " zèbre")


def _dist() -> Distribution:
    return Distribution("test/tiny", LOGITS, True, len(LOGITS), 4, _piece_fn=lambda i: PIECES[i])


def _polls(store=None, computed=None) -> RoomPolls:
    def compute(rnd):
        if computed is not None:
            computed.append(rnd.id)
        return _dist()

    return RoomPolls(store, compute)


@pytest.fixture(params=["sqlite", "memory"])
def polls(request, tmp_path):
    return _polls(RoomStore(tmp_path / "room.sqlite3") if request.param == "sqlite" else None)


def test_a_draw_is_recorded_with_its_seed_and_counted(polls):
    rnd = polls.open_round("token", "test/tiny", "Le", False, SamplingParams(temperature=1.0))
    assert polls.current() == rnd
    d = polls.draw_token(rnd.id, "alice", seed=7)
    expected = sample_token(LOGITS, SamplingParams(temperature=1.0), np.random.default_rng(7))
    assert (d.token, d.value, d.seed, d.seq) == (expected, PIECES[expected], 7, 1)
    polls.draw_token(rnd.id, "alice", seed=7)  # same seed: same token
    polls.draw_token(rnd.id, "bob", seed=8)
    ds = polls.draws(rnd.id)
    assert [x.token for x in ds[:2]] == [expected, expected] and [x.seq for x in ds] == [1, 2, 1]
    assert [x.session for x in polls.draws(rnd.id, "bob")] == ["bob"]
    t = polls.tally(rnd.id)
    assert (t.n, t.attendees) == (3, 2)
    assert sum(r.count for r in t.rows) + t.other_count == 3
    by_token = {r.token: r.count for r in t.rows}
    assert by_token[expected] >= 2
    # the exact probabilities beside the counts: the reshaped distribution's
    r = reshape(LOGITS, SamplingParams(temperature=1.0), show=len(LOGITS))
    exact = dict(zip(r.ids.tolist(), r.final.tolist()))
    assert all(row.prob == pytest.approx(exact[row.token]) for row in t.rows)
    assert t.tv == pytest.approx(total_variation({k: v for k, v in by_token.items() if v}, 3, exact))


def test_the_quota_and_a_closed_round_refuse_draws(polls):
    rnd = polls.open_round("token", "test/tiny", "Le", False, SamplingParams())
    for s in range(MAX_DRAWS["token"]):
        polls.draw_token(rnd.id, "alice", seed=s)
    with pytest.raises(PollError) as exc:
        polls.draw_token(rnd.id, "alice", seed=99)
    assert exc.value.code == "limit"
    polls.draw_token(rnd.id, "bob", seed=1)  # another attendee still may
    polls.close_round(rnd.id)
    assert polls.current() is None and polls.latest().id == rnd.id
    with pytest.raises(PollError) as exc:
        polls.draw_token(rnd.id, "carol", seed=1)
    assert exc.value.code == "closed"
    assert polls.tally(rnd.id).n == MAX_DRAWS["token"] + 1  # nothing lost by closing


def test_opening_a_round_closes_the_previous_one(polls):
    first = polls.open_round("token", "test/tiny", "Le", False, SamplingParams())
    second = polls.open_round("answer", "test/tiny", "Le", False, SamplingParams(temperature=1.5), max_tokens=50)
    assert polls.current().id == second.id and second.max_tokens == 12  # answers stay short
    assert not polls.round(first.id).open
    with pytest.raises(PollError):
        polls.open_round("token", "test/tiny", "   ", False, SamplingParams())
    with pytest.raises(PollError):
        polls.open_round("vote", "test/tiny", "Le", False, SamplingParams())


def test_thirty_sessions_drawing_at_once_lose_nothing_and_compute_once(tmp_path):
    computed: list[str] = []
    polls = _polls(RoomStore(tmp_path / "room.sqlite3"), computed)
    rnd = polls.open_round("token", "test/tiny", "Le", False, SamplingParams(temperature=1.2))
    n_sessions, per = 30, 4
    barrier = threading.Barrier(n_sessions)
    errors: list[BaseException] = []

    def attendee(i: int) -> None:
        try:
            barrier.wait()
            for k in range(per):
                polls.draw_token(rnd.id, f"s{i}", seed=1000 * i + k)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=attendee, args=(i,)) for i in range(n_sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert computed == [rnd.id]  # the distribution once per round, not once per press
    ds = polls.draws(rnd.id)
    assert len(ds) == n_sessions * per
    for i in range(n_sessions):
        mine = [d for d in ds if d.session == f"s{i}"]
        assert sorted(d.seq for d in mine) == list(range(1, per + 1))
        for d in mine:  # each record is the seed's own token
            assert d.token == draw_index(_dist(), rnd.params, d.seed)
    t = polls.tally(rnd.id)
    assert (t.n, t.attendees) == (n_sessions * per, n_sessions)


def test_the_quota_holds_when_one_session_presses_from_many_threads(tmp_path):
    polls = _polls(RoomStore(tmp_path / "room.sqlite3"))
    rnd = polls.open_round("token", "test/tiny", "Le", False, SamplingParams())
    n = MAX_DRAWS["token"] + 10
    barrier = threading.Barrier(n)
    refused = []

    def press(k: int) -> None:
        barrier.wait()
        try:
            polls.draw_token(rnd.id, "same", seed=k)
        except PollError as exc:
            refused.append(exc.code)

    threads = [threading.Thread(target=press, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert refused == ["limit"] * 10
    assert sorted(d.seq for d in polls.draws(rnd.id)) == list(range(1, MAX_DRAWS["token"] + 1))


def test_rounds_and_draws_survive_a_restart(tmp_path):
    db = tmp_path / "room.sqlite3"
    first = _polls(RoomStore(db))
    rnd = first.open_round("token", "test/tiny", "Le", False, SamplingParams(temperature=0.7, top_k=3))
    got = [first.draw_token(rnd.id, "alice", seed=s).token for s in range(5)]
    before = first.tally(rnd.id)

    computed: list[str] = []
    again = _polls(RoomStore(db), computed)  # a new process: the distribution is computed anew
    assert again.current() == rnd
    assert [d.token for d in again.draws(rnd.id)] == got
    after = again.tally(rnd.id)
    assert after == before and computed == [rnd.id]
    again.draw_token(rnd.id, "alice", seed=5)
    assert again.draws(rnd.id, "alice")[-1].seq == 6  # the quota counts the draws made before


def test_the_room_version_moves_when_touched(tmp_path):
    room = Classroom(RoomStore(tmp_path / "room.sqlite3"), Room())
    v = room.snapshot().version
    room.touch()
    assert room.snapshot().version == v + 1
    assert Classroom(RoomStore(tmp_path / "room.sqlite3"), Room()).snapshot().version == v + 1


@pytest.mark.parametrize("params", [SamplingParams(temperature=1.0), SamplingParams(temperature=1.5, top_k=5),
                                    SamplingParams(temperature=0.8, top_p=0.9), SamplingParams(temperature=2.0, min_p=0.05)])
def test_many_seeded_draws_follow_the_reshaped_distribution(params):
    """Law of large numbers: with N draws each frequency is within 5 standard errors of its
    probability (a false alarm about once in 1.7 million per token), tokens the filters cut
    are never drawn, and the total variation distance is small."""
    polls = _polls()
    rnd = polls.open_round("token", "test/tiny", "Le", False, params)
    n = 3000
    for s in range(n):
        polls.draw_token(rnd.id, f"s{s // MAX_DRAWS['token']}", seed=s)
    t = polls.tally(rnd.id)
    r = reshape(LOGITS, params, show=len(LOGITS))
    exact = dict(zip(r.ids.tolist(), r.final.tolist()))
    counts = {row.token: row.count for row in t.rows}
    for tok, p in exact.items():
        f = counts.get(tok, 0) / n
        bound = 5 * math.sqrt(max(p * (1 - p), 1e-12) / n)
        assert abs(f - p) <= bound, (PIECES[tok], f, p)
        if p == 0:
            assert counts.get(tok, 0) == 0  # cut by top-k / top-p / min-p: never drawn
    assert t.tv < 0.05
    assert t.chi2 is not None and t.dof >= 1
    # χ² for a right law stays near its degrees of freedom (mean dof, sd √(2·dof))
    assert t.chi2 < t.dof + 6 * math.sqrt(2 * t.dof)


def test_the_statistics_notice_a_wrong_law():
    probs = {0: 0.5, 1: 0.3, 2: 0.2}
    good = {0: 500, 1: 300, 2: 200}
    bad = {0: 200, 1: 300, 2: 500}
    assert total_variation(good, 1000, probs) == pytest.approx(0.0)
    assert total_variation(bad, 1000, probs) == pytest.approx(0.3)
    assert total_variation({5: 10}, 10, probs) == pytest.approx(1.0)  # drawn only where p = 0
    assert chi_square(good, 1000, probs) == (pytest.approx(0.0), 2)
    assert chi_square(bad, 1000, probs)[0] > 100
    assert chi_square({0: 10}, 10, {0: 1.0}) is None  # one bin: nothing to test


def test_answer_rounds_group_answers_and_first_words(polls):
    rnd = polls.open_round("answer", "test/tiny", "Le chat", False, SamplingParams(temperature=1.5))
    for who, ans in [("a", " mange la souris."), ("b", "mange  la souris."), ("c", " Mange du fromage"),
                     ("d", "dort."), ("a", "…")]:
        polls.check_quota(rnd.id, who)
        polls.record_answer(rnd.id, who, ans, seed=3)
    t = polls.tally(rnd.id)
    assert (t.n, t.attendees) == (5, 4)
    assert t.rows[0].key == "mange la souris." and t.rows[0].count == 2
    assert dict(t.first_words) == {"mange": 3, "dort": 1, "": 1}
    assert t.first_words[0] == ("mange", 3)
    with pytest.raises(PollError):
        polls.draw_token(rnd.id, "a", seed=1)  # not a token round
    for _ in range(MAX_DRAWS["answer"] - 2):
        polls.record_answer(rnd.id, "a", "encore", seed=4)
    with pytest.raises(PollError):
        polls.check_quota(rnd.id, "a")


def test_exports_carry_the_tally_but_no_session_id(polls):
    rnd = polls.open_round("token", "test/tiny", "Le", False, SamplingParams(temperature=1.3))
    for s in range(12):
        polls.draw_token(rnd.id, f"session-secret-{s % 3}", seed=s)
    t = polls.tally(rnd.id)
    js = export_json(t, polls.draws(rnd.id))
    data = json.loads(js)
    assert data["n"] == 12 and sum(r["count"] for r in data["tally"]) + data["other"]["count"] == 12
    assert {d["attendee"] for d in data["draws"]} == {1, 2, 3}
    csv_text = export_csv(t)
    assert "session-secret" not in js and "session-secret" not in csv_text
    lines = csv_text.strip().splitlines()
    assert lines[0] == "value,token,count,frequency,probability"
    assert sum(int(line.rsplit(",", 3)[1]) for line in lines[1:]) == 12


def test_helpers():
    assert normalise_answer("  le \n chat  ") == "le chat"
    assert first_word("« Le chat »") == "le" and first_word("  l’ordinateur est") == "l’ordinateur"
    assert percent(0.125, "fr") == "12,5\u202f%" and percent(0.125, "en") == "12.5%"
    assert number(12345.5, "fr", 1) == "12\u202f345,5" and number(12345.5, "en", 1) == "12,345.5"


def test_the_figures_are_valid_plotly_and_show_both_series():
    import plotly.graph_objects as go

    from playground.room_poll_charts import answers_figure, poll_figure

    polls = _polls()
    rnd = polls.open_round("token", "test/tiny", "Le", False, SamplingParams(temperature=1.5, top_k=6))
    for s in range(20):
        polls.draw_token(rnd.id, "a" if s < 10 else "b", seed=s)
    t = polls.tally(rnd.id)
    fig = poll_figure(t, "fr", presenter=True)
    checked = go.Figure(fig.to_dict())  # Plotly's own validation of the fast-built dicts
    exact, seen = checked.data
    assert list(exact.x) == [r.prob for r in t.rows] and [int(x) for x in seen.text] == [r.count for r in t.rows]
    assert sum(int(x) for x in seen.text) == 20
    ans = polls.open_round("answer", "test/tiny", "Le", False, SamplingParams())
    for who, a in [("a", "chat noir"), ("b", "Chat gris"), ("c", "<b>rat</b>")]:
        polls.record_answer(ans.id, who, a, seed=1)
    fig = go.Figure(answers_figure(polls.tally(ans.id), "en").to_dict())
    assert list(fig.data[0].x) == [2, 1] and "<b>" not in "".join(fig.data[0].y)


def test_a_model_gone_after_a_restart_leaves_counts_and_a_clear_refusal(tmp_path):
    from providers.base import InvalidRequest

    db = tmp_path / "room.sqlite3"
    first = _polls(RoomStore(db))
    rnd = first.open_round("token", "test/tiny", "Le", False, SamplingParams())
    first.draw_token(rnd.id, "alice", seed=1)
    calls = []

    def gone(r):
        calls.append(r.id)
        raise InvalidRequest("test/tiny is not configured on this server")

    again = RoomPolls(RoomStore(db), gone)
    t = again.tally(rnd.id)
    assert t.n == 1 and t.rows[0].count == 1 and t.rows[0].prob is None and not t.exact
    assert again.tally(rnd.id).n == 1 and calls == [rnd.id]  # asked once, not on every refresh
    with pytest.raises(PollError) as exc:
        again.draw_token(rnd.id, "bob", seed=2)
    assert exc.value.code == "no_distribution"


def test_only_the_last_rounds_keep_their_distribution_in_memory():
    from playground.room_poll import KEEP_DISTRIBUTIONS

    computed: list[str] = []
    polls = _polls(computed=computed)
    ids = []
    for _ in range(KEEP_DISTRIBUTIONS + 2):
        rnd = polls.open_round("token", "test/tiny", "Le", False, SamplingParams())
        polls.draw_token(rnd.id, "a", seed=1)
        ids.append(rnd.id)
    assert computed == ids
    assert polls.tally(ids[-1]).n == 1 and computed == ids  # recent: still there
    assert polls.tally(ids[0]).rows[0].prob is not None and computed == ids + [ids[0]]  # old: computed again
