"""Compare page: 1–4 columns, each with its own model and parameters, streamed live."""

from __future__ import annotations

import html
import time

import streamlit as st

from playground.compare import ColumnDone, ColumnEvent, ColumnRun
from playground.conversation import follow_up_requests, missing_turns
from playground.request import build_request
from playground.runner import Result
from providers.base import GenerationRequest, Notice, fit_to_capabilities
from ui import compare_state as keys
from ui.backends import result_extras
from ui.common import browser_connected, lang, registry, session_id, tr
from ui.compare_state import STATE
from ui.course_picker import course_picker
from ui.heatmap import render_heatmap
from ui.history_hooks import compare_settled, compare_started, cost_caption, cut_short_as, export_buttons
from ui.instructor import params_locked
from ui.room_publish import publish_button
from ui.shell import ensure_app
from ui.structured_output import add_to, json_section, render_check, translated_notes
from ui.widgets import (
    available_models,
    capabilities_or_error,
    caption_html,
    error_text,
    metrics_html,
    model_details,
    model_label,
    model_picker,
    num,
    output_html,
    params_form,
    summary_chart,
    summary_frame,
)


def _turn_label(n: int, prompt: str) -> None:
    """'Turn n · what the person typed', escaped (it is not Markdown)."""
    st.markdown(f'<div class="pg-turn" style="opacity:.75;font-size:.9em;white-space:pre-wrap">'
                f'{html.escape(tr("conv.turn", n=n, prompt=prompt))}</div>', unsafe_allow_html=True)


def _render_answer(text: str) -> None:
    if st.session_state.get(keys.MARKDOWN):
        st.markdown(text)
    else:
        st.markdown(output_html(text), unsafe_allow_html=True)


def _render_past(slot, state: dict, i: int) -> None:
    """Column i's earlier turns of the conversation, each with its own answer (or error)."""
    turns = state.get("turns") or []
    with slot.container():
        if not turns:
            return
        req = state["requests"][i] if i < len(state["requests"]) else None
        if req is not None:
            st.markdown(f"**{req.model}**")
        for n, t in enumerate(turns, 1):
            _turn_label(n, t.prompt)
            r = t.results[i] if i < len(t.results) else None
            if r is not None and r.text:
                _render_answer(r.text)
            if r is not None and r.error:
                st.error(error_text(r))
        if missing := missing_turns(turns, i):
            st.caption(tr("conv.missing", turns=", ".join(map(str, missing))))
        _turn_label(len(turns) + 1, state.get("prompt") or "")


def _render_output(slot, text: str, error: str | None = None, note: str | None = None,
                   req: GenerationRequest | None = None, header: bool = True) -> None:
    with slot.container():
        if req is not None:
            if header:  # a conversation shows the model once, above its turns
                st.markdown(f"**{req.model}**")
            if not req.is_chat and req.prompt:
                # a base model continues the text: show where its continuation starts (escaped:
                # a prompt is text, not Markdown, and "# title" or "$x$" must read as typed)
                st.markdown(caption_html(tr("compare.continues", prompt=req.prompt[-160:])), unsafe_allow_html=True)
        if text:
            _render_answer(text)
        elif not error:
            st.caption(note or tr("compare.waiting"))
        if error:
            st.error(error)


def _render_result_extras(r: Result, req: GenerationRequest | None) -> None:
    render_check(r, req)  # JSON output: valid, or why not
    for n in translated_notes(r):
        st.caption(f":material/info: {n}")
    if r.server_timings:
        st.caption(tr("compare.server_timings") + " · " + " · ".join(f"{k} {num(v, 1)}" for k, v in r.server_timings.items()))
    result_extras(r)  # cost, serving provider, cold load, host (remote backends)
    with st.expander(tr("compare.request")):
        if r.request_payload:
            st.json(dict(r.request_payload), expanded=True)
        if r.rendered_prompt:
            st.caption(tr("compare.rendered") if req is None or req.is_chat else tr("compare.raw_prompt"))
            st.code(r.rendered_prompt, language=None, wrap_lines=True)
    if r.logprobs:
        with st.expander(tr("hm.expander")):
            render_heatmap(r.logprobs, key=f"{keys.HEATMAP}_{id(r)}", compact=True)  # the Result lives in session state: stable id


