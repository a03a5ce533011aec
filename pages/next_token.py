"""Next-token page: the distribution of the next token (bars + "camembert"), reshaped live in the
browser by temperature / top-k / top-p / min-p (ui/live_explorer.py: no model call, no rerun while
a slider moves), entropy vs T, step-through generation (most likely, sample, pick; undo, branch)
and a token heatmap."""

from __future__ import annotations

import html

import numpy as np
import streamlit as st

from playground.course_presets import BASE, course_preset
from playground.explorer import (
    Trail,
    choose,
    entropy_curve,
    next_token_distribution,
    step_from,
    view,
)
from playground.explorer_charts import entropy_figure
from playground.explorer_live import Settings, live_payload, pick_from_value, settings_from_value
from playground.request import build_request
from playground.runner import run_stream
from playground.token_html import trail_html
from providers.base import ProviderError
from providers.sampling import SamplingParams
from ui.common import lang, registry, tr, trn
from ui.course_picker import course_picker
from ui.heatmap import render_heatmap
from ui.instructor import params_locked, presenter_on
from ui.live_explorer import live_explorer
from ui.room_poll import room_poll_section
from ui.room_publish import publish_button
from ui.room_sync import NT_LIVE_SUPERSEDED
from ui.shell import ensure_app
from ui.widgets import available_models, bounded_int_input, capabilities_or_error, model_details, model_picker

STATE = "nt_state"
LIVE = "nt_live"  # the live chart's value: {"settings": {...}, "pick": {...}} (the settings' source of truth)
DIGITS = "123456789"


def _state() -> dict:
    if STATE not in st.session_state:
        st.session_state[STATE] = {"src": None, "trail": Trail(), "dist": None, "dist_for": None, "curve": None,
                                   "rng": np.random.default_rng(), "gen": None}
    return st.session_state[STATE]


def _settings() -> Settings:
    """What the live chart last sent (read directly, so a button's callback sees it too);
    before it sent anything, the nt_* keys or the defaults."""
    ss = st.session_state
    fallback = Settings(float(ss.get("nt_temperature", 1.0)), int(ss.get("nt_top_k", 0)), float(ss.get("nt_top_p", 1.0)),
                        float(ss.get("nt_min_p", 0.0)), int(ss.get("nt_show", 10)))
    if params_locked():  # the room's preset decides (ui.room_sync sets the nt_* keys every run)
        return fallback
    if NT_LIVE_SUPERSEDED in ss and ss.get(LIVE) == ss[NT_LIVE_SUPERSEDED]:
        return fallback  # a demo set the nt_* keys since the chart last sent: the browser's copy is stale
    return settings_from_value(ss.get(LIVE), fallback)


def _params() -> SamplingParams:
    return _settings().params


# ---- button callbacks: they run before the script, on the distribution the person was looking at
def _append(how: str, index: int | None = None) -> None:
    s = _state()
    dist = s["dist"]
    if dist is None:
        return
    params = _params()
    if index is None:
        index = choose(dist, params, how, s["rng"])
    s["trail"] = s["trail"].append(step_from(dist, index, params, how))


def _live_changed() -> None:
    """The live chart sent its settings, and maybe a click on a bar: append that candidate once."""
    s = _state()
    if s.get("payload") is None:
        return
    pick = pick_from_value(st.session_state.get(LIVE), s.get("picks", 0), s["payload"].meta["n"])
    if pick is not None:
        s["picks"] = pick[1]
        _append("pick", int(s["payload"].order[pick[0]]))


def _undo() -> None:
    s = _state()
    s["trail"] = s["trail"].undo()


def _branch() -> None:
    s = _state()
    s["trail"] = s["trail"].branch(int(st.session_state.get("nt_branch_at", 0)))


def _restore(i: int) -> None:
    s = _state()
    s["trail"] = s["trail"].restore(i)


def _reset() -> None:
    s = _state()
    s["trail"] = Trail()


