"""Blind vote page: two anonymous answers, the room votes, the instructor reveals and ranks."""

from __future__ import annotations

import streamlit as st

from ui.blind_vote import attendee_view, instructor_view
from ui.common import tr
from ui.instructor import instructor_mode_enabled, is_instructor
from ui.shell import ensure_app


def page() -> None:
    ensure_app()
    st.title(tr("bv.title"))
    st.caption(tr("bv.intro"))
    if is_instructor():
        instructor_view()
    else:
        attendee_view(instructor_mode_enabled())


page()