def _prompt_section() -> tuple[str, str, int, bool]:
    """Prompt, system prompt, number of columns, same parameters for all?"""
    prompt = st.text_area(tr("compare.prompt"), tr("compare.prompt_default"), key=keys.PROMPT, height=100)
    with st.expander(tr("compare.system")):
        system = st.text_area(tr("compare.system"), "", key=keys.SYSTEM, label_visibility="collapsed")
    c1, c2, c3 = st.columns([1, 1.6, 1.2])  # the toggles' labels are whole at 1280 px
    locked = params_locked()  # the instructor's preset decides models and parameters
    n_cols = int(c1.number_input(tr("compare.columns"), 1, keys.MAX_COLUMNS, 2, key=keys.N_COLUMNS, disabled=locked))
    same = c2.toggle(tr("compare.same_params"), value=False, key=keys.SAME_PARAMS, disabled=locked)
    c3.toggle(tr("output.markdown"), value=False, key=keys.MARKDOWN, help=tr("output.markdown_help"))
    return prompt, system, n_cols, same


def _columns_section(all_models, n_cols: int, same: bool) -> list[tuple[str | None, object, dict]]:
    """One model and its parameters per column: (model id, capabilities, parameters)."""
    shared_params = None
    if same:
        with st.expander(tr("compare.shared_params"), expanded=False):
            shared_params = params_form(keys.SHARED_PARAMS, None)
    picks: list[tuple[str | None, object, dict]] = []
    for i, col in enumerate(st.columns(n_cols)):
        with col:
            st.subheader(tr("compare.column", n=i + 1))
            mid = model_picker(all_models, key=keys.model_key(i), default_index=i)
            if mid is not None and n_cols >= 3:
                # a narrow picker cuts the name it shows: the whole name, wrapped, under it
                st.markdown(caption_html(model_label(next(m for m in all_models if m.id == mid)),
                                         cls="pg-model-name"), unsafe_allow_html=True)
            caps = capabilities_or_error(mid)
            if caps is not None:
                model_details(caps)
            if same:
                # honour what this backend accepts, even with shared values
                params = fit_to_capabilities(shared_params, caps) if caps is not None else dict(shared_params)
            else:
                with st.expander(tr("compare.params")):
                    params = params_form(keys.params_key(i), caps)
            picks.append((mid, caps, params))
    return picks


def _buttons_section() -> bool:
    """Run and Stop; True when Run was clicked. A live run interrupted by this rerun is stopped."""
    b1, b2, b3 = st.columns([1, 1, 4])
    run = b1.button(tr("compare.run"), icon=":material/play_arrow:", type="primary", key=keys.RUN, width="stretch")
    # Stop needs no handler: its click reruns the script, which interrupts the streaming
    # loop; the rerun then finds the run still marked running and stops the workers.
    b2.button(tr("compare.stop"), icon=":material/stop:", key=keys.STOP, width="stretch")
    with b3:
        publish_button("compare")  # the instructor's only
    state = st.session_state.get(STATE)
    # Any rerun while a run was live means its script loop was interrupted (Stop, or another
    # widget): cancel the workers so they free the models; what streamed so far is kept.
    if state and state.get("running"):
        compare_settled(state, "cancelled")
    return run


def _output_slots(n_cols: int) -> list[dict]:
    """One bordered box per column: streamed output, metrics, and what comes with a result."""
    slots = []
    for col in st.columns(n_cols):
        with col:
            with st.container(border=True):
                # extras in an st.empty: a new run clears the last run's timings at once
                slots.append({"past": st.empty(), "out": st.empty(), "metrics": st.empty(), "extras": st.empty()})
    return slots


