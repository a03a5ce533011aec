"""LLM Playground entry point: page config, sidebar (language), navigation over pages/."""

import streamlit as st

from ui.common import tr
from ui.shell import app_shell

st.set_page_config(page_title="LLM Playground", page_icon="🧪", layout="wide")
app_shell()

PAGES = {
    "nav.section.explore": [
        st.Page("pages/compare.py", title=tr("nav.compare"), icon=":material/compare_arrows:", url_path="compare", default=True),
        st.Page("pages/next_token.py", title=tr("nav.next_token"), icon=":material/bar_chart:", url_path="next-token"),
        st.Page("pages/sampling_lab.py", title=tr("nav.sampling_lab"), icon=":material/thermostat:", url_path="sampling-lab"),
        st.Page("pages/tokenizer.py", title=tr("nav.tokenizer"), icon=":material/text_fields:", url_path="tokenizer"),
    ],
    "nav.section.measure": [
        st.Page("pages/benchmark.py", title=tr("nav.benchmark"), icon=":material/speed:", url_path="benchmark"),
        st.Page("pages/history.py", title=tr("nav.history"), icon=":material/history:", url_path="history"),
    ],
    "nav.section.tools": [
        st.Page("pages/sentences.py", title=tr("nav.sentences"), icon=":material/edit_note:", url_path="sentences"),
        st.Page("pages/settings.py", title=tr("nav.settings"), icon=":material/settings:", url_path="settings"),
    ],
}

st.navigation({tr(section): pages for section, pages in PAGES.items()}).run()
