"""The instructor's "Publish to the room" button on Compare and Next-token: what the instructor
has on screen becomes the room's preset."""

from __future__ import annotations

import streamlit as st

from playground.classroom import Preset
from ui import compare_state as cmp
from ui.common import tr
from ui.instructor import is_instructor, room

PARAMS = ("temperature", "top_p", "top_k", "min_p", "max_tokens", "seed")


def _compare_preset() -> Preset:
    ss = st.session_state
    n = int(ss.get(cmp.N_COLUMNS, 1) or 1)
    models = tuple(m for m in (ss.get(cmp.model_key(i)) for i in range(n)) if m)
    prefix = cmp.SHARED_PARAMS if ss.get(cmp.SAME_PARAMS) else cmp.params_key(0)
    params = {}
    for name in PARAMS:
        v = ss.get(f"{prefix}_{name}")
        if name == "seed":
            v = int(v) if isinstance(v, str) and v.strip().lstrip("-").isdigit() else None
        if v is not None:
            params[name] = v
    prompt = ss.get(cmp.PROMPT) or ""
    return Preset(page="compare", prompt=prompt, models=models, params=params, system=ss.get(cmp.SYSTEM) or "",
                  title=prompt[:80])


def _next_token_preset() -> Preset:
    ss = st.session_state
    params = {name: ss[f"nt_{name}"] for name in ("temperature", "top_k", "top_p", "min_p") if f"nt_{name}" in ss}
    prompt = ss.get("nt_prompt") or ""
    return Preset(page="next-token", prompt=prompt, models=(ss.get("nt_model"),), params=params, title=prompt[:80])


def _publish(page: str) -> None:
    try:
        preset = _compare_preset() if page == "compare" else _next_token_preset()
        room().publish(preset)
        st.toast(tr("room.published"), icon=":material/campaign:")
    except ValueError as exc:
        st.session_state["_publish_error"] = str(exc)


def publish_button(page: str) -> None:
    """Only the instructor sees it; attendees pick the preset up within a few seconds."""
    if not is_instructor():
        return
    st.button(tr("room.publish_here"), key=f"room_publish_{page}", on_click=_publish, args=(page,),
              icon=":material/campaign:", help=tr("room.publish_help"))
    err = st.session_state.pop("_publish_error", None)
    if err:
        st.error(tr("room.publish_failed", error=err))
