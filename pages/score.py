"""Score a text page: how probable the model found each token of a pasted text."""

from __future__ import annotations

import streamlit as st

from ui.common import tr
from ui.score_view import RESULT, pick_model, run, show
from ui.shell import ensure_app


def page() -> None:
    ensure_app()
    st.title(tr("score.title"))
    st.caption(tr("score.intro"))
    model_id = pick_model()
    text = st.text_area(tr("score.text"), tr("score.text_default"), key="score_text", height=140)
    if st.button(tr("score.run"), type="primary", key="score_run", disabled=model_id is None):
        run(model_id, text)
    result = st.session_state.get(RESULT)
    if result is not None:
        show(result)


page()
