"""The app shell every page runs in: sidebar (language, backend status), and the guard that
keeps a page opened by its own URL inside that shell."""

from __future__ import annotations

import streamlit as st

from ui.backends import sidebar_status
from ui.common import config_error, language_switch, tr
from ui.pages_mode import leave_folder_mode


def app_shell() -> None:
    """What app.py draws around every page."""
    st.session_state["_shell_seen"] = True  # a plain key (widget keys vanish when not drawn)
    language_switch()
    sidebar_status()
    problem = config_error()
    if problem:
        st.sidebar.error(tr("config.error", error=problem))


def ensure_app() -> None:
    """Call first in every page: a page opened by its own URL still runs inside app.py.

    Streamlit runs a `pages/` file on its own (its old multipage mode, chosen because the
    folder exists) when a fresh server's first visit is a direct link such as /settings,
    before any session called st.navigation. We switch that mode off as st.navigation
    itself does (ui/pages_mode.py says why no public API can) and rerun the new session (it
    has nothing to lose): the rerun goes through app.py and lands on the same page.
    (Streamlit's AppTest re-enables that mode on every rerun of an existing session; there
    the page simply renders, as before.)"""
    if not leave_folder_mode():
        return
    if not st.session_state.get("_shell_seen") and not st.session_state.get("_ensure_app_rerun"):
        st.session_state["_ensure_app_rerun"] = True
        st.rerun()
