"""Attendee sessions follow the room: apply the instructor's published preset (again on every
run until one run completes with it: see confirm_room), keep locked parameters on the preset,
and notice changes within a couple of seconds.

`sync_room()` runs in the shell before the page draws its widgets (so it may set their
session keys); `room_watch()` is a small fragment that reruns every POLL_S seconds and asks
for a full rerun when the room's version moved. A fragment's own timed rerun never
interrupts a running script (Streamlit queues it), so a streaming answer is not cut.
"""

from __future__ import annotations

import json

import streamlit as st

from playground.classroom import Preset, RoomSnapshot
from providers.base import GenerationRequest
from ui import compare_state as cmp
from ui.common import session_id, tr
from ui.instructor import instructor_mode_enabled, is_instructor, room, room_snapshot
from ui.navigation import PAGES
from ui.widgets import params_state

POLL_S = 2.0
APPLIED = "_room_preset"  # id of the last preset applied in this session
SEEN = "_room_version"
CALLED = "_room_called"  # id of the last "everyone to this page" call followed
ARRIVED = "_room_arrived"  # True in a session's first run
PENDING = "_room_pending"  # id of a preset applied in a run that has not completed yet
PAGE_FILES = {"compare": "pages/compare.py", "next-token": "pages/next_token.py", "tokenizer": "pages/tokenizer.py"}
NT_PARAMS = {"temperature": "nt_temperature", "top_k": "nt_top_k", "top_p": "nt_top_p", "min_p": "nt_min_p"}
NT_LIVE = "nt_live"  # the live chart's value (its settings), owned by pages/next_token.py
# The live chart's value when a preset set the nt_* keys: the browser keeps sending that old value
# with every rerun, so the page ignores it (and shows the preset's settings) until the chart sends
# a new one.
NT_LIVE_SUPERSEDED = "nt_live_superseded"
TOK_TEXT = "tok_text"  # the Tokenizers page's text and chosen tokenizers
TOK_CHOSEN = "tok_chosen"


def url_file(url: str) -> str | None:
    """The page file behind a url path of ui.navigation."""
    return next((f for pages in PAGES.values() for f, _, _, u in pages if u == url), None)


def _request(p: Preset, model: str) -> GenerationRequest:
    defaults = GenerationRequest(model=model, max_tokens=128, seed=42, top_logprobs=5)
    params = {k: v for k, v in p.params.items() if k in {"temperature", "top_p", "top_k", "min_p", "max_tokens", "seed"}}
    return GenerationRequest(model=model, **{**{k: getattr(defaults, k) for k in
                                                ("temperature", "top_p", "top_k", "min_p", "max_tokens", "seed",
                                                 "top_logprobs")}, **params})


def _apply_compare(p: Preset, with_prompt: bool) -> None:
    ss = st.session_state
    models = list(p.models)[: cmp.MAX_COLUMNS]
    if with_prompt:
        ss[cmp.PROMPT] = p.prompt
        ss[cmp.SYSTEM] = p.system
        ss.pop(cmp.STATE, None)  # the previous answers belonged to another question
    ss[cmp.N_COLUMNS] = len(models)
    ss[cmp.SAME_PARAMS] = True
    for i, m in enumerate(models):
        ss[cmp.model_key(i)] = m
    ss.update(params_state(cmp.SHARED_PARAMS, _request(p, models[0])))
    ss[cmp.JSON_OUTPUT] = bool(p.json_schema)  # the SNCF exercise: JSON output with its schema
    if p.json_schema or with_prompt:
        ss[cmp.JSON_SCHEMA] = json.dumps(json.loads(p.json_schema), ensure_ascii=False, indent=2) if p.json_schema else ""


def _apply_next_token(p: Preset, with_prompt: bool) -> None:
    ss = st.session_state
    if with_prompt:
        ss["nt_prompt"] = p.prompt
        ss.pop("nt_state", None)  # a new prompt: a new trail
    ss["nt_model"] = p.models[0]
    for name, key in NT_PARAMS.items():
        if name in p.params:
            ss[key] = p.params[name]
    if NT_LIVE in ss:
        ss[NT_LIVE_SUPERSEDED] = ss[NT_LIVE]


def _apply_tokenizer(p: Preset, with_prompt: bool) -> None:
    ss = st.session_state
    if with_prompt:
        ss[TOK_TEXT] = p.prompt
    ss[TOK_CHOSEN] = list(p.models)  # the page keeps those it offers


def apply_preset(p: Preset, with_prompt: bool = True) -> None:
    """Set the target page's widgets to the preset (before they are drawn in this run)."""
    apply = {"compare": _apply_compare, "next-token": _apply_next_token, "tokenizer": _apply_tokenizer}
    apply[p.page](p, with_prompt)


def sync_room() -> str | None:
    """Bring this session in line with the room; the page file to open, when a new preset asks."""
    if not instructor_mode_enabled():
        return None
    snap: RoomSnapshot = room_snapshot()
    # A session that just arrived is taken to the room's demo too, except from the Classroom page
    # its URL asked for (where an instructor unlocks instructor mode): see ui.navigation.
    st.session_state[ARRIVED] = SEEN not in st.session_state
    st.session_state[SEEN] = snap.version
    goto = None
    if snap.call is not None and st.session_state.get(CALLED) != snap.call[0]:
        st.session_state[CALLED] = snap.call[0]
        if not is_instructor():
            goto = url_file(snap.call[1])
    p = snap.preset
    if p is None or is_instructor():
        if p is not None:
            st.session_state[APPLIED] = p.id  # the instructor published it: nothing to apply
        return goto
    if st.session_state.get(APPLIED) != p.id:
        # Applied again on every run until one run completes (confirm_room): a run interrupted
        # before it drew the widgets leaves the browser with the old values, and the next rerun
        # would bring them back over the preset's.
        apply_preset(p)
        first = st.session_state.get(PENDING) != p.id
        st.session_state[PENDING] = p.id
        if first:
            st.toast(tr("room.preset_received", title=p.title or p.prompt[:60]), icon=":material/campaign:")
            return PAGE_FILES.get(p.page) or goto
        return goto
    if snap.locked:
        apply_preset(p, with_prompt=False)  # locked: models and parameters stay the instructor's
    return goto


def confirm_room() -> None:
    """The run completed: the browser now shows the preset this session applied (app.py, last)."""
    pending = st.session_state.pop(PENDING, None)
    if pending is not None:
        st.session_state[APPLIED] = pending


@st.fragment(run_every=POLL_S)
def _watch() -> None:
    if not is_instructor():
        room().heartbeat(session_id(), st.session_state.get(APPLIED))
    if room_snapshot().version != st.session_state.get(SEEN):
        st.rerun(scope="app")


def room_watch() -> None:
    """Poll the room from the sidebar (only where instructor mode is on)."""
    if instructor_mode_enabled():
        with st.sidebar:
            _watch()