def _run_section(picks, prompt: str, system: str, slots: list[dict], json_opts: dict | None = None) -> bool:
    """Start a run and stream it into the slots; False when the prompt is empty."""
    if not prompt.strip():
        st.error(tr("compare.empty_prompt"))
        return False
    requests = [build_request(mid, prompt, caps is None or caps.mode == "chat", system, **add_to(params, caps, json_opts or {}))
                for mid, caps, params in picks if mid is not None]
    state = keys.new_run_state(requests, running=True, prompt=prompt, system=system)
    st.session_state[STATE] = state
    _stream_into(slots, state)
    return True


def _queue_follow_up() -> None:
    """Send's callback: take the message out of the box (emptied for the next one)."""
    st.session_state[keys.FOLLOW_UP_PENDING] = st.session_state.get(keys.FOLLOW_UP) or ""
    st.session_state[keys.FOLLOW_UP] = ""


def _follow_up_run(slots: list[dict], message: str) -> None:
    """Continue every column's own conversation with `message`, streamed like a first run; a
    refused follow-up says why and leaves the conversation as it was."""
    state = st.session_state.get(STATE)
    if not state or state.get("running") or not any(r is not None for r in state.get("results") or []):
        st.error(tr("conv.no_conversation"))
        return
    if not message.strip():
        st.error(tr("conv.empty"))
        return
    turns = keys.turns_so_far(state)
    requests = follow_up_requests(turns, message, state.get("system") or None)
    new = keys.follow_up_state(state, turns, requests, message)
    st.session_state[STATE] = new
    _stream_into(slots, new)


def _follow_up_section() -> None:
    """After a run: a message that continues each column's conversation, and a new conversation."""
    state = st.session_state.get(STATE)
    if not state or state.get("running") or not any(r is not None for r in state.get("results") or []):
        return
    st.text_area(tr("conv.follow_up"), key=keys.FOLLOW_UP, height=70, placeholder=tr("conv.placeholder"))
    b1, b2, _ = st.columns([1.2, 1.4, 2.4])  # both labels whole at 1280 px (icons included)
    b1.button(tr("conv.send"), icon=":material/send:", key=keys.FOLLOW_UP_SEND, type="primary", on_click=_queue_follow_up,
              width="stretch")
    b2.button(tr("conv.new"), icon=":material/restart_alt:", key=keys.NEW_CONVERSATION, on_click=keys.new_conversation,
              width="stretch")
    st.caption(tr("conv.help"))
    if any(not q.is_chat for q in state["requests"]):
        st.caption(tr("conv.base_models"))


def _results_section(slots: list[dict]) -> None:
    """Every finished column, then the summary table, chart and exports."""
    state = st.session_state.get(STATE)
    if not state:
        return
    if state.get("stopped"):
        st.info(tr("compare.stopped"))
    results = [r for r in state["results"] if r is not None]
    shown = [q for q, r in zip(state["requests"], state["results"]) if r is not None]
    for i, r in enumerate(state["results"]):
        if r is None or i >= len(slots):
            continue
        _render_past(slots[i]["past"], state, i)
        _render_output(slots[i]["out"], r.text, error_text(r) if r.error else None, req=state["requests"][i],
                       header=not state.get("turns"))
        slots[i]["metrics"].markdown(metrics_html(r), unsafe_allow_html=True)
        with slots[i]["extras"].container():
            cost_caption(r)
            _render_result_extras(r, state["requests"][i])
    if results:
        st.subheader(tr("compare.summary"))
        st.dataframe(summary_frame(results, shown), hide_index=True, width="stretch")
        st.plotly_chart(summary_chart(results, shown), width="stretch", key=keys.CHART)
        export_buttons(state)  # JSON (replayable) / CSV / Markdown


