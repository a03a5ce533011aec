"""The Blind vote page's views: attendees vote on two anonymous answers; the instructor opens
rounds, watches the tally live, reveals, ranks and exports.

Anonymity is kept by construction: everything an attendee's page draws comes from
`Round.public()`, which carries no model id before the reveal, and no element key or label
is built from a model id (keys use the round's random id and the side, "a" / "b").
Attendees poll the board in a fragment (every POLL_S s); the instructor's live tally reruns
every LIVE_S s and asks for a full rerun only when a round opens, fills or is revealed (so
the ranking and exports below it follow).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from playground.blind_vote import CHOICES, BlindVote, Tally, VoteError, board_of, format_number
from ui.common import lang, models, registry, session_id, tr
from ui.instructor import presenter_on, room
from ui.widgets import available_models, model_picker, output_html

POLL_S = 2.0
LIVE_S = 1.5
MSG = "_bv_msg"  # (round id, message) after a refused vote
SEEN = "_bv_seen"  # what the instructor's last full run showed: (round id, status)


def board() -> BlindVote:
    return board_of(room())


def _label(model_id: str) -> str:
    """A model's display label (only ever called for revealed rounds or the instructor)."""
    try:
        by_id = {m.id: m for m in models()[0]}
    except Exception:  # the label is a nicety: the id is the truth
        by_id = {}
    m = by_id.get(model_id)
    return f"{m.label} ({model_id})" if m is not None and m.label else model_id


def _err(exc: VoteError) -> str:
    return tr(exc.code, **exc.params)


def _answers(pub: dict) -> None:
    """Answers A and B side by side; after the reveal, who wrote each."""
    cols = st.columns(2, gap="large")
    for col, side in zip(cols, ("a", "b")):
        with col, st.container(border=True):
            st.subheader(tr(f"bv.answer_{side}"))
            text = pub[f"answer_{side}"]
            st.markdown(output_html(text) if text else tr("bv.empty_answer"), unsafe_allow_html=True)
            if pub.get(f"model_{side}"):  # present only once revealed (Round.public)
                st.markdown(tr("bv.was", model=_label(pub[f"model_{side}"])))


def _share(n: int, total: int) -> str:
    p = format_number(100.0 * n / total, lang()) if total else "0"
    return tr("bv.share", n=n, p=p)


def _tally_metrics(t: Tally) -> None:
    cols = st.columns(4)
    for col, choice in zip(cols, CHOICES):
        col.metric(tr(f"bv.choice.{choice}"), _share(t.count(choice), t.total))
    st.caption(tr("bv.votes_total", n=t.total))


def _tally_chart(t: Tally) -> go.Figure:
    big = presenter_on()
    labels = [tr(f"bv.choice.{c}") for c in CHOICES]
    fig = go.Figure(go.Bar(x=labels, y=[t.count(c) for c in CHOICES], text=[t.count(c) for c in CHOICES],
                           textposition="auto", marker_color=["#1565c0", "#ef6c00", "#6d6d6d", "#b71c1c"]))
    fig.update_layout(height=360 if big else 260, margin=dict(l=10, r=10, t=10, b=10),
                      font=dict(size=22 if big else 13), yaxis=dict(rangemode="tozero", dtick=1 if t.total < 10 else None))
    return fig


# ---------------------------------------------------------------- attendees


def _cast(round_id: str, choice: str) -> None:
    try:
        board().vote(round_id, session_id(), choice)
        st.session_state.pop(MSG, None)
    except VoteError as exc:
        st.session_state[MSG] = (round_id, _err(exc))


def _vote_buttons(pub: dict) -> None:
    mine = board().vote_of(pub["id"], session_id())
    if pub["status"] == "open":
        if mine is None:
            st.markdown(f"**{tr('bv.your_verdict')}**")
        cols = st.columns(4)
        for col, choice in zip(cols, CHOICES):
            col.button(tr(f"bv.choice.{choice}"), key=f"bv_vote_{pub['id']}_{choice}", on_click=_cast,
                       args=(pub["id"], choice), disabled=mine is not None, width="stretch",
                       type="primary" if mine == choice else "secondary")
    if mine is not None:
        st.success(tr("bv.your_vote", choice=tr(f"bv.choice.{mine}")), icon=":material/how_to_vote:")
    msg = st.session_state.get(MSG)
    if msg and msg[0] == pub["id"]:
        st.warning(msg[1])


