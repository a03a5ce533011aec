"""Plotly figures for the explorer (bars, "camembert" pie, entropy vs temperature, per-token lines).

Pure (no Streamlit) so the benchmark can time reshape + figure build. Token pieces are escaped:
Plotly renders a few HTML tags (<a href>, <b>…) inside labels and decodes entities, so an
escaped piece shows literally.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.explorer import View
from playground.i18n import format_number, format_percent, translate
from playground.token_html import visible


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators for the language (French: 0,5 and 49 152)."""
    return ",\u202f" if lang == "fr" else ".,"


def esc(text: str) -> str:
    """Escape for Plotly labels: it interprets a few tags and decodes &lt; &gt; &amp; (not &quot;)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

KEPT = "#2563eb"
CUT = "#d1d5db"
OTHER = "#9ca3af"


def label(piece: str, rank: int) -> str:
    # the rank keeps categories unique (two pieces can look alike) and tells the keyboard digit
    return f"{rank}. {esc(visible(piece)) or '∅'}"


def fast_figure(data: list[dict], layout: dict) -> go.Figure:
    """A Figure from plain dicts without Plotly's per-property validation (10-20× faster; these
    figures are redrawn on every slider move). The unit tests validate the same dicts once."""
    return go.Figure(data=data, layout=layout, _validate=False)


PALETTE = ("#636EFA", "#EF553B", "#00CC96", "#AB63FA", "#FFA15A", "#19D3F3", "#FF6692", "#B6E880", "#FF97FF", "#FECB52")


def bar_figure(v: View, lang: str = "fr", height: int | None = None) -> go.Figure:
    """Horizontal bars, most likely on top: kept tokens at their renormalised probability,
    cut tokens greyed at the probability they had before the cut, then the rest as "other"."""
    cands = list(v.candidates)
    ys = [label(c.piece, i + 1) for i, c in enumerate(cands)]
    xs = [100 * (c.prob_final if c.kept else c.prob_t) for c in cands]
    colours = [KEPT if c.kept else CUT for c in cands]
    cut_word = translate("nt.cut", lang)

    def pct(p: float, digits: int = 1) -> str:
        return format_percent(p, digits, lang)  # French: 12,3 %

    texts = [pct(x / 100) if c.kept else f"{pct(x / 100)} ({cut_word})" for x, c in zip(xs, cands)]
    hover = [
        f"{esc(repr(c.piece))}<br>id {c.token_id if c.token_id is not None else '?'}<br>"
        f"p(T=1) {pct(math.exp(c.logprob), 2)} · logprob {format_number(c.logprob, 3, lang)}<br>"
        f"p(T) {pct(c.prob_t, 2)} → {pct(c.prob_final, 2)}"
        for c in cands
    ]
    other = 100 * v.other_final
    ys.append(translate("nt.other", lang))
    xs.append(other)
    colours.append(OTHER)
    texts.append(pct(other / 100))
    hover.append(translate("nt.other_help", lang))
    layout = dict(
        height=height or max(260, 30 * len(ys) + 60),
        margin=dict(l=10, r=40, t=10, b=30),
        yaxis=dict(autorange="reversed", type="category", tickfont=dict(family="monospace", size=14)),
        xaxis=dict(title=dict(text="%"), range=[0, max(xs + [1.0]) * 1.2]),
        showlegend=False, separators=separators(lang),
    )
    return fast_figure([dict(type="bar", x=xs, y=ys, orientation="h", marker=dict(color=colours), text=texts,
                             textposition="outside", hovertext=hover, hoverinfo="text", cliponaxis=False)], layout)


def pie_figure(v: View, lang: str = "fr", height: int = 380) -> go.Figure:
    """Le camembert: what the sampler would actually draw from (kept tokens + kept "other")."""
    kept = [(i, c) for i, c in enumerate(v.candidates) if c.kept]
    labels = [label(c.piece, i + 1) for i, c in kept]
    values = [c.prob_final for _, c in kept]
    if v.other_final > 1e-6:
        labels.append(translate("nt.other", lang))
        values.append(v.other_final)
    palette = PALETTE
    colours = [palette[i % len(palette)] for i in range(len(kept))] + ([OTHER] if len(labels) > len(kept) else [])
    trace = dict(type="pie", labels=labels, values=values, sort=False, direction="clockwise", hole=0.0,
                 marker=dict(colors=colours, line=dict(color="white", width=1)), textinfo="label+percent",
                 textposition="inside", insidetextorientation="horizontal")
    return fast_figure([trace], dict(height=height, margin=dict(l=10, r=10, t=10, b=10), showlegend=False))


def entropy_figure(curve: Sequence[tuple[float, float]], t_now: float, h_now: float, h_final: float,
                   lang: str = "fr", height: int = 260) -> go.Figure:
    ts = [t for t, _ in curve]
    hs = [h for _, h in curve]
    data = [
        dict(type="scatter", x=ts, y=hs, mode="lines", name=translate("nt.entropy_curve", lang)),
        dict(type="scatter", x=[t_now], y=[h_now], mode="markers", marker=dict(size=12, color="#dc2626"),
             name=translate("nt.entropy_now", lang)),
    ]
    if abs(h_final - h_now) > 1e-9:
        data.append(dict(type="scatter", x=[t_now], y=[h_final], mode="markers",
                         marker=dict(size=10, color=KEPT, symbol="diamond"), name=translate("nt.entropy_filtered", lang)))
    layout = dict(height=height, margin=dict(l=10, r=10, t=10, b=30), xaxis=dict(title=dict(text="T")),
                  yaxis=dict(title=dict(text=translate("nt.entropy_axis", lang))), legend=dict(orientation="h", y=-0.3))
    return fast_figure(data, layout)


def token_lines_figure(series: dict, lang: str = "fr", height: int = 260) -> go.Figure:
    """Per generated token: the chosen token's probability and the entropy of the alternatives."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    hover = [esc(repr(p)) for p in series["piece"]]
    fig.add_scatter(x=series["index"], y=[100 * p for p in series["prob"]], mode="lines+markers",
                    name=translate("hm.prob", lang), hovertext=hover, secondary_y=False)
    fig.add_scatter(x=series["index"], y=series["entropy"], mode="lines+markers", name=translate("hm.entropy", lang),
                    hovertext=hover, secondary_y=True)
    fig.update_yaxes(title_text="%", range=[0, 105], secondary_y=False)
    fig.update_yaxes(title_text=translate("nt.entropy_axis", lang), secondary_y=True)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=30), xaxis_title=translate("hm.position", lang),
                      legend=dict(orientation="h", y=-0.3), separators=separators(lang))
    return fig


def diversity_figure(rows: Sequence, lang: str = "fr", height: int = 300) -> go.Figure:
    """Diversity of the samples against temperature (rows: playground.sampling_lab.Diversity)."""
    ts = [d.temperature for d in rows]
    fig = go.Figure()
    fig.add_scatter(x=ts, y=[d.distinct_ratio for d in rows], mode="lines+markers", name=translate("lab.distinct_outputs", lang))
    fig.add_scatter(x=ts, y=[d.distinct_2 for d in rows], mode="lines+markers", name=translate("lab.distinct_2", lang))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=30), xaxis_title="T", yaxis=dict(range=[0, 1.05]),
                      legend=dict(orientation="h", y=-0.3), separators=separators(lang))
    return fig
