"""The room poll on the Next-token page: the instructor opens a round, every attendee draws
with their own seed, the presenter watches the room's histogram fill beside the model's
exact distribution.

Attendees see the box only while a round is open (opening and closing bump the room's
version, so `ui.room_sync` reruns their page within a couple of seconds); inside it a small
fragment refreshes the room's count every POLL_S seconds and a press reruns only that
fragment. The instructor's live panel is a fragment refreshing every LIVE_S seconds. All the
bookkeeping is in `playground.room_poll`.
"""

from __future__ import annotations

import secrets

import streamlit as st

from playground.explorer import next_token_distribution
from playground.i18n import catalogue
from playground.room_poll import (
    MAX_ANSWER_TOKENS,
    MAX_DRAWS,
    SEED_MAX,
    PollError,
    PollRound,
    RoomPolls,
    Tally,
    export_csv,
    export_json,
    generate_answer,
    number,
    percent,
    room_polls,
)
from playground.room_poll_charts import answers_figure, poll_figure
from playground.token_html import esc, visible
from providers.base import ProviderError
from providers.sampling import SamplingParams
from ui.common import lang, registry, server_registry, session_id, tr
from ui.instructor import instructor_mode_enabled, is_instructor, presenter_on, room, room_snapshot

LIVE_S = 1.5
POLL_S = 2.0
SEED = "poll_seed"
KIND = "poll_kind"
SOURCE = "poll_source"
MAX_TOKENS = "poll_max_tokens"
SHOWN = "_poll_shown"  # the round whose results the instructor keeps on screen once closed
MESSAGE = "_poll_message"
NOTICED = "_poll_noticed"  # the last round this attendee was told about


def _compute(rnd: PollRound):
    # the server's registry: the first draw after a restart may come from any session
    return next_token_distribution(server_registry(), rnd.model, rnd.prompt, rnd.chat)


def polls() -> RoomPolls:
    """The room's polls (in the room's SQLite file, or in memory when it has none)."""
    return room_polls(room().store, _compute)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, PollError):
        return tr(f"poll.err.{exc.code}", **exc.params)
    if isinstance(exc, ProviderError) and exc.code and f"error.{exc.code}" in catalogue():
        try:
            return tr(f"error.{exc.code}", **exc.params)
        except (KeyError, IndexError, ValueError):
            pass
    return getattr(exc, "message", None) or str(exc)


def _settings_text(rnd: PollRound) -> str:
    return _settings(rnd.model, rnd.params, rnd.kind, rnd.max_tokens)


def _settings(model: str, p: SamplingParams, kind: str, max_tokens: int) -> str:
    lg = lang()
    filters = ""
    if p.top_k:
        filters += f" · top-k {p.top_k}"
    if p.top_p < 1.0:
        filters += f" · top-p {number(p.top_p, lg, 2)}"
    if p.min_p > 0.0:
        filters += f" · min-p {number(p.min_p, lg, 2)}"
    if kind == "answer":
        filters += f" · ≤ {max_tokens} tokens"
    return tr("poll.settings", model=model, t=number(p.temperature, lg, 2), filters=filters)


def _prompt_html(rnd: PollRound) -> str:
    return (f'<div class="pg-output" style="white-space:pre-wrap;overflow-wrap:anywhere;font-family:monospace;'
            f'border-left:3px solid #2563eb;padding-left:.6em">{esc(rnd.prompt)}</div>')


# ---------------------------------------------------------------- attendees
def _draw(rnd: PollRound) -> None:
    p, me = polls(), session_id()
    base = int(st.session_state.get(SEED, 0))
    seed = (base + len(p.draws(rnd.id, me))) % SEED_MAX  # seed, seed + 1, …: "same seed, same token"
    try:
        if rnd.kind == "token":
            p.draw_token(rnd.id, me, seed)
        else:
            p.check_quota(rnd.id, me)
            with st.spinner(tr("poll.generating")):
                answer = generate_answer(server_registry(), rnd, seed)
            p.record_answer(rnd.id, me, answer, seed)
    except (PollError, ProviderError) as exc:
        st.session_state[MESSAGE] = _error_text(exc)


