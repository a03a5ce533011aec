"""Mini-RAG page: your documents, the chunks nearest to a question, and one model answering with
and without them, side by side."""

from __future__ import annotations

import streamlit as st

from ui.common import tr
from ui.rag_view import (
    STATE,
    answer_slots,
    buttons_section,
    chunking_section,
    documents_section,
    question_section,
    results_section,
    retrieval_section,
    start_run,
    stream,
)
from ui.shell import ensure_app
from ui.widgets import available_models


def page() -> None:
    ensure_app()
    st.title(tr("rag.title"))
    st.caption(tr("rag.intro"))
    docs = documents_section()
    chunks, embed_model = chunking_section(docs)
    question, mid, caps, k, params = question_section(available_models())
    ask = buttons_section()
    state = start_run(chunks, embed_model, question, mid, caps, k, params) if ask else st.session_state.get(STATE)
    if state:
        retrieval_section(state)
    slots = answer_slots()
    if ask and state:
        stream(state, slots)
    results_section(state, slots)


page()