def _model_section(all_models) -> tuple[str, object, str, str] | None:
    """Model, mode (raw / chat) and prompt; None when no usable model is chosen."""
    c1, c2 = st.columns([2, 1])
    ids = [m.id for m in all_models]
    with c1:  # the base model by default: it continues the text, as the course's camembert shows
        model_id = model_picker(all_models, key="nt_model", default_index=ids.index(BASE) if BASE in ids else 0)
    if model_id is None:
        return None
    caps = capabilities_or_error(model_id)
    if caps is None:
        return None
    with c1:
        model_details(caps)
    with c2:
        modes = ["raw", "chat"] if caps.mode == "chat" else ["raw"]
        if st.session_state.get("nt_mode") not in modes:
            st.session_state["nt_mode"] = "raw"
        labels = {"raw": tr("nt.mode_raw"), "chat": tr("nt.mode_chat")}  # read now, in this run's language
        mode = st.radio(tr("nt.mode"), modes, key="nt_mode", horizontal=True, format_func=labels.__getitem__)
    prompt = st.text_area(tr("nt.prompt"), course_preset("souris", lang()).prompt, key="nt_prompt", height=80)
    return model_id, caps, mode, prompt


def _distribution(model_id: str, mode: str, prompt: str):
    """The next-token distribution for the prompt + trail, computed only when either changed."""
    s = _state()
    src = (model_id, mode, prompt)
    if s["src"] != src:
        s.update(src=src, trail=Trail(), dist=None, dist_for=None, gen=None)
    trail: Trail = s["trail"]
    want = (src, tuple((st_.index, st_.piece) for st_ in trail.steps))
    if s["dist_for"] != want:
        try:
            with st.spinner(tr("nt.computing")):
                dist = next_token_distribution(registry(), model_id, prompt, mode == "chat", trail)
        except ProviderError as exc:
            s.update(dist=None, dist_for=None)
            st.error(exc.message)
            if trail.steps:
                st.button(tr("nt.undo"), icon=":material/undo:", key="nt_undo_err", on_click=_undo)
            return None
        s.update(dist=dist, dist_for=want, curve=None, payload=live_payload(dist))
    return s["dist"]


def _charts_section(dist) -> None:
    """The distribution, reshaped in the browser as the sliders move: bars (click to pick), pie,
    cut tokens, entropies; then entropy against temperature (redrawn when a move ends)."""
    s = _state()
    if not dist.exact:
        st.info(tr("nt.approx", n=len(dist.logits), mass=100 * dist.returned_mass))
    else:
        st.caption(tr("nt.exact", vocab=dist.vocab_size, ctx=dist.context_tokens))
    live_explorer(s["payload"], _settings(), lang(), key=LIVE, picks_seen=s.get("picks", 0),
                  large=presenter_on(), locked=params_locked(), on_change=_live_changed)
    with st.expander(tr("nt.entropy_vs_t"), expanded=False):
        if s["curve"] is None:
            s["curve"] = entropy_curve(dist)
        v = view(dist, _params(), show=1)
        st.plotly_chart(entropy_figure(s["curve"], _params().temperature, v.entropy_t, v.entropy_final, lang()),
                        width="stretch", key="nt_entropy")
        st.caption(tr("nt.entropy_help"))


def _step_section(prompt: str, trail: Trail, v) -> None:
    """Step-through: the trail so far, most likely / sample / undo / reset, one button per candidate."""
    st.subheader(tr("nt.step_title"))
    st.markdown(trail_html(prompt, [(x.piece, x.prob) for x in trail.steps]), unsafe_allow_html=True)
    if trail.steps:
        st.caption(trn("nt.trail_caption", len(trail.steps), lp=trail.joint_logprob()))
    b1, b2, b3, b4 = st.columns(4)
    b1.button(tr("nt.most_likely"), icon=":material/skip_next:", key="nt_greedy", on_click=_append, args=("greedy",), shortcut="L",
              type="primary", width="stretch")
    b2.button(tr("nt.sample"), icon=":material/casino:", key="nt_sample", on_click=_append, args=("sample",), shortcut="S", width="stretch")
    b3.button(tr("nt.undo"), icon=":material/undo:", key="nt_undo", on_click=_undo, shortcut="U", disabled=not trail.steps, width="stretch")
    b4.button(tr("nt.reset"), icon=":material/restart_alt:", key="nt_reset", on_click=_reset, disabled=not trail.steps, width="stretch")
    st.caption(tr("nt.pick_caption"))
    per_row = 5
    cands = list(v.candidates)
    for row in range(0, len(cands), per_row):
        cols = st.columns(per_row)
        for j, c in enumerate(cands[row : row + per_row]):
            rank = row + j + 1
            shown = c.prob_final if c.kept else c.prob_t
            cols[j].button(
                tr("nt.pick_label", rank=rank, piece=repr(c.piece), p=100 * shown),
                key=f"nt_pick_{rank}",
                on_click=_append,
                args=("pick", c.index),
                shortcut=DIGITS[rank - 1] if rank <= len(DIGITS) else None,
                width="stretch",
                type="tertiary" if not c.kept else "secondary",
            )


