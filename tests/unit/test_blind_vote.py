"""Blind vote core: Bradley–Terry against hand-computed cases and synthetic strengths, intervals
that shrink with votes, one vote per session per round under concurrency, a room file that
survives a restart, anonymity of what attendees are given, exports."""

import csv
import io
import json
import math
import random
import threading

import numpy as np
import pytest

from playground.blind_vote import (
    BlindVote,
    VoteError,
    elo_scale,
    fit_bradley_terry,
    format_number,
    rank,
)
from playground.room_store import RoomStore

M1, M2, M3 = "embedded/smollm2-135m-instruct", "embedded/gemma-3-270m", "openai/gpt-4o-mini"


def test_bradley_terry_two_models_by_hand():
    # A beat B 3 times out of 4: the MLE has p_A / (p_A + p_B) = 3/4, so p_A / p_B = 3;
    # geometric mean 1 -> p_A = √3, p_B = 1/√3
    p = fit_bradley_terry(np.array([[0, 3], [1, 0]], float))
    assert p[0] == pytest.approx(math.sqrt(3), rel=1e-8)
    assert p[1] == pytest.approx(1 / math.sqrt(3), rel=1e-8)


def test_bradley_terry_three_models_by_hand():
    # wins in exact proportion to p = (4, 2, 1): A–B 2:1, B–C 2:1, A–C 4:1. Check by hand that
    # (4, 2, 1) solves W_i = Σ_j n_ij p_i / (p_i + p_j): A: 3·4/6 + 5·4/5 = 6 = 2 + 4 ✓
    # B: 3·2/6 + 3·2/3 = 3 = 1 + 2 ✓; C: 5·1/5 + 3·1/3 = 2 = 1 + 1 ✓. Geometric mean 2.
    wins = np.array([[0, 2, 4], [1, 0, 2], [1, 1, 0]], float)
    p = fit_bradley_terry(wins)
    np.testing.assert_allclose(p, [2.0, 1.0, 0.5], rtol=1e-7)
    np.testing.assert_allclose(elo_scale(p), [1000 + 400 * math.log10(2), 1000, 1000 - 400 * math.log10(2)], rtol=1e-9)


def test_a_tie_is_half_a_win_and_both_bad_is_left_out():
    # A: 2 wins, 2 ties -> 3 of 4 as above; the both-bad votes change nothing in the fit
    votes = [(M1, M2, "a"), (M2, M1, "b"), (M1, M2, "tie"), (M2, M1, "tie"), (M1, M2, "both_bad"), (M1, M2, "both_bad")]
    r = rank(votes, n_boot=0, prior_ties=0.0)
    by = {row.model: row for row in r.rows}
    assert by[M1].score - by[M2].score == pytest.approx(400 * math.log10(3), rel=1e-7)
    assert by[M1].wins == 3 and by[M2].wins == 1 and by[M1].comparisons == 4
    assert by[M1].both_bad == 2 and r.both_bad == 2 and r.votes == 4


def test_a_unanimous_vote_stays_finite_with_the_prior():
    r = rank([(M1, M2, "a")] * 5, n_boot=50)
    by = {row.model: row for row in r.rows}
    # 5 wins + 1 virtual tie: 5.5 : 0.5 -> ratio 11
    assert by[M1].score - by[M2].score == pytest.approx(400 * math.log10(11), rel=1e-6)
    assert all(math.isfinite(v) for row in r.rows for v in (row.score, row.ci_low, row.ci_high))


def _synthetic(n: int, strengths: dict[str, float], seed: int) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    names = list(strengths)
    votes = []
    for _ in range(n):
        a, b = rng.sample(names, 2)
        p_a = 1 / (1 + math.exp(strengths[b] - strengths[a]))
        # no ties here: ties at a fixed rate whatever the gap are not Bradley–Terry's model
        # (they pull every strength together), and the hand-computed cases test them
        votes.append((a, b, "a" if rng.random() < p_a else "b"))
    return votes


