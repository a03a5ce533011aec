"""The "Course demos" picker of the Compare, Next-token and Tokenizers pages: the course's demos
(playground.course_presets) for everyone, not only the instructor's room.

One button per demo of the page; a click loads the demo into the page's widgets through the
same `apply_preset` the room uses, in the button's callback, i.e. before the widgets are drawn.
In a room whose instructor locked models and parameters the demos are greyed: the room decides.
"""

from __future__ import annotations

import streamlit as st

from playground.course_presets import course_preset, course_presets
from ui.common import lang, tr
from ui.instructor import params_locked
from ui.room_sync import apply_preset

LOADED = "_course_demo"  # the key of the demo loaded last (its title is said under the picker)


def _menu_key(page: str) -> str:
    return f"course_menu_{page}"


def _load(key: str, page: str) -> None:
    apply_preset(course_preset(key, lang(), title=tr(f"course.{key}")))
    st.session_state[LOADED] = key
    st.session_state[_menu_key(page)] = False  # close the menu: the demo is on the page, not under it


def course_picker(page: str) -> None:
    """The demos of `page` (a url path of ui.navigation: compare, next-token, tokenizer)."""
    demos = course_presets(page)
    if not demos:
        return
    locked = params_locked()
    # the menu's open state is tracked (opening it reruns the page) so that loading a demo can close it
    with st.popover(tr("course.picker"), icon=":material/school:", disabled=locked, key=_menu_key(page),
                    on_change="rerun", help=tr("room.locked_help") if locked else tr("course.picker_help")):
        for c in demos:
            st.button(tr(f"course.{c.key}"), key=f"course_demo_{c.key}", on_click=_load, args=(c.key, page),
                      help=c.prompt.get(lang()) or c.prompt["fr"], width="stretch", disabled=locked)
    loaded = st.session_state.get(LOADED)
    if loaded in {c.key for c in demos}:
        st.caption(tr("course.loaded", title=tr(f"course.{loaded}")))
