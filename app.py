"""LLM Playground entry point: page config, sidebar (language), navigation over pages/."""

import streamlit as st

from ui.backends import sidebar_status
from ui.common import language_switch, mark_app_run, tr

st.set_page_config(page_title="LLM Playground", page_icon="🧪", layout="wide")
language_switch()
sidebar_status()

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
        st.Page("pages/settings.py", title=tr("nav.settings"), icon="⚙️", url_path="settings"),
    ],
}

mark_app_run(True)
try:
    st.navigation({tr(section): pages for section, pages in PAGES.items()}).run()
finally:
    mark_app_run(False)