def test_true_strengths_are_recovered_from_synthetic_votes():
    true = {"m0": 0.0, "m1": 0.5, "m2": 1.0, "m3": -0.7}
    r = rank(_synthetic(8000, true, seed=3), n_boot=100)
    centre = sum(true.values()) / len(true)
    expected = {m: 1000 + 400 * (v - centre) / math.log(10) for m, v in true.items()}
    got = {row.model: row.score for row in r.rows}
    assert [row.model for row in r.rows] == ["m2", "m1", "m0", "m3"]
    for m in true:
        assert got[m] == pytest.approx(expected[m], abs=20), m  # ~2 bootstrap standard errors
    covered = sum(row.ci_low <= expected[row.model] <= row.ci_high for row in r.rows)
    assert covered >= 3


def test_intervals_shrink_with_more_votes():
    true = {"m0": 0.0, "m1": 0.6, "m2": -0.4}
    small = rank(_synthetic(60, true, seed=1), n_boot=200)
    large = rank(_synthetic(2400, true, seed=1), n_boot=200)
    width = {m: {row.model: row.ci_high - row.ci_low for row in r.rows} for m, r in (("s", small), ("l", large))}
    for m in true:
        assert width["l"][m] < width["s"][m] / 3, m  # √40 ≈ 6.3 in theory
    assert rank(_synthetic(60, true, seed=1), n_boot=200) == small  # fixed seed: same votes, same intervals


def _board(store=None, seed=0) -> BlindVote:
    return BlindVote(store, rng=random.Random(seed), n_boot=50)


def _open(board: BlindVote, models=(M1, M2), answers=("Réponse un", "Réponse deux")):
    r = board.open_round("Donne un nom de chat.", models, {"max_tokens": 16})
    return board.set_answers(r.id, *answers)


def test_sides_are_drawn_at_random_and_the_public_view_hides_the_models():
    sides = {_open(_board(seed=s)).model_a for s in range(20)}
    assert sides == {M1, M2}  # both assignments happen
    board = _board()
    r = _open(board)
    public = json.dumps(r.public())
    assert M1 not in public and M2 not in public and "model" not in public
    board.vote(r.id, "s1", "a")
    revealed = board.reveal(r.id)
    assert revealed.public()["model_a"] == r.model_a and revealed.public()["model_b"] == r.model_b


def test_round_rules_refuse_bad_input_clearly():
    board = _board()
    with pytest.raises(VoteError) as e:
        board.open_round("  ", (M1, M2))
    assert e.value.code == "bv.err.prompt"
    with pytest.raises(VoteError) as e:
        board.open_round("x", (M1, M1))
    assert e.value.code == "bv.err.models"
    with pytest.raises(VoteError) as e:
        board.open_round("x", (M1, M2), {"temprature": 1})
    assert e.value.code == "bv.err.param"
    r = board.open_round("x", (M1, M2))
    with pytest.raises(VoteError) as e:
        board.vote(r.id, "s1", "a")  # still generating
    assert e.value.code == "bv.err.not_open"
    board.set_answers(r.id, "un", "deux")
    with pytest.raises(VoteError) as e:
        board.vote(r.id, "s1", "c")
    assert e.value.code == "bv.err.choice"
    board.reveal(r.id)
    with pytest.raises(VoteError) as e:
        board.vote(r.id, "s1", "a")
    assert e.value.code == "bv.err.closed"
    r2 = _open(board)
    with pytest.raises(VoteError) as e:
        board.vote(r.id, "s2", "a")  # an old page voting on the previous round
    assert e.value.code == "bv.err.closed"
    board.vote(r2.id, "s2", "b")
    failed = board.open_round("x", (M1, M2))
    assert board.set_answers(failed.id, "", "deux").status == "failed"
    with pytest.raises(VoteError):
        board.reveal(failed.id)


