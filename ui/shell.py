"""The app shell every page runs in: sidebar (language, backend status), and the guard that
keeps a page opened by its own URL inside that shell."""

from __future__ import annotations

import streamlit as st

from ui.backends import sidebar_status
from ui.common import config_error, language_switch, tr
from ui.instructor import apply_presenter, presenter_on, presenter_toggle
from ui.navigation import GOTO, navigation
from ui.room_poll import poll_notice
from ui.room_sync import room_watch, sync_room


def app_shell() -> None:
    """What app.py draws around every page."""
    st.session_state["_shell_seen"] = True  # a plain key (widget keys vanish when not drawn)
    language_switch()
    presenter_toggle()
    apply_presenter()
    if not presenter_on():  # the projector shows the demo, not the backend plumbing
        sidebar_status()
    goto = sync_room()
    if goto:
        st.session_state[GOTO] = goto
    room_watch()
    poll_notice()  # a room poll opened: say so on any page
    problem = config_error()
    if problem:
        st.sidebar.error(tr("config.error", error=problem))


def ensure_app() -> None:
    """Call first in every page: a page opened by its own URL still runs inside app.py.

    Streamlit runs a `pages/` file on its own (its old multipage mode, chosen because the
    folder exists) when a fresh server's first visit is a direct link such as /settings,
    before any session called st.navigation. Only then has this session not seen the shell.
    Declaring the app's pages with st.navigation is Streamlit's public way to leave that mode
    (for the whole process); the rerun then goes through app.py and lands on the same page.
    (Streamlit's AppTest re-enables that mode on every rerun of an existing session, which
    has seen the shell: there the page simply renders.)"""
    if st.session_state.get("_shell_seen") or st.session_state.get("_ensure_app_rerun"):
        return
    st.session_state["_ensure_app_rerun"] = True  # one try: never a rerun loop
    navigation()
    st.rerun()
