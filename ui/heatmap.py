"""Token heatmap widget: tokens coloured by probability (hover: alternatives), per-token lines,
confidence summary. Used on the next-token page and in the Compare columns."""

from __future__ import annotations

import math
from collections.abc import Sequence

import streamlit as st

from playground.explorer_charts import token_lines_figure
from playground.token_html import confidence, heatmap_html, series, visible
from providers.base import TokenLogprob
from ui.common import lang, tr


def render_heatmap(logprobs: Sequence[TokenLogprob], key: str, chart: bool = True) -> None:
    if not logprobs:
        st.caption(tr("hm.none"))
        return
    st.markdown(heatmap_html(logprobs), unsafe_allow_html=True)
    conf = confidence(logprobs)
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("hm.mean_logprob"), "—" if conf.mean_logprob is None else f"{conf.mean_logprob:.3f}")
    c2.metric(tr("hm.perplexity"), "—" if conf.perplexity is None else f"{conf.perplexity:.2f}")
    c3.metric(tr("hm.min_prob"), "—" if conf.min_prob is None else f"{100 * conf.min_prob:.1f}%")
    st.caption(tr("hm.note"))
    if chart:
        st.plotly_chart(token_lines_figure(series(logprobs), lang()), width="stretch", key=f"{key}_lines")
    with st.expander(tr("hm.alternatives")):
        rows = []
        for i, t in enumerate(logprobs):
            alts = " · ".join(f"{visible(a.token)!r} {100 * math.exp(a.logprob):.1f}%" for a in t.top[:8])
            rows.append({"#": i + 1, tr("hm.token"): visible(t.token), "%": round(100 * t.prob, 2), tr("hm.alts"): alts})
        # a static table (not st.dataframe): it sits inside other pages' layouts (Compare columns).
        # pandas only now: a page that has shown no result yet does not pay its import (ui.widgets)
        import pandas as pd

        st.table(pd.DataFrame(rows).set_index("#"))
