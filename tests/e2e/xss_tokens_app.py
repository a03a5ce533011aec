"""Test-only Streamlit script: renders crafted, hostile token strings through the real widgets
(heatmap, tokenizer chips, step trail, bar and pie charts) for the browser XSS test."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np
import streamlit as st

from playground.explorer import Distribution, view
from playground.explorer_charts import bar_figure, pie_figure
from playground.explorer_live import Settings, live_payload
from playground.token_html import chips_html, trail_html
from playground.tokenize import Token
from providers.base import TokenAlternative, TokenLogprob
from providers.sampling import SamplingParams
from ui.heatmap import render_heatmap
from ui.live_explorer import live_explorer

EVIL = ["<img src=x onerror=alert(1)>", "</div><script>alert(2)</script>", '" onmouseover="alert(3)" x="',
        "<a href=javascript:alert(4)>clic</a>"]

lps = [TokenLogprob(e, -0.3 - i, tuple(TokenAlternative(x, -1.0 - j) for j, x in enumerate(EVIL))) for i, e in enumerate(EVIL)]
st.header("xss")
render_heatmap(lps, key="xss_hm")
st.markdown(chips_html([Token(i, e) for i, e in enumerate(EVIL)]), unsafe_allow_html=True)
st.markdown(trail_html(EVIL[0], [(e, 0.4) for e in EVIL]), unsafe_allow_html=True)
d = Distribution("test/xss", np.log(np.array([0.4, 0.3, 0.2, 0.1])).astype(np.float32), False, None, 0,
                 pieces=tuple(EVIL), ids=(1, 2, 3, 4))
v = view(d, SamplingParams(1.0), show=4)
st.plotly_chart(bar_figure(v), key="xss_bar")
st.plotly_chart(pie_figure(v), key="xss_pie")
live_explorer(live_payload(d), Settings(1.0, 0, 1.0, 0.0, 4), "fr", key="xss_live")
st.write("done-rendering")
