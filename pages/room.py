"""Room page: the instructor unlocks instructor mode and runs the room (presets, locks, pages,
limits); an attendee sees what the instructor published."""

from __future__ import annotations

import streamlit as st

from playground.course_presets import COURSE_PRESETS, course_preset
from playground.room import RoomLimits
from ui.common import lang, tr
from ui.instructor import instructor_mode_enabled, is_instructor, room, room_snapshot, unlock_form
from ui.navigation import ALWAYS_SHOWN, GOTO, PAGES
from ui.room_sync import PAGE_FILES, apply_preset
from ui.shell import ensure_app
from ui.widgets import whole

PARAM_LABELS = {"temperature": "param.temperature", "top_p": "param.top_p", "top_k": "room.param.top_k",
                "min_p": "param.min_p", "max_tokens": "param.max_tokens", "seed": "param.seed"}


def fmt_value(v) -> str:
    """A parameter as the visitor's language writes it (0,7 in French)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, int):
        return whole(v)
    text = f"{v:g}"
    return text.replace(".", ",") if lang() == "fr" else text


def _preset_card(p) -> None:
    st.markdown(f"**{p.title or p.prompt[:80]}**")
    st.caption(tr("room.preset_page", page=tr(f"room.page.{p.page}")) + " · " + " · ".join(p.models))
    st.code(p.prompt, language=None, wrap_lines=True)
    if p.params:
        st.caption(" · ".join(f"{tr(PARAM_LABELS[k])} = {fmt_value(v)}" for k, v in p.params.items() if k in PARAM_LABELS))


def _reapply() -> None:
    p = room_snapshot().preset
    if p is not None:
        apply_preset(p)
        st.session_state[GOTO] = PAGE_FILES.get(p.page)


def _attendee_section() -> None:
    snap = room_snapshot()
    st.subheader(tr("room.current"))
    if snap.preset is None:
        st.info(tr("room.no_preset"))
        return
    _preset_card(snap.preset)
    if snap.locked:
        st.warning(tr("room.locked_info"), icon=":material/lock:")
    st.button(tr("room.apply_again"), key="room_reapply", on_click=_reapply, icon=":material/restart_alt:")


def _publish_section() -> None:
    st.subheader(tr("room.publish"))
    titles = {tr(f"course.{c.key}"): c.key for c in COURSE_PRESETS}  # titles as options: plain strings
    choice = titles[st.selectbox(tr("room.course_preset"), list(titles), key=f"room_course_{lang()}")]
    preset = course_preset(choice, lang(), title=tr(f"course.{choice}"))
    _preset_card(preset)
    if st.button(tr("room.publish_course"), type="primary", key="room_publish_course", icon=":material/campaign:"):
        room().publish(preset)
        st.toast(tr("room.published"), icon=":material/campaign:")
    st.caption(tr("room.publish_from_pages"))
    snap = room_snapshot()
    if snap.preset is not None:
        st.markdown(tr("room.now_published"))
        _preset_card(snap.preset)
        st.button(tr("room.withdraw"), key="room_withdraw", on_click=lambda: room().withdraw(), icon=":material/cancel:")


def _controls_section() -> None:
    snap = room_snapshot()
    st.subheader(tr("room.controls"))
    if st.toggle(tr("room.lock"), value=snap.locked, key="room_lock_toggle", help=tr("room.lock_help")) != snap.locked:
        room().set_locked(not snap.locked)
        st.rerun()
    options = [url for pages in PAGES.values() for _, _, _, url in pages if url not in ALWAYS_SHOWN]
    titles = {url: tr(title) for pages in PAGES.values() for _, title, _, url in pages}
    current = list(snap.pages) if snap.pages is not None else options
    with st.form("room_pages_form"):
        shown = st.multiselect(tr("room.pages"), options, default=[u for u in current if u in options],
                               format_func=lambda u: titles[u], placeholder=tr("room.pages_placeholder"))
        if st.form_submit_button(tr("room.apply"), icon=":material/visibility:"):
            room().set_pages(None if set(shown) == set(options) else tuple(shown))
            st.toast(tr("room.pages_saved"))
    lim = snap.limits
    with st.form("room_limits_form"):
        st.caption(tr("room.limits_help"))
        c1, c2, c3 = st.columns(3)
        runs = c1.number_input(tr("room.max_runs"), 0, 16, lim.max_runs_per_session or 0)
        tokens = c2.number_input(tr("room.max_tokens"), 0, 32768, lim.max_tokens or 0, step=16)
        active = c3.number_input(tr("room.max_active"), 0, 64, lim.max_active_per_model or 0)
        if st.form_submit_button(tr("room.apply"), icon=":material/tune:"):
            room().set_limits(RoomLimits(max_runs_per_session=int(runs) or None, max_tokens=int(tokens) or None,
                                         max_active_per_model=int(active) or None))
            st.toast(tr("room.limits_saved"))


@st.fragment(run_every=2.0)
def _attendance() -> None:
    online, following = room().attendance()
    c1, c2 = st.columns(2)
    c1.metric(tr("room.online"), online)
    c2.metric(tr("room.following"), following)


def page() -> None:
    ensure_app()
    st.title(tr("room.title"))
    st.caption(tr("room.intro"))
    if is_instructor():
        _attendance()
        c1, c2 = st.columns(2, gap="large")
        with c1:
            _publish_section()
        with c2:
            _controls_section()
        with st.expander(tr("instructor.section")):
            unlock_form()
        return
    if instructor_mode_enabled():
        _attendee_section()
    with st.expander(tr("instructor.section"), expanded=not instructor_mode_enabled()):
        unlock_form()


page()
