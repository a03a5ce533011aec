"""Sampling maths on known logits, against hand-computed values."""

import math

import numpy as np

from providers.sampling import SamplingParams, entropy, log_softmax, reshape, sample_token, top_logprobs

# probabilities 0.5, 0.3, 0.15, 0.05 at T=1
P = np.array([0.5, 0.3, 0.15, 0.05])
L = np.log(P)


def test_log_softmax_recovers_probabilities_from_shifted_logits():
    assert np.allclose(np.exp(log_softmax(L + 7.0)), P)


def test_temperature_scaling_matches_hand_computation():
    r = reshape(L, SamplingParams(temperature=2.0))
    w = P ** 0.5
    assert np.allclose(r.probs_t, w / w.sum())
    assert np.allclose(r.final, w / w.sum())
    r_cold = reshape(L, SamplingParams(temperature=0.5))
    w = P ** 2
    assert np.allclose(r_cold.probs_t, w / w.sum())


def test_temperature_zero_is_greedy_one_hot():
    r = reshape(L, SamplingParams(temperature=0.0))
    assert r.final.tolist() == [1.0, 0.0, 0.0, 0.0]
    rng = np.random.default_rng(0)
    assert {sample_token(L, SamplingParams(temperature=0.0), rng) for _ in range(50)} == {0}


def test_top_k_keeps_k_and_renormalises():
    r = reshape(L, SamplingParams(top_k=2))
    assert r.kept.tolist() == [True, True, False, False]
    assert np.allclose(r.final, [0.625, 0.375, 0, 0])
    assert r.n_kept == 2


def test_top_p_keeps_the_token_that_crosses_the_line():
    # 0.5 < 0.6 -> need 0.5 + 0.3 = 0.8 >= 0.6: two tokens
    r = reshape(L, SamplingParams(top_p=0.6))
    assert r.n_kept == 2
    assert np.allclose(r.final, [0.625, 0.375, 0, 0])
    # exactly on a boundary: 0.8 reached by two tokens
    assert reshape(L, SamplingParams(top_p=0.8)).n_kept == 2
    assert reshape(L, SamplingParams(top_p=0.81)).n_kept == 3


def test_top_p_one_keeps_everything():
    r = reshape(L, SamplingParams(top_p=1.0))
    assert r.n_kept == 4 and np.allclose(r.final, P)


def test_top_p_ties_are_broken_by_token_id():
    logits = np.log(np.array([0.2, 0.4, 0.4]))
    r = reshape(logits, SamplingParams(top_p=0.3))
    assert r.ids.tolist()[:2] == [1, 2]
    assert r.n_kept == 1 and r.kept.tolist() == [True, False, False]


def test_top_p_applies_to_top_k_renormalised_mass():
    # top_k=3 -> 0.5/0.95, 0.3/0.95, 0.15/0.95 = 0.526, 0.316, 0.158; top_p 0.84 -> 0.842 needs two
    r = reshape(L, SamplingParams(top_k=3, top_p=0.84))
    assert r.n_kept == 2


def test_min_p_is_relative_to_the_most_likely_token():
    # threshold 0.4 * 0.5 = 0.2: keeps 0.5 and 0.3
    r = reshape(L, SamplingParams(min_p=0.4))
    assert r.n_kept == 2 and np.allclose(r.final, [0.625, 0.375, 0, 0])
    r = reshape(L, SamplingParams(min_p=0.3))  # threshold 0.15: keeps three
    assert r.n_kept == 3 and np.allclose(r.final[:3], P[:3] / P[:3].sum())


def test_entropy_before_and_after_filters():
    r = reshape(L, SamplingParams(top_k=2))
    assert math.isclose(r.entropy_t, -(P * np.log(P)).sum())
    q = np.array([0.625, 0.375])
    assert math.isclose(r.entropy_final, -(q * np.log(q)).sum())
    assert entropy(np.array([1.0, 0.0])) == 0.0


def test_sampler_frequencies_follow_the_reshaped_distribution():
    rng = np.random.default_rng(123)
    params = SamplingParams(temperature=1.0, top_k=3)
    draws = np.array([sample_token(L, params, rng) for _ in range(20000)])
    freq = np.bincount(draws, minlength=4) / draws.size
    assert np.allclose(freq, reshape(L, params).final, atol=0.015)
    assert freq[3] == 0.0


def test_sampler_is_reproducible_with_a_seed():
    params = SamplingParams(temperature=1.3, top_p=0.9)
    big = np.random.default_rng(7).normal(size=5000) * 3
    a = [sample_token(big, params, np.random.default_rng(42)) for _ in range(5)]
    b = [sample_token(big, params, np.random.default_rng(42)) for _ in range(5)]
    assert a == b


def test_large_vocab_pool_matches_full_computation():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=262144).astype(np.float32) * 4
    params = SamplingParams(temperature=0.8, top_p=0.5)
    r = reshape(logits, params, show=20)
    x = logits.astype(np.float64) / 0.8
    p = np.exp(x - x.max())
    p /= p.sum()
    order = np.lexsort((np.arange(p.size), -p))
    cum = np.cumsum(p[order])
    n = int(np.searchsorted(cum, 0.5)) + 1
    assert r.n_kept == n
    assert r.ids.tolist() == order[:20].tolist()
    kept = p[order[:n]]
    assert np.allclose(r.final[: min(20, n)], (kept / kept.sum())[:20])


def test_top_logprobs_sorted_and_exact():
    ids, lps = top_logprobs(L.astype(np.float32), 3)
    assert ids.tolist() == [0, 1, 2]
    assert np.allclose(np.exp(lps), P[:3], atol=1e-6)


def test_top_k_ids_match_a_full_sort_including_ties():
    from providers.sampling import top_k_ids

    rng = np.random.default_rng(5)
    for v in (10, 300, 4096, 262144):
        x = rng.integers(-50, 50, size=v).astype(np.float32)  # many ties
        for k in (1, 5, 20):
            expected = np.lexsort((np.arange(v), -x.astype(np.float64)))[:k]
            assert top_k_ids(x, k).tolist() == expected.tolist()


def test_block_draw_follows_the_weights_over_a_large_vocabulary():
    rng = np.random.default_rng(11)
    v = 262144 + 77  # not a multiple of the block size
    logits = np.full(v, -30.0, dtype=np.float32)
    logits[[3, 70000, v - 1]] = [0.0, np.log(0.5), np.log(0.25)]
    draws = np.array([sample_token(logits, SamplingParams(temperature=1.0), rng) for _ in range(4000)])
    freq = {i: float(np.mean(draws == i)) for i in (3, 70000, v - 1)}
    total = 1 + 0.5 + 0.25 + (v - 3) * np.exp(-30.0)
    assert abs(freq[3] - 1 / total) < 0.03 and abs(freq[70000] - 0.5 / total) < 0.03
    assert abs(freq[v - 1] - 0.25 / total) < 0.03
    assert set(draws.tolist()) <= {3, 70000, v - 1}