def _my_draws_html(rnd: PollRound) -> str:
    items = []
    for d in polls().draws(rnd.id, session_id()):
        shown = repr(visible(d.value)) if rnd.kind == "token" else (d.value.strip() or tr("poll.empty_answer"))
        token = "" if d.token is None else str(d.token)
        items.append(f'<li data-poll-token="{token}" data-poll-value="{esc(d.value)}" data-poll-seed="{d.seed}">'
                     f'{esc(tr("poll.draw_line", seq=d.seq, seed=d.seed, value=shown))}</li>')
    return f'<ol data-testid="poll-my-draws" style="margin:0">{"".join(items)}</ol>'


@st.fragment(run_every=POLL_S)
def _attendee_live(round_id: str) -> None:
    p = polls()
    rnd = p.round(round_id)
    if rnd is None:
        return
    with st.container(border=True, key="poll_attendee"):
        st.subheader(tr("poll.title"))
        if not rnd.open:
            st.info(tr("poll.err.closed"))
            return
        st.caption(tr("poll.attendee_intro" if rnd.kind == "token" else "poll.attendee_intro_answer"))
        st.markdown(_prompt_html(rnd), unsafe_allow_html=True)
        st.caption(_settings_text(rnd))
        c1, c2 = st.columns([1, 2])
        st.session_state.setdefault(SEED, secrets.randbelow(1_000_000))
        c1.number_input(tr("poll.seed"), 0, SEED_MAX - 1, key=SEED, step=1, help=tr("poll.seed_help"))
        label = tr("poll.draw") if rnd.kind == "token" else tr("poll.generate")
        mine = len(p.draws(rnd.id, session_id()))
        with c2:
            st.write("")
            if st.button(label, key="poll_draw", type="primary", icon=":material/casino:",
                         disabled=mine >= MAX_DRAWS[rnd.kind]):
                _draw(rnd)
        msg = st.session_state.pop(MESSAGE, None)
        if msg:
            st.warning(msg)
        t = p.tally(rnd.id)
        mine = len(p.draws(rnd.id, session_id()))
        if mine:
            st.markdown(f"**{tr('poll.your_draws' if rnd.kind == 'token' else 'poll.your_answers')}**")
            st.markdown(_my_draws_html(rnd), unsafe_allow_html=True)
        st.caption(tr("poll.room_count", n=number(t.n, lang(), 0), a=number(t.attendees, lang(), 0)) + " "
                   + tr("poll.left", n=MAX_DRAWS[rnd.kind] - mine))


# ---------------------------------------------------------------- the instructor
def _round_settings(model_id: str, chat: bool, prompt: str, params: SamplingParams) -> tuple[str, str, bool, SamplingParams]:
    if st.session_state.get(SOURCE) == "preset":
        pre = room_snapshot().preset
        if pre is not None:
            known = {k: pre.params[k] for k in ("temperature", "top_k", "top_p", "min_p") if k in pre.params}
            return pre.models[0], pre.prompt, False, SamplingParams(**known)
    return model_id, prompt, chat, params


def _open(model_id: str, chat: bool, prompt: str, params: SamplingParams) -> None:
    kind = st.session_state.get(KIND, "token")
    model_id, prompt, chat, params = _round_settings(model_id, chat, prompt, params)
    try:
        dist = None
        if kind == "token":
            if not prompt.strip():
                raise PollError("empty_prompt", "empty prompt")
            with st.spinner(tr("nt.computing")):
                dist = next_token_distribution(registry(), model_id, prompt, chat)
        rnd = polls().open_round(kind, model_id, prompt, chat, params,
                                 int(st.session_state.get(MAX_TOKENS, 8)), dist=dist)
    except (PollError, ProviderError) as exc:
        st.error(tr("poll.open_failed", error=_error_text(exc)))
        return
    st.session_state[SHOWN] = rnd.id
    room().touch()  # attendees' pages rerun and show the round
    st.toast(tr("poll.opened"), icon=":material/casino:")


