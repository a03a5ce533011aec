"""Plotly figures for the room poll: the room's frequencies beside the model's probabilities
(grouped bars), and the room's answers / first words. Pure (no Streamlit); labels are escaped
like the explorer's."""

from __future__ import annotations

import plotly.graph_objects as go

from playground.explorer_charts import esc, fast_figure
from playground.i18n import translate
from playground.room_poll import Tally, percent
from playground.token_html import visible

EXACT = "#9ca3af"
OBSERVED = "#2563eb"


def token_label(piece: str, rank: int) -> str:
    # the rank keeps categories unique (two pieces can look alike)
    return f"{rank}. {esc(visible(piece)) or '∅'}"


def poll_figure(t: Tally, lang: str = "fr", presenter: bool = False) -> go.Figure:
    """Grouped horizontal bars per token, most likely on top: the model's exact probability and
    the room's frequency (labelled with the count), then "others" — the law of large numbers
    as the room fills it."""
    ys = [token_label(r.key, i + 1) for i, r in enumerate(t.rows)]
    exact = [r.prob or 0.0 for r in t.rows]
    seen = [r.freq for r in t.rows]
    counts = [r.count for r in t.rows]
    if t.other_prob is not None and (t.other_prob > 1e-4 or t.other_count):
        ys.append(translate("poll.other", lang))
        exact.append(t.other_prob)
        seen.append(t.other_count / t.n if t.n else 0.0)
        counts.append(t.other_count)
    font = 20 if presenter else 13
    top = max(exact + seen + [0.05])
    data = [
        dict(type="bar", orientation="h", name=translate("poll.exact", lang), y=ys, x=exact,
             marker=dict(color=EXACT), hovertext=[percent(p, lang) for p in exact], hoverinfo="y+text"),
        dict(type="bar", orientation="h", name=translate("poll.observed", lang), y=ys, x=seen,
             marker=dict(color=OBSERVED), text=[f"{c}" for c in counts], textposition="outside", cliponaxis=False,
             textfont=dict(size=font),
             hovertext=[f"{c} · {percent(f, lang)}" for c, f in zip(counts, seen)], hoverinfo="y+text"),
    ]
    layout = dict(
        barmode="group",
        bargap=0.25,
        height=max(300, (40 if presenter else 30) * len(ys) + 120),
        margin=dict(l=10, r=50, t=60, b=50),
        font=dict(size=font),
        yaxis=dict(autorange="reversed", type="category", tickfont=dict(family="monospace", size=font)),
        xaxis=dict(tickformat=".0%", range=[0, top * 1.15]),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        separators=", " if lang == "fr" else ".,",
    )
    return fast_figure(data, layout)


def answers_figure(t: Tally, lang: str = "fr", presenter: bool = False, top: int = 10) -> go.Figure:
    """Horizontal bars: the room's most frequent first words (how answers begin at this T)."""
    words = list(t.first_words[:top])
    ys = [esc(w) or translate("poll.empty_answer", lang) for w, _ in words]
    xs = [c for _, c in words]
    font = 20 if presenter else 13
    layout = dict(
        height=max(220, (44 if presenter else 30) * len(ys) + 60),
        margin=dict(l=10, r=30, t=10, b=10),
        font=dict(size=font),
        yaxis=dict(autorange="reversed", type="category", tickfont=dict(size=font)),
        xaxis=dict(dtick=1, range=[0, max(xs + [1]) * 1.2]),
        showlegend=False,
    )
    return fast_figure([dict(type="bar", orientation="h", x=xs, y=ys, marker=dict(color=OBSERVED), text=xs,
                             textposition="outside", cliponaxis=False)], layout)
