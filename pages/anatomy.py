"""Model anatomy page: what models are made of and what they cost in memory, side by side."""

from __future__ import annotations

import streamlit as st

from ui.anatomy_view import columns, load, memory_settings, pick_models, summary
from ui.common import tr
from ui.shell import ensure_app


def page() -> None:
    ensure_app()
    st.title(tr("anat.title"))
    st.caption(tr("anat.intro"))
    chosen = pick_models()
    if not chosen:
        st.info(tr("anat.pick"))
        return
    results = load(chosen)
    n_ctx, kv, n_seq = memory_settings([r for r in results if not isinstance(r, str)])
    summary(chosen, results, n_ctx, kv, n_seq)
    columns(chosen, results, n_ctx, kv, n_seq)


page()
