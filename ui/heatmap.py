"""Token heatmap widget: tokens coloured by probability (hover: alternatives), per-token lines,
confidence summary. Used on the next-token page and in the Compare columns."""

from __future__ import annotations

import math
from collections.abc import Sequence

import streamlit as st

from playground.explorer_charts import token_lines_figure
from playground.i18n import format_number, format_percent
from playground.token_html import confidence, heatmap_html, series, visible
from providers.base import TokenLogprob
from ui.common import lang, tr


def render_heatmap(logprobs: Sequence[TokenLogprob], key: str, chart: bool = True, compact: bool = False) -> None:
    """`compact`: in a narrow container (a Compare column of four), the three figures one under
    the other, so none is cut."""
    if not logprobs:
        st.caption(tr("hm.none"))
        return
    st.markdown(heatmap_html(logprobs), unsafe_allow_html=True)
    conf = confidence(logprobs)
    c1, c2, c3 = (st.container(), st.container(), st.container()) if compact else st.columns(3)
    c1.metric(tr("hm.mean_logprob"), format_number(conf.mean_logprob, 3, lang()))
    c2.metric(tr("hm.perplexity"), format_number(conf.perplexity, 2, lang()))
    c3.metric(tr("hm.min_prob"), format_percent(conf.min_prob, 1, lang()))
    st.caption(tr("hm.note"))
    if chart:
        st.plotly_chart(token_lines_figure(series(logprobs), lang()), width="stretch", key=f"{key}_lines")
    with st.expander(tr("hm.alternatives")):
        rows = []
        for i, t in enumerate(logprobs):
            alts = " · ".join(f"{visible(a.token)!r} {format_percent(math.exp(a.logprob), 1, lang())}" for a in t.top[:8])
            rows.append({"#": i + 1, tr("hm.token"): visible(t.token), "%": format_number(100 * t.prob, 2, lang()),
                         tr("hm.alts"): alts})
        # a static table (not st.dataframe): it sits inside other pages' layouts (Compare columns).
        # pandas only now: a page that has shown no result yet does not pay its import (ui.widgets)
        import pandas as pd

        st.table(pd.DataFrame(rows).set_index("#"))
