"""LLM Playground entry point: page config, sidebar (language), navigation over pages/."""

import streamlit as st

from ui.common import language_switch, tr

st.set_page_config(page_title="LLM Playground", page_icon="🧪", layout="wide")
language_switch()

PAGES = {
    "nav.section.explore": [
        st.Page("pages/compare.py", title=tr("nav.compare"), icon="⚖️", url_path="compare", default=True),
    ],
    "nav.section.measure": [
        st.Page("pages/benchmark.py", title=tr("nav.benchmark"), icon="⏱️", url_path="benchmark"),
        st.Page("pages/history.py", title=tr("nav.history"), icon="🗂️", url_path="history"),
    ],
    "nav.section.tools": [
        st.Page("pages/sentences.py", title=tr("nav.sentences"), icon="✍️", url_path="sentences"),
    ],
}

st.navigation({tr(section): pages for section, pages in PAGES.items()}).run()