def page() -> None:
    ensure_app()
    st.title(tr("compare.title"))
    st.caption(tr("compare.intro"))
    course_picker("compare")
    all_models = available_models()  # first: a backend that did not answer is said at the top
    prompt, system, n_cols, same = _prompt_section()
    picks = _columns_section(all_models, n_cols, same)
    json_opts, json_ok = json_section(picks)  # JSON output and its schema (an invalid schema is said here)
    run = _buttons_section()
    slots = _output_slots(n_cols)
    follow_up = st.session_state.pop(keys.FOLLOW_UP_PENDING, None)
    if run and not json_ok:
        run = False  # the schema box says what is wrong; nothing typed is lost
    if run and not _run_section(picks, prompt, system, slots, json_opts):
        return
    if not run and follow_up is not None:
        _follow_up_run(slots, follow_up)
    _follow_up_section()
    _results_section(slots)


def _stream_into(slots, state) -> None:
    """Drain the column workers on the script thread, refreshing at most ~8 times a second."""
    reqs = state["requests"]
    for i in range(min(len(reqs), len(slots))):
        _render_past(slots[i]["past"], state, i)
    texts = [""] * len(reqs)
    lives = [None] * len(reqs)
    notes: list[str | None] = [None] * len(reqs)
    dirty = set(range(len(reqs)))
    compare_started(state)
    run = ColumnRun(registry(), reqs, state["cancel"], session=session_id(), lang=lang()).start()
    state["run"] = run
    try:
        _drain(run, slots, state, texts, lives, notes, dirty)
    except BaseException as exc:
        # The script was interrupted (Stop, another widget, another page, a closed tab): the
        # workers must not keep the models busy for nobody, and the history row says now what
        # happened (a closed tab's session never reruns). What streamed is kept.
        compare_settled(state, cut_short_as(exc))
        raise
    # the loop ends when every column is done, or when the browser went away (the tab closed)
    compare_settled(state, "interrupted")


def _drain(run: ColumnRun, slots, state, texts, lives, notes, dirty) -> None:
    reqs = state["requests"]
    last_paint = last_check = 0.0
    for item in run.events():
        if time.monotonic() - last_check > 1.0:
            last_check = time.monotonic()
            if not browser_connected():  # the tab was closed: free the models for the others
                run.cancel.set()
                return
        if item is None:  # silence: the clocks still move (elapsed, estimated wait)
            dirty.update(i for i, r in enumerate(state["results"]) if r is None)
            lives = [run.live(i) for i in range(len(reqs))]
        elif isinstance(item, ColumnEvent):
            texts[item.index] = item.text
            lives[item.index] = item.live
            if isinstance(item.event, Notice) and item.event.code == "retry":
                notes[item.index] = item.event.message  # a 429/503 being retried: say so while waiting
            elif isinstance(item.event, Notice) and item.event.code == "started":
                notes[item.index] = None
            dirty.add(item.index)
        elif isinstance(item, ColumnDone):
            state["results"][item.index] = item.result
            dirty.discard(item.index)
            r = item.result
            if item.index < len(slots):
                _render_output(slots[item.index]["out"], r.text, error_text(r) if r.error else None, req=reqs[item.index],
                               header=not state.get("turns"))
                slots[item.index]["metrics"].markdown(metrics_html(r), unsafe_allow_html=True)
        now = time.monotonic()
        if dirty and now - last_paint > 0.12:
            for i in list(dirty):
                if i < len(slots) and state["results"][i] is None:
                    lv = lives[i]
                    note = notes[i]
                    if lv is not None and lv.loading:
                        note = tr("startup.loading_model", model=reqs[i].model)
                    if lv is not None and lv.queue_position is not None:
                        note = tr("compare.queued", n=lv.queue_position, wait=f"{lv.queue_wait_s or 0:.0f} s")
                    _render_output(slots[i]["out"], texts[i], None, note, req=reqs[i], header=not state.get("turns"))
                    slots[i]["metrics"].markdown(metrics_html(live=lv), unsafe_allow_html=True)
            dirty.clear()
            last_paint = now


page()
