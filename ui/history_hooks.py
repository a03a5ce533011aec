"""Small hooks other pages call to keep runs in the history and show their cost."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from playground.compare import outcome
from playground.conversation import first_prompt
from playground.cost import format_cost, result_cost
from playground.export import compare_record, compare_summary, to_csv, to_json, to_markdown
from playground.record_json import capabilities_record
from playground.store import history_status, save_run
from ui.common import lang, registry, tr


def _first_prompt(state: dict) -> str:
    turns = state.get("turns") or []
    if turns:
        return turns[0].prompt
    return state.get("prompt") or first_prompt(state.get("requests") or [])


def compare_started(state: dict) -> None:
    """Insert the run as 'running' now: a crash before it finishes leaves it 'interrupted'.
    A conversation's next turn goes into the conversation's own row (one row per conversation;
    a conversation reopened from History continues in a new row, the stored one stays)."""
    store, _ = history_status()
    reqs = state.get("requests") or []
    if store is None or not reqs:
        return
    # read now: once the script is being stopped (a closed tab), any Streamlit call, even
    # session_state, raises again, and the run must still be written then
    state["details"] = _details(reqs)
    try:
        conv = state.get("conversation_id")
        if conv is not None and state.get("turns") and store.resume(conv):
            state["history_id"] = conv
            return
        first = _first_prompt(state)
        state["history_id"] = store.begin("compare", title=first[:120], models=[q.model for q in reqs], prompt=first)
        state["conversation_id"] = state["history_id"]
    except Exception:  # history is a convenience: a full disk must not break the comparison
        state["history_id"] = None


def state_record(state: Mapping, status: str = "done") -> dict:
    """The Compare page's run state (a conversation's turns included) as a record."""
    reqs = state["requests"]
    results = (list(state.get("results") or []) + [None] * len(reqs))[:len(reqs)]
    details = state.get("details")  # taken when the run started: a closed tab allows no Streamlit call
    return compare_record(reqs, results, details if details is not None else _details(reqs), status=status,
                          turns=state.get("turns") or (),
                          prompt=state.get("prompt") or first_prompt(reqs), system=state.get("system") or "")


def compare_finished(state: dict, status: str = "done") -> None:
    """Write the whole run (requests, outputs, metrics, logprobs, costs; a conversation's every
    turn) in one transaction."""
    store, _ = history_status()
    run_id = state.pop("history_id", None)
    if store is None or run_id is None:
        return
    record = state_record(state, status)
    try:
        store.finish(run_id, record, status=status, summary=compare_summary(record))
    except Exception:
        pass


def compare_settled(state: dict, cut_short_as: str = "cancelled") -> str:
    """A run that is over (finished, stopped, left or abandoned): stop its workers, keep what they
    produced, and write its history row now with what happened to it (playground.compare.outcome).
    Called the moment the script loses the run (a closed tab's session never reruns), so it
    makes no Streamlit call: while a script is being stopped, every one raises again."""
    run = state.get("run")
    if run is not None:
        state["results"] = run.stop()
    state["running"] = False
    state["run"] = None
    status = outcome(state.get("results") or [], cut_short_as)
    state["stopped"] = status != "done"
    compare_finished(state, status)
    return status


def cut_short_as(exc: BaseException) -> str:
    """What interrupting the script means for a live run: a rerun (Stop, another widget, another
    page) cancels it; a stop (the tab was closed, the session ends) interrupts it."""
    try:
        from streamlit.runtime.scriptrunner import RerunException
    except ImportError:  # moved in a future Streamlit: say cancelled, never fail the page
        return "cancelled"
    return "cancelled" if isinstance(exc, RerunException) else "interrupted"


def _details(requests) -> dict:
    out = {}
    for q in requests:
        try:
            caps = registry().capabilities(q.model)
            out[q.model] = capabilities_record(caps)
        except Exception:
            continue
    return out


def cost_caption(result) -> None:
    """The estimated cost (price table) under a column; a cost reported by OpenRouter is already
    shown by ui.backends.result_extras."""
    cost, source = result_cost(result)
    if cost is not None and source == "estimated":
        st.caption(tr("cost.estimated", cost=format_cost(cost)))


def download_buttons(record: Mapping, stem: str, key: str) -> None:
    """JSON / CSV / Markdown download buttons for a record (secrets are scrubbed by the exporters)."""
    c1, c2, c3, _ = st.columns([1, 1, 1, 3])
    c1.download_button(tr("hooks.export_json"), to_json(record), f"{stem}.json", "application/json", icon=":material/download:", key=f"{key}_json")
    c2.download_button(tr("hooks.export_csv"), to_csv(record), f"{stem}.csv", "text/csv", icon=":material/download:", key=f"{key}_csv")
    c3.download_button(tr("hooks.export_md"), to_markdown(record, lang()), f"{stem}.md", "text/markdown", icon=":material/download:", key=f"{key}_md")


def export_buttons(state: Mapping | None, key: str = "cmp_export") -> None:
    """Compare page: JSON / CSV / Markdown downloads of the current results (`state` is the page's
    `st.session_state["compare_state"]`). Shows nothing while a run is streaming or before any run."""
    if not state or state.get("running"):
        return
    reqs = state.get("requests") or []
    results = list(state.get("results") or [])
    if not reqs or not any(r is not None for r in results):
        return
    record = state_record(state, "cancelled" if state.get("stopped") else "done")
    download_buttons(record, "conversation" if state.get("turns") else "comparison", key)


def sampling_saved(record: Mapping, models: Sequence[str], run_id: int | None = None) -> int | None:
    """Store a sampling-lab record (a new row, or rewrite `run_id` when the determinism check is
    added to the grid it belongs to). None when history is unavailable."""
    title = record.get("title") or ""
    summary = {"diversity": record.get("diversity") or [], "failed": record.get("failed", 0),
               "determinism": (record.get("determinism") or {}).get("identical")}
    status = record.get("status") or "done"
    if run_id is not None:
        store, _ = history_status()
        if store is not None:
            try:
                store.finish(run_id, record, status=status, summary=summary)
                return run_id
            except Exception:  # fall back to a new row
                pass
    try:
        return save_run("sampling", record, title=title, models=models, prompt=record.get("prompt") or "",
                        summary=summary, status=status)
    except Exception:  # history is a convenience: never break the lab
        return None