@st.fragment(run_every=POLL_S)
def _attendee_live() -> None:
    r = board().current()
    if r is None:
        st.info(tr("bv.no_round"))
        return
    pub = r.public()  # from here on, only what an attendee may see
    st.subheader(tr("bv.round", n=pub["number"]))
    st.code(pub["prompt"], language=None, wrap_lines=True)
    if pub["status"] == "generating":
        st.info(tr("bv.generating"), icon=":material/hourglass_top:")
        return
    if pub["status"] == "failed":
        st.warning(tr("bv.failed_public"))
        return
    _answers(pub)
    _vote_buttons(pub)
    if pub["status"] == "revealed":
        st.subheader(tr("bv.results"))
        _tally_metrics(board().tally(pub["id"]))
    else:
        st.caption(tr("bv.hidden"))


def attendee_view(instructor_mode: bool) -> None:
    if not instructor_mode:
        st.info(tr("bv.no_instructor"))
    _attendee_live()


# ---------------------------------------------------------------- the instructor


def _open_form() -> None:
    b = board()
    current = b.current()
    busy = current is not None and current.status in ("generating", "open")
    title = tr("bv.next_title") if current is not None else tr("bv.open_title")
    with st.expander(title, expanded=not busy, icon=":material/add_circle:"):
        all_models = available_models()
        with st.form("bv_open_form"):
            prompt = st.text_area(tr("bv.prompt"), tr("bv.prompt_default"), key="bv_prompt", height=90)
            c1, c2 = st.columns(2)
            with c1:
                m1 = model_picker(all_models, "bv_model_1", tr("bv.model_1"), 0)
            with c2:
                m2 = model_picker(all_models, "bv_model_2", tr("bv.model_2"), 1)
            c1, c2, c3 = st.columns(3)
            temperature = c1.slider(tr("param.temperature"), 0.0, 2.0, 0.7, 0.05, key="bv_temperature")
            max_tokens = c2.number_input(tr("param.max_tokens"), 1, 4096, 160, key="bv_max_tokens")
            seed = c3.number_input(tr("param.seed"), 0, 2**31 - 1, 42, key="bv_seed")
            st.caption(tr("bv.sides_note"))
            number = (current.number if current is not None else 0) + 1
            if st.form_submit_button(tr("bv.open", n=number), type="primary", icon=":material/how_to_vote:"):
                try:
                    r, _ = b.start(prompt, (m1 or "", m2 or ""), registry(),
                                   {"temperature": float(temperature), "max_tokens": int(max_tokens), "seed": int(seed)})
                    room().call_to("vote")  # every attendee's page opens the vote
                    st.toast(tr("bv.opened", n=r.number), icon=":material/how_to_vote:")
                except VoteError as exc:
                    st.error(_err(exc))


def _reveal(round_id: str) -> None:
    try:
        board().reveal(round_id)
        st.toast(tr("bv.revealed"), icon=":material/visibility:")
    except VoteError as exc:
        st.session_state[MSG] = (round_id, _err(exc))


@st.fragment(run_every=LIVE_S)
def _instructor_live() -> None:
    b = board()
    r = b.current()
    if st.session_state.get(SEEN) != _state(r):  # the ranking and the form below follow a change
        st.rerun(scope="app")
    if r is None:
        st.info(tr("bv.no_round"))
        return
    pub = r.public()  # the projector shows what the room sees
    st.subheader(f"{tr('bv.round', n=r.number)} · {tr(f'bv.status.{r.status}')}")
    st.code(r.prompt, language=None, wrap_lines=True)
    if r.status == "generating":
        st.info(tr("bv.generating"), icon=":material/hourglass_top:")
        return
    if r.status == "failed":
        st.error(tr("bv.failed", error=r.error))  # may name a model: the instructor's page only
        return
    _answers(pub)
    t = b.tally(r.id)
    st.subheader(tr("bv.live") if r.status == "open" else tr("bv.results"))
    _tally_metrics(t)
    st.plotly_chart(_tally_chart(t), key="bv_tally_chart", config={"displayModeBar": False})
    if r.status == "open":
        st.button(tr("bv.reveal"), key=f"bv_reveal_{r.id}", on_click=_reveal, args=(r.id,), type="primary",
                  icon=":material/visibility:")
    msg = st.session_state.get(MSG)
    if msg and msg[0] == r.id:
        st.warning(msg[1])