def _branches_section(trail: Trail) -> None:
    """Branch from an earlier step, the trail's heatmap, and the branches kept."""
    if trail.steps:
        with st.expander(tr("nt.branch_title")):
            bc1, bc2 = st.columns([3, 1])
            bc1.selectbox(tr("nt.branch_at"), list(range(len(trail.steps))), key="nt_branch_at",
                          format_func=lambda i: tr("nt.branch_option", i=i, text=repr(trail.steps[i - 1].piece) if i else "—"))
            bc2.button(tr("nt.branch"), key="nt_branch", on_click=_branch, width="stretch")
        with st.expander(tr("nt.trail_heatmap")):
            render_heatmap([x.as_logprob() for x in trail.steps], key="nt_trail_hm")
    if trail.branches:
        with st.expander(tr("nt.branches", n=len(trail.branches))):
            for i, br in enumerate(trail.branches):
                c1, c2 = st.columns([5, 1])
                c1.markdown(trail_html("", [(x.piece, x.prob) for x in br]), unsafe_allow_html=True)
                c2.button(tr("nt.restore"), key=f"nt_restore_{i}", on_click=_restore, args=(i,))


def _generate_section(model_id: str, caps, mode: str, prompt: str, params: SamplingParams) -> None:
    """A whole answer with the current settings, as a heatmap."""
    s = _state()
    st.subheader(tr("nt.generate_title"))
    g1, g2, g3 = st.columns([1, 1, 2])
    n_tok = bounded_int_input(tr("param.max_tokens"), 1, 512, 40, key="nt_gen_tokens", where=g1)
    seed_txt = g2.text_input(tr("param.seed"), "42", key="nt_gen_seed")
    g3.write("")
    if g3.button(tr("nt.generate"), icon=":material/play_arrow:", key="nt_generate"):
        seed = int(seed_txt) if seed_txt.strip().lstrip("-").isdigit() else None
        k = min(10, caps.max_top_logprobs or 0) if "top_logprobs" in caps.params else 0
        req = build_request(model_id, prompt, mode == "chat", temperature=params.temperature, top_k=params.top_k,
                            top_p=params.top_p, min_p=params.min_p, max_tokens=n_tok, seed=seed, top_logprobs=k)
        with st.spinner(tr("nt.generating")):
            r = run_stream(lambda: registry().stream(req), model_id)
        s["gen"] = r
    r = s.get("gen")
    if r is not None:
        if r.error:
            st.error(r.error)
        st.markdown(trail_html(prompt, []), unsafe_allow_html=True)
        if r.logprobs:
            render_heatmap(r.logprobs, key="nt_gen_hm")
        else:
            st.write(r.text)
            st.caption(tr("hm.none"))


def page() -> None:
    ensure_app()
    presenting = presenter_on()  # the projector: the chart above the fold, the set-up folded away
    if not presenting:
        st.title(tr("nt.title"))
        st.caption(tr("nt.intro"))
    with st.expander(tr("nt.presenter_setup")) if presenting else st.container():
        course_picker("next-token")
        chosen = _model_section(available_models())
        if chosen is not None:
            publish_button("next-token")  # the instructor's only
    if chosen is None:
        return
    model_id, caps, mode, prompt = chosen
    if presenting:  # the text the room is looking at, large (as plain text: never Markdown)
        st.markdown(f'<div style="font-size:1.5rem;font-weight:600;margin:0.2rem 0 0.4rem">'
                    f'{html.escape(prompt[-200:]).replace(chr(10), "<br>")} …</div>', unsafe_allow_html=True)
    room_poll_section(model_id, mode == "chat", prompt, _params())  # the room samples together (instructor mode)
    dist = _distribution(model_id, mode, prompt)
    if dist is None:
        return
    trail: Trail = _state()["trail"]
    settings = _settings()
    params = settings.params
    _charts_section(dist)
    _step_section(prompt, trail, view(dist, params, show=settings.show))
    _branches_section(trail)
    _generate_section(model_id, caps, mode, prompt, params)


page()
