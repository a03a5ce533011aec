"""The app's pages, declared once: app.py navigates over them, and a page file Streamlit opened on
its own (see ui.shell.ensure_app) declares them too, which is what switches that mode off."""

from __future__ import annotations

import streamlit as st

from ui.common import tr
from ui.instructor import is_instructor, room_snapshot

GOTO = "_room_goto"  # a page file the room asked this session to open (see ui.room_sync)

# section key -> (file, title key, icon, url path); the first page is the default one.
PAGES = {
    "nav.section.explore": [
        ("pages/compare.py", "nav.compare", ":material/compare_arrows:", "compare"),
        ("pages/next_token.py", "nav.next_token", ":material/bar_chart:", "next-token"),
        ("pages/sampling_lab.py", "nav.sampling_lab", ":material/thermostat:", "sampling-lab"),
        ("pages/tokenizer.py", "nav.tokenizer", ":material/text_fields:", "tokenizer"),
        ("pages/embeddings.py", "nav.embeddings", ":material/scatter_plot:", "embeddings"),
        ("pages/rag.py", "nav.rag", ":material/manage_search:", "rag"),
        ("pages/anatomy.py", "nav.anatomy", ":material/biotech:", "anatomy"),
        ("pages/score.py", "nav.score", ":material/grading:", "score"),
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
    "nav.section.room": [
        ("pages/room.py", "nav.room", ":material/co_present:", "room"),
        ("pages/vote.py", "nav.vote", ":material/how_to_vote:", "vote"),
    ],
}
ALWAYS_SHOWN = ("room",)  # where an instructor unlocks, whatever the room hides
DEFAULT_PAGE = "pages/compare.py"


def visible_pages() -> dict[str, list[tuple[str, str, str, str]]]:
    """PAGES, less those the instructor hid from attendees (the instructor sees every page)."""
    shown = None if is_instructor() else room_snapshot().pages
    if shown is None:
        return PAGES
    keep = set(shown) | set(ALWAYS_SHOWN)
    out = {section: [p for p in pages if p[3] in keep] for section, pages in PAGES.items()}
    return {section: pages for section, pages in out.items() if pages}


def navigation():
    """st.navigation over the pages this visitor may see, titles in the visitor's language;
    then the page the room's new preset opens, if any."""
    pages = visible_pages()
    files = [p[0] for section in pages.values() for p in section]
    default = DEFAULT_PAGE if DEFAULT_PAGE in files else files[0]
    nav = st.navigation({
        tr(section): [st.Page(path, title=tr(title), icon=icon, url_path=url, default=path == default)
                      for path, title, icon, url in entries]
        for section, entries in pages.items()
    }, expanded=True)  # every page listed: past 12, Streamlit would hide the rest behind "View more"
    goto = st.session_state.pop(GOTO, None)
    opened_room = st.session_state.get("_room_arrived") and nav.url_path in ALWAYS_SHOWN
    if goto in files and not opened_room:  # a link to the Classroom page (to unlock) is kept
        st.switch_page(goto)
    return nav