def _close(round_id: str) -> None:
    polls().close_round(round_id)
    st.session_state[SHOWN] = round_id
    room().touch()
    st.toast(tr("poll.closed_toast"))


def _controls(model_id: str, chat: bool, prompt: str, params: SamplingParams, current: PollRound | None) -> None:
    st.caption(tr("poll.instructor_help"))
    if current is not None:
        st.button(tr("poll.close"), key="poll_close", on_click=_close, args=(current.id,), icon=":material/stop_circle:")
        return
    c1, c2, c3 = st.columns([2, 2, 1])
    c1.radio(tr("poll.kind"), ["token", "answer"], key=KIND, format_func=lambda k: tr(f"poll.kind.{k}"))
    pre = room_snapshot().preset
    sources = ["page", "preset"] if pre is not None and pre.page == "next-token" else ["page"]
    if st.session_state.get(SOURCE) not in sources:
        st.session_state[SOURCE] = "page"
    c2.radio(tr("poll.source"), sources, key=SOURCE, format_func=lambda s: tr(f"poll.source.{s}"))
    kind = st.session_state.get(KIND, "token")
    if kind == "answer":
        c3.number_input(tr("poll.max_tokens"), 1, MAX_ANSWER_TOKENS, 8, key=MAX_TOKENS)
    m, _, _, p = _round_settings(model_id, chat, prompt, params)
    st.caption(tr("poll.will_use", settings=_settings(m, p, kind, int(st.session_state.get(MAX_TOKENS, 8)))))
    if st.button(tr("poll.open"), key="poll_open", type="primary", icon=":material/play_circle:"):
        _open(model_id, chat, prompt, params)
        if st.session_state.get(SHOWN) and polls().current() is not None:
            st.rerun()


def _tally_html(t: Tally) -> str:
    lg = lang()
    if t.round.kind == "token":
        head = (f"<tr><th>{esc(tr('poll.token'))}</th><th>{esc(tr('poll.count'))}</th>"
                f"<th>{esc(tr('poll.freq'))}</th><th>{esc(tr('poll.prob'))}</th></tr>")
        rows = [f'<tr data-poll-token="{r.token}" data-poll-count="{r.count}"><td><code>{esc(repr(visible(r.key)))}</code></td>'
                f"<td>{r.count}</td><td>{esc(percent(r.freq, lg))}</td>"
                f"<td>{esc(percent(r.prob, lg) if r.prob is not None else tr('poll.none'))}</td></tr>" for r in t.rows]
        if t.other_count or (t.other_prob or 0) > 1e-4:
            rows.append(f'<tr data-poll-other="1" data-poll-count="{t.other_count}"><td>{esc(tr("poll.other"))}</td>'
                        f"<td>{t.other_count}</td><td>{esc(percent(t.other_count / t.n if t.n else 0.0, lg))}</td>"
                        f"<td>{esc(percent(t.other_prob, lg) if t.other_prob is not None else tr('poll.none'))}</td></tr>")
    else:
        head = f"<tr><th>{esc(tr('poll.answer'))}</th><th>{esc(tr('poll.count'))}</th></tr>"
        rows = [f'<tr data-poll-answer="{esc(r.key)}" data-poll-count="{r.count}"><td>{esc(r.key) or esc(tr("poll.empty_answer"))}</td>'
                f"<td>{r.count}</td></tr>" for r in t.rows[:15]]
    return (f'<table data-testid="poll-tally" data-poll-round="{t.round.id}" data-poll-n="{t.n}" '
            f'style="width:100%;font-size:.85em;table-layout:auto">{head}{"".join(rows)}</table>')