@pytest.mark.parametrize("persistent", [False, True])
def test_one_vote_per_session_per_round_under_concurrency(tmp_path, persistent):
    board = _board(RoomStore(tmp_path / "room.sqlite3") if persistent else None)
    r = _open(board)
    n = 12
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def cast(k: int) -> None:
        session = f"s{k % 3}"  # 3 sessions, each trying 4 times at once
        barrier.wait()
        try:
            board.vote(r.id, session, ("a", "b", "tie", "both_bad")[k % 4])
            result = "ok"
        except VoteError as exc:
            result = exc.code
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=cast, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 3 and outcomes.count("bv.err.already") == n - 3
    assert board.tally(r.id).total == 3
    assert all(board.vote_of(r.id, f"s{k}") is not None for k in range(3))
    if persistent:
        with board._store.connect() as con:
            assert con.execute("SELECT COUNT(*) FROM blind_votes").fetchone()[0] == 3


def test_the_board_survives_a_restart(tmp_path):
    path = tmp_path / "room.sqlite3"
    board = _board(RoomStore(path))
    r1 = _open(board)
    for s, c in (("s1", "a"), ("s2", "a"), ("s3", "tie"), ("s4", "both_bad")):
        board.vote(r1.id, s, c)
    board.reveal(r1.id)
    r2 = _open(board, (M2, M3))
    board.vote(r2.id, "s1", "b")
    hanging = board.open_round("coupé", (M1, M3))  # generating when the server stops
    before = board.ranking()

    again = _board(RoomStore(path))
    assert [r.number for r in again.rounds()] == [1, 2, 3]
    assert again.round(r1.id) == board.round(r1.id)
    assert again.tally(r1.id) == board.tally(r1.id) and again.tally(r2.id).b == 1
    assert again.round(hanging.id).status == "failed"  # its generation died with the process
    assert again.ranking() == before
    with pytest.raises(VoteError) as e:
        again.vote(r2.id, "s1", "a")
    assert e.value.code in {"bv.err.already", "bv.err.closed"}
    assert "s1" not in path.read_bytes().decode("latin-1")  # session ids are stored as digests


def test_tallies_per_pair_and_the_ranking_count_revealed_rounds_only():
    board = _board()
    r1 = _open(board)
    for s, c in (("s1", "a"), ("s2", "a"), ("s3", "b"), ("s4", "tie"), ("s5", "both_bad")):
        board.vote(r1.id, s, c)
    assert board.pair_tallies() == [] and board.ranking().rows == ()  # not revealed: nothing leaks
    board.reveal(r1.id)
    (pair,) = board.pair_tallies()
    m1_is_a = r1.model_a == pair.model_1
    assert (pair.wins_1, pair.wins_2) == ((2, 1) if m1_is_a else (1, 2))
    assert (pair.ties, pair.both_bad, pair.rounds) == (1, 1, 1)
    ranking = board.ranking()
    assert ranking.rows[0].model == r1.model_a  # 2.5 wins of 4 for side A
    assert ranking.votes == 4 and ranking.both_bad == 1


def test_exports_keep_unrevealed_models_and_voters_out():
    board = _board()
    r1 = _open(board)
    board.vote(r1.id, "session-secrète", "a")
    board.reveal(r1.id)
    r2 = _open(board, (M1, M3))
    board.vote(r2.id, "session-secrète", "b")
    data = json.loads(board.export_json())
    assert data["rounds"][0]["model_a"] == r1.model_a and "model_a" not in data["rounds"][1]
    text = board.export_json() + board.export_rounds_csv() + board.export_ranking_csv()
    assert M3 not in text and "session-secrète" not in text
    rows = list(csv.DictReader(io.StringIO(board.export_rounds_csv())))
    assert rows[0]["a"] == "1" and rows[1]["b"] == "1" and rows[1]["model_a"] == ""
    ranking = list(csv.DictReader(io.StringIO(board.export_ranking_csv())))
    assert [r["model"] for r in ranking] == [r1.model_a, r1.model_b]


def test_numbers_in_french_and_english():
    assert format_number(1234.5, "fr", 1) == "1\u202f234,5"
    assert format_number(1234.5, "en", 1) == "1,234.5"