def _ranking_chart(rows) -> go.Figure:
    big = presenter_on()
    rows = list(rows)[::-1]  # best on top
    fig = go.Figure(go.Scatter(
        x=[r.score for r in rows], y=[_label(r.model) for r in rows], mode="markers",
        marker=dict(size=16 if big else 11, color="#1565c0"),
        error_x=dict(type="data", symmetric=False, array=[r.ci_high - r.score for r in rows],
                     arrayminus=[r.score - r.ci_low for r in rows], thickness=3 if big else 2, width=8)))
    fig.add_vline(x=1000, line_dash="dot", line_color="#9e9e9e")
    fig.update_layout(height=(110 if big else 80) + (70 if big else 45) * len(rows), margin=dict(l=10, r=10, t=10, b=10),
                      font=dict(size=22 if big else 13), xaxis_title=tr("bv.col.score"))
    return fig


def _ranking_section() -> None:
    b = board()
    ranking = b.ranking()
    st.subheader(tr("bv.ranking"))
    st.caption(tr("bv.ranking_help"))
    if not ranking.rows:
        st.info(tr("bv.no_ranking"))
    else:
        L = lang()
        frame = pd.DataFrame([{
            tr("bv.col.model"): _label(r.model),
            tr("bv.col.score"): format_number(r.score, L),
            tr("bv.col.ci"): f"{format_number(r.ci_low, L)} – {format_number(r.ci_high, L)}",
            tr("bv.col.elo"): format_number(r.elo, L),
            tr("bv.col.wins"): format_number(r.wins, L, 1),
            tr("bv.col.comparisons"): r.comparisons,
            tr("bv.col.both_bad"): r.both_bad,
        } for r in ranking.rows])
        st.dataframe(frame, hide_index=True, width="stretch")
        st.plotly_chart(_ranking_chart(ranking.rows), key="bv_ranking_chart", config={"displayModeBar": False})
        st.caption(tr("bv.ranking_votes", votes=ranking.votes, both_bad=ranking.both_bad, n_boot=ranking.n_boot))
        pairs = b.pair_tallies()
        if pairs and not presenter_on():
            st.markdown(f"**{tr('bv.pairs')}**")
            st.dataframe(pd.DataFrame([{
                tr("bv.col.model_1"): _label(p.model_1), tr("bv.col.model_2"): _label(p.model_2),
                tr("bv.col.wins_1"): p.wins_1, tr("bv.col.wins_2"): p.wins_2, tr("bv.col.ties"): p.ties,
                tr("bv.col.both_bad"): p.both_bad, tr("bv.col.rounds"): p.rounds} for p in pairs]),
                hide_index=True, width="stretch")
    if b.rounds():
        c1, c2, c3 = st.columns(3)
        # the files are built when clicked (on Streamlit's thread), so they hold the votes of that moment
        c1.download_button(tr("bv.export_json"), b.export_json, "blind-vote.json", "application/json",
                           key="bv_export_json", on_click="ignore", icon=":material/download:")
        c2.download_button(tr("bv.export_rounds"), b.export_rounds_csv, "blind-vote-rounds.csv", "text/csv",
                           key="bv_export_rounds", on_click="ignore", icon=":material/download:")
        c3.download_button(tr("bv.export_ranking"), b.export_ranking_csv, "blind-vote-ranking.csv", "text/csv",
                           key="bv_export_ranking", on_click="ignore", icon=":material/download:")


def _state(r) -> tuple[str, str] | None:
    return None if r is None else (r.id, r.status)


def instructor_view() -> None:
    st.session_state[SEEN] = _state(board().current())
    _open_form()
    _instructor_live()
    st.divider()
    _ranking_section()
