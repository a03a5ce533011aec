"""Instructor mode in a browser session: unlocking, the presenter view, what attendees may do.

Off unless `[instructor] password` is set in secrets.toml. A session that typed the password
keeps only the password's fingerprint (so changing the password locks everyone out); the
password itself is never put in session state, a widget's value after the check, or a log.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import streamlit as st

from playground.classroom import Classroom, InstructorGate, RoomSnapshot, classroom, instructor_password
from playground.config import load_secrets, secrets_paths
from ui.common import session_id, tr

UNLOCKED = "_instructor"  # the gate's fingerprint when this session is the instructor's
PRESENTER = "presenter_mode"
PASSWORD_FIELD = "instructor_password"


def _secrets() -> dict:
    """secrets.toml as read for instructor mode. This runs for every parameter widget of a page
    (params_locked), so the files are parsed again only when one of them changed."""
    return _parsed(tuple((str(p), _mtime(p)) for p in secrets_paths()))


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


@lru_cache(maxsize=4)
def _parsed(files: tuple[tuple[str, int | None], ...]) -> dict:
    try:
        return load_secrets([Path(p) for p, _ in files])
    except ValueError:  # a broken secrets.toml: instructor mode off, the sidebar already says why
        return {}


@st.cache_resource(show_spinner=False)
def _gate(password: str | None) -> InstructorGate:
    # one gate per password for the whole process, so wrong tries count across sessions
    return InstructorGate(password)


def gate() -> InstructorGate:
    return _gate(instructor_password(_secrets()))


def room() -> Classroom:
    return classroom(_secrets())


def room_snapshot() -> RoomSnapshot:
    return room().snapshot()


def instructor_mode_enabled() -> bool:
    return gate().enabled


def is_instructor() -> bool:
    g = gate()
    return g.enabled and st.session_state.get(UNLOCKED) == g.fingerprint()


def can_manage_models() -> bool:
    """Pull or delete models: anyone without instructor mode, only the instructor with it."""
    return not instructor_mode_enabled() or is_instructor()


def presenter_on() -> bool:
    """The instructor's large-type projector view."""
    return is_instructor() and bool(st.session_state.get(PRESENTER))


def params_locked() -> bool:
    """Attendees' models and parameters follow the published preset (the instructor's never do)."""
    return instructor_mode_enabled() and not is_instructor() and room_snapshot().locked


def _submit_password() -> None:
    attempt = st.session_state.get(PASSWORD_FIELD, "")
    st.session_state[PASSWORD_FIELD] = ""  # the typed text does not outlive the check
    if not attempt:
        return
    result = gate().try_unlock(session_id(), attempt)
    if result.ok:
        st.session_state[UNLOCKED] = gate().fingerprint()
        st.session_state.pop("_instructor_msg", None)
    elif result.retry_after > 0:
        st.session_state["_instructor_msg"] = tr("instructor.wait", s=f"{result.retry_after:.0f}")
    else:
        st.session_state["_instructor_msg"] = tr("instructor.wrong")


def lock_session() -> None:
    st.session_state.pop(UNLOCKED, None)
    st.session_state[PRESENTER] = False


def unlock_form() -> None:
    """The password box (or, once unlocked, the way out)."""
    if not instructor_mode_enabled():
        st.info(tr("instructor.off"))
        return
    if is_instructor():
        st.success(tr("instructor.unlocked"))
        st.button(tr("instructor.lock"), key="instructor_lock", on_click=lock_session, icon=":material/logout:")
        return
    st.text_input(tr("instructor.password"), type="password", key=PASSWORD_FIELD, on_change=_submit_password,
                  autocomplete="off")
    st.button(tr("instructor.unlock"), key="instructor_unlock", on_click=_submit_password, icon=":material/key:")
    msg = st.session_state.get("_instructor_msg")
    if msg:
        st.error(msg)


PRESENTER_CSS = """
<style>
/* the presenter view: large type for a 1280x720 projector, charts above the fold */
html { font-size: 20px; }
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem; padding-left: 1.5rem; padding-right: 1.5rem; max-width: 100%; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.1rem; }
[data-testid="stCaptionContainer"] { font-size: 0.95rem; }
h1 { font-size: 2.1rem !important; padding-top: 0 !important; }
h2 { font-size: 1.7rem !important; }
</style>
"""


def apply_presenter() -> None:
    """Large type when the instructor presents (called by the shell on every page)."""
    if presenter_on():
        st.markdown(PRESENTER_CSS, unsafe_allow_html=True)


def presenter_toggle() -> None:
    if is_instructor():
        st.sidebar.toggle(tr("instructor.presenter"), key=PRESENTER, help=tr("instructor.presenter_help"))
