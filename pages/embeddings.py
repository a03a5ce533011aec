"""Embeddings page: sentences as vectors (similarity matrix, 2-D map, nearest neighbours), a
secret-word game scored by similarity, and word arithmetic (roi − homme + femme)."""

from __future__ import annotations

import streamlit as st

from ui.common import tr
from ui.embeddings_view import arithmetic_section, game_section, model_picker, sentences_section
from ui.shell import ensure_app


def page() -> None:
    ensure_app()
    st.title(tr("emb.title"))
    st.caption(tr("emb.intro"))
    model_id = model_picker()
    sentences, guessing, arithmetic = st.tabs([tr("emb.tab.sentences"), tr("emb.tab.game"), tr("emb.tab.arithmetic")])
    with sentences:
        sentences_section(model_id)
    with guessing:
        game_section(model_id)
    with arithmetic:
        arithmetic_section(model_id)


page()
