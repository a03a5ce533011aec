"""The app's pages, declared once: app.py navigates over them, and a page file Streamlit opened on
its own (see ui.shell.ensure_app) declares them too, which is what switches that mode off."""

from __future__ import annotations

import streamlit as st

from ui.common import tr

# section key -> (file, title key, icon, url path); the first page is the default one.
PAGES = {
    "nav.section.explore": [
        ("pages/compare.py", "nav.compare", ":material/compare_arrows:", "compare"),
        ("pages/next_token.py", "nav.next_token", ":material/bar_chart:", "next-token"),
        ("pages/sampling_lab.py", "nav.sampling_lab", ":material/thermostat:", "sampling-lab"),
        ("pages/tokenizer.py", "nav.tokenizer", ":material/text_fields:", "tokenizer"),
    ],
    "nav.section.measure": [
        ("pages/benchmark.py", "nav.benchmark", ":material/speed:", "benchmark"),
        ("pages/history.py", "nav.history", ":material/history:", "history"),
    ],
    "nav.section.tools": [
        ("pages/sentences.py", "nav.sentences", ":material/edit_note:", "sentences"),
        ("pages/models.py", "nav.models", ":material/download:", "models"),
        ("pages/settings.py", "nav.settings", ":material/settings:", "settings"),
    ],
}
DEFAULT_PAGE = "pages/compare.py"


def navigation():
    """st.navigation over every page, titles in the visitor's language."""
    return st.navigation({
        tr(section): [st.Page(path, title=tr(title), icon=icon, url_path=url, default=path == DEFAULT_PAGE)
                      for path, title, icon, url in pages]
        for section, pages in PAGES.items()
    })
