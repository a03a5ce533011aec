"""Explorer core on known logits: view (renormalisation, "other" mass), entropy, the step-through
trail, the approximate (top-logprob) distribution, sampling-lab diversity, and HTML escaping."""

import math

import numpy as np
import pytest

from playground.explorer import (
    Distribution,
    Step,
    Trail,
    choose,
    entropy_at,
    entropy_curve,
    probability_of,
    step_from,
    view,
)
from playground.sampling_lab import distinct_2, diversity, parse_temperatures, word_diff
from playground.token_html import (
    chips_html,
    confidence,
    heatmap_html,
    token_entropy,
    trail_html,
)
from playground.tokenize import Token
from providers.base import InvalidRequest, TokenAlternative, TokenLogprob
from providers.sampling import SamplingParams, entropy

P = np.array([0.5, 0.3, 0.15, 0.05])
L = np.log(P).astype(np.float32)


def exact(logits=L):
    return Distribution("test/x", np.asarray(logits, dtype=np.float32), True, len(logits), 3,
                        _piece_fn=lambda i: "abcd"[i])


def test_entropy_of_known_distributions():
    assert entropy(np.array([0.25] * 4)) == pytest.approx(math.log(4))
    assert entropy(np.array([1.0, 0.0])) == 0.0
    hand = -sum(p * math.log(p) for p in P)
    assert entropy_at(L, 1.0) == pytest.approx(hand, rel=1e-6)
    assert entropy_at(L, 0.0) == 0.0


def test_entropy_rises_with_temperature():
    curve = entropy_curve(exact(), [0.1, 0.5, 1.0, 1.5, 2.0])
    hs = [h for _, h in curve]
    assert hs == sorted(hs)
    assert hs[-1] < math.log(4)  # never above uniform


def test_view_at_t1_is_the_softmax_and_other_is_zero_when_all_shown():
    v = view(exact(), SamplingParams(1.0), show=4)
    assert [c.piece for c in v.candidates] == ["a", "b", "c", "d"]
    assert [c.token_id for c in v.candidates] == [0, 1, 2, 3]
    assert np.allclose([c.prob_final for c in v.candidates], P, atol=1e-6)
    assert np.allclose([math.exp(c.logprob) for c in v.candidates], P, atol=1e-6)
    assert v.other_final == pytest.approx(0.0, abs=1e-6)


def test_view_other_holds_the_mass_of_kept_tokens_not_shown():
    v = view(exact(), SamplingParams(1.0), show=2)
    assert len(v.candidates) == 2
    assert v.other_final == pytest.approx(0.2, abs=1e-6)


def test_top_k_renormalises_kept_and_zeroes_cut_tokens_in_view():
    v = view(exact(), SamplingParams(1.0, top_k=2), show=4)
    assert [c.kept for c in v.candidates] == [True, True, False, False]
    assert np.allclose([c.prob_final for c in v.candidates], [0.625, 0.375, 0, 0], atol=1e-6)
    # cut tokens keep their pre-cut probability for the greyed bar
    assert v.candidates[2].prob_t == pytest.approx(0.15, abs=1e-6)
    assert v.other_final == pytest.approx(0.0, abs=1e-6)
    assert sum(c.prob_final for c in v.candidates) == pytest.approx(1.0)


def test_min_p_and_temperature_together():
    # T=0.5 squares the probabilities: .25,.09,.0225,.0025 (sum .365); min_p .1 keeps >= .025 rel. to max .25
    v = view(exact(), SamplingParams(0.5, min_p=0.1), show=4)
    w = P ** 2
    assert np.allclose([c.prob_t for c in v.candidates], w / w.sum(), atol=1e-6)
    assert [c.kept for c in v.candidates] == [True, True, False, False]
    assert np.allclose([c.prob_final for c in v.candidates][:2], w[:2] / w[:2].sum(), atol=1e-6)


def test_probability_of_matches_the_view():
    d = exact()
    params = SamplingParams(0.8, top_p=0.7)
    v = view(d, params, show=4)
    for c in v.candidates:
        raw, final = probability_of(d, c.index, params)
        assert raw == pytest.approx(math.exp(c.logprob), rel=1e-6)
        assert final == pytest.approx(c.prob_final, abs=1e-6)


def test_greedy_choice_is_argmax_and_has_probability_one_at_t0():
    d = exact(np.array([0.1, 2.0, 2.0, -1.0], dtype=np.float32))
    assert choose(d, SamplingParams(1.0), "greedy") == 1  # lowest id on ties
    assert probability_of(d, 1, SamplingParams(0.0))[1] == 1.0
    assert probability_of(d, 2, SamplingParams(0.0))[1] == 0.0


def test_sampling_choice_is_reproducible_with_a_seeded_generator():
    d = exact()
    a = [choose(d, SamplingParams(1.0), "sample", np.random.default_rng(5)) for _ in range(3)]
    b = [choose(d, SamplingParams(1.0), "sample", np.random.default_rng(5)) for _ in range(3)]
    assert a == b


def _step(piece, p=0.5):
    return Step(0, 0, piece, p, p, "pick")


def test_trail_append_undo_branch_restore():
    t = Trail().append(_step("a")).append(_step("b")).append(_step("c"))
    assert t.text == "abc"
    assert t.undo().text == "ab"
    assert Trail().undo() == Trail()
    b = t.branch(1)
    assert b.text == "a"
    assert [ "".join(s.piece for s in br) for br in b.branches] == ["abc"]
    b2 = b.append(_step("x"))
    r = b2.restore(0)
    assert r.text == "abc"
    assert ["".join(s.piece for s in br) for br in r.branches] == ["ax"]
    assert t.branch(3) is t  # branching at the end changes nothing