def _panel(round_id: str) -> None:
    p = polls()
    t = p.tally(round_id)
    if t is None:
        return
    big, lg = presenter_on(), lang()
    rnd = t.round
    state = tr("poll.status_open") if rnd.open else tr("poll.status_closed")
    st.markdown(f"**{esc(tr('poll.title'))} — {esc(state)}** · {esc(_settings_text(rnd))}")
    st.markdown(_prompt_html(rnd), unsafe_allow_html=True)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(tr("poll.n") if rnd.kind == "token" else tr("poll.n_answers"), number(t.n, lg, 0))
    m2.metric(tr("poll.attendees"), number(t.attendees, lg, 0))
    if rnd.kind == "token":
        m3.metric(tr("poll.tv"), percent(t.tv, lg) if t.tv is not None else tr("poll.none"), help=tr("poll.tv_help"))
        chi = (tr("poll.chi2_value", chi2=number(t.chi2, lg, 1), dof=t.dof) if t.chi2 is not None else tr("poll.none"))
        m4.metric(tr("poll.chi2"), chi, help=tr("poll.chi2_help"))
        if not t.exact:
            st.caption(tr("poll.approx"))
        if big:  # the projector: the chart across the screen, the counts folded under it
            st.plotly_chart(poll_figure(t, lg, big), width="stretch", key=f"poll_chart_{rnd.id}")
            with st.expander(tr("poll.counts")):
                st.markdown(_tally_html(t), unsafe_allow_html=True)
        else:
            left, right = st.columns([3, 2])
            left.plotly_chart(poll_figure(t, lg, big), width="stretch", key=f"poll_chart_{rnd.id}")
            right.markdown(_tally_html(t), unsafe_allow_html=True)
    else:
        left, right = st.columns([1, 1])
        with left:
            st.markdown(f"**{esc(tr('poll.first_words'))}**")
            st.plotly_chart(answers_figure(t, lg, big), width="stretch", key=f"poll_words_{rnd.id}")
        with right:
            st.markdown(f"**{esc(tr('poll.top_answers'))}**")
            st.markdown(_tally_html(t), unsafe_allow_html=True)
    if rnd.open:  # exports once the round is closed (not rebuilt on every refresh)
        return
    e1, e2, _ = st.columns([1, 1, 3])
    e1.download_button(tr("poll.export_csv"), export_csv(t), file_name=f"room-poll-{rnd.id}.csv", mime="text/csv",
                       key=f"poll_csv_{rnd.id}", icon=":material/download:")
    e2.download_button(tr("poll.export_json"), export_json(t, p.draws(rnd.id)), file_name=f"room-poll-{rnd.id}.json",
                       mime="application/json", key=f"poll_json_{rnd.id}", icon=":material/download:")


@st.fragment(run_every=LIVE_S)
def _live_panel(round_id: str) -> None:
    _panel(round_id)


def _instructor(model_id: str, chat: bool, prompt: str, params: SamplingParams) -> None:
    p = polls()
    current = p.current()
    shown = current.id if current is not None else st.session_state.get(SHOWN)
    with st.expander(tr("poll.title"), expanded=current is not None, icon=":material/casino:"):
        if not p.persistent:
            st.caption(tr("poll.memory_only"))
        _controls(model_id, chat, prompt, params, current)
    if shown and p.round(shown) is not None:
        with st.container(border=True, key="poll_presenter"):
            if current is not None and current.id == shown:
                _live_panel(shown)
            else:
                _panel(shown)


def poll_notice() -> None:
    """Tell an attendee, on whatever page, that a round has opened (once per round)."""
    if not instructor_mode_enabled() or is_instructor():
        return
    current = polls().current()
    if current is not None and st.session_state.get(NOTICED) != current.id:
        st.session_state[NOTICED] = current.id
        st.toast(tr("poll.notice"), icon=":material/casino:")


def room_poll_section(model_id: str, chat: bool, prompt: str, params: SamplingParams) -> None:
    """The Next-token page's room poll: the instructor's controls and live results, or, for an
    attendee, the draw box while a round is open. Nothing without instructor mode."""
    if not instructor_mode_enabled():
        return
    if is_instructor():
        _instructor(model_id, chat, prompt, params)
        return
    current = polls().current()
    if current is not None:
        _attendee_live(current.id)
