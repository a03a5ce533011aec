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
        st.Page("pages/next_token.py", title=tr("nav.next_token"), icon="🎯", url_path="next-token"),
        st.Page("pages/sampling_lab.py", title=tr("nav.sampling_lab"), icon="🌡️", url_path="sampling-lab"),
        st.Page("pages/tokenizer.py", title=tr("nav.tokenizer"), icon="🔤", url_path="tokenizer"),
    ],
    "nav.section.tools": [
        st.Page("pages/settings.py", title=tr("nav.settings"), icon="⚙️", url_path="settings"),
    ],
}

mark_app_run(True)
try:
    st.navigation({tr(section): pages for section, pages in PAGES.items()}).run()
finally:
    mark_app_run(False)