def test_trail_joint_logprob_and_token_ids():
    d = exact()
    t = Trail().append(step_from(d, 0, SamplingParams(1.0), "greedy")).append(step_from(d, 1, SamplingParams(1.0), "pick"))
    assert t.token_ids == [0, 1]
    assert t.joint_logprob() == pytest.approx(math.log(0.5) + math.log(0.3), rel=1e-5)
    assert t.steps[0].top[0].token == "a" and len(t.steps[0].top) == 4
    lp = t.steps[1].as_logprob()
    assert lp.token == "b" and lp.prob == pytest.approx(0.3, rel=1e-5)


def test_approximate_distribution_keeps_raw_logprobs_and_renormalises_over_returned_tokens():
    raw = np.log(np.array([0.4, 0.2, 0.1]))  # 70% of the mass returned
    d = Distribution("remote/m", raw.astype(np.float32), False, None, 0, pieces=("x", "y", "z"), ids=(7, -1, 9),
                     returned_mass=0.7)
    v = view(d, SamplingParams(1.0), show=3)
    assert [c.piece for c in v.candidates] == ["x", "y", "z"]
    assert [c.token_id for c in v.candidates] == [7, None, 9]
    assert np.allclose([math.exp(c.logprob) for c in v.candidates], [0.4, 0.2, 0.1], atol=1e-6)  # raw
    assert np.allclose([c.prob_final for c in v.candidates], [4 / 7, 2 / 7, 1 / 7], atol=1e-6)
    v2 = view(d, SamplingParams(1.0, top_k=1), show=3)
    assert [c.prob_final for c in v2.candidates] == pytest.approx([1.0, 0.0, 0.0])


# ---- sampling lab
def test_parse_temperatures():
    assert parse_temperatures("0, 0.3 ;0.7,, 1.5, 0.3") == [0.0, 0.3, 0.7, 1.5]
    with pytest.raises(InvalidRequest):
        parse_temperatures("0, chaud")
    with pytest.raises(InvalidRequest):
        parse_temperatures("2.5")
    with pytest.raises(InvalidRequest):
        parse_temperatures(" , ")


def test_diversity_scores():
    same = ["le chat dort", "le chat dort", "le chat dort"]
    d = diversity(0.0, same)
    assert (d.distinct_outputs, d.distinct_ratio) == (1, pytest.approx(1 / 3))
    assert d.distinct_2 == pytest.approx(2 / 6)  # 2 distinct bigrams out of 6
    assert distinct_2(["a b c", "d e f"]) == 1.0
    assert distinct_2(["seul"]) is None
    assert "+chien" in word_diff("le chat dort", "le chien dort")


# ---- HTML safety and confidence
EVIL = ['<img src=x onerror=alert(1)>', '</div><script>alert(2)</script>', '" onmouseover="alert(3)']


def test_heatmap_escapes_pieces_and_tooltips():
    lps = [TokenLogprob(e, -0.5, (TokenAlternative(e, -0.5), TokenAlternative("<b>x</b>", -1.0))) for e in EVIL]
    out = heatmap_html(lps)
    assert "<img" not in out and "<script" not in out and "</div><script" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert 'onmouseover="alert' not in out
    assert "<b>x</b>" not in out


def test_chips_and_trail_escape_pieces():
    out = chips_html([Token(1, e) for e in EVIL])
    assert "<img" not in out and "<script" not in out and 'onmouseover="' not in out
    out = trail_html("<script>p</script>", [(e, 0.5) for e in EVIL])
    assert "<img" not in out and "<script" not in out and 'onmouseover="' not in out


def test_confidence_mean_logprob_and_perplexity():
    lps = [TokenLogprob("a", math.log(0.5)), TokenLogprob("b", math.log(0.25))]
    c = confidence(lps)
    assert c.mean_logprob == pytest.approx((math.log(0.5) + math.log(0.25)) / 2)
    assert c.perplexity == pytest.approx(math.sqrt(8))  # exp(-mean) = (0.5 * 0.25) ** -0.5
    assert c.min_prob == pytest.approx(0.25)
    assert confidence([]).perplexity is None


def test_token_entropy_over_alternatives():
    t = TokenLogprob("a", math.log(0.5), (TokenAlternative("a", math.log(0.5)), TokenAlternative("b", math.log(0.5))))
    assert token_entropy(t) == pytest.approx(math.log(2))
    assert token_entropy(TokenLogprob("a", -1.0)) is None


def test_chart_labels_escape_tags_for_plotly():
    from playground.explorer_charts import bar_figure, pie_figure

    d = Distribution("remote/m", np.log(np.array([0.6, 0.4])).astype(np.float32), False, None, 0,
                     pieces=("<a href=javascript:alert(1)>x</a>", "<b>&"), ids=(1, 2))
    v = view(d, SamplingParams(1.0), show=2)
    bar, pie = bar_figure(v).data[0], pie_figure(v).data[0]
    for labels in (list(bar.y), list(pie.labels), list(bar.hovertext)):
        text = " ".join(labels)
        assert "<a href" not in text and "<b>" not in text
    assert list(bar.y)[:2] == ["1. &lt;a·href=javascript:alert(1)&gt;x&lt;/a&gt;", "2. &lt;b&gt;&amp;"]


def test_fast_figures_are_valid_plotly():
    # the slider-path figures skip Plotly's validation for speed: validate the same dicts here
    import plotly.graph_objects as go

    from playground.explorer_charts import bar_figure, entropy_figure, pie_figure

    for params in (SamplingParams(1.0), SamplingParams(0.7, top_k=2), SamplingParams(0.0)):
        v = view(exact(), params, show=4)
        for fig in (bar_figure(v), pie_figure(v), entropy_figure(entropy_curve(exact()), 0.7, 1.0, 0.5)):
            go.Figure(fig.to_dict())  # raises on any invalid property
