"""Small hooks other pages call to keep runs in the history and show their cost (issue 5)."""

from __future__ import annotations

import streamlit as st

from playground.cost import format_cost, result_cost
from playground.export import compare_record, compare_summary
from playground.store import history_status
from ui.common import tr


def compare_started(state: dict) -> None:
    """Insert the run as 'running' now: a crash before it finishes leaves it 'interrupted'."""
    store, _ = history_status()
    reqs = state.get("requests") or []
    if store is None or not reqs:
        return
    try:
        state["history_id"] = store.begin("compare", title=reqs[0].user_text()[:120], models=[q.model for q in reqs],
                                          prompt=reqs[0].user_text())
    except Exception:  # history is a convenience: a full disk must not break the comparison
        state["history_id"] = None


def compare_finished(state: dict, status: str = "done") -> None:
    """Write the whole run (requests, outputs, metrics, logprobs, costs) in one transaction."""
    store, _ = history_status()
    run_id = state.pop("history_id", None)
    if store is None or run_id is None:
        return
    record = compare_record(state["requests"], state["results"], _details(state["requests"]), status=status)
    try:
        store.finish(run_id, record, status=status, summary=compare_summary(record))
    except Exception:
        pass


def _details(requests) -> dict:
    from ui.common import registry

    out = {}
    for q in requests:
        try:
            caps = registry().capabilities(q.model)
            out[q.model] = {"mode": caps.mode, "context_length": caps.context_length,
                            **{k: v for k, v in caps.details.items() if isinstance(v, (str, int, float, bool))}}
        except Exception:
            continue
    return out


def cost_caption(result) -> None:
    """The estimated cost (price table) under a column; a cost reported by OpenRouter is already
    shown by ui.backends.result_extras."""
    cost, source = result_cost(result)
    if cost is not None and source == "estimated":
        st.caption(tr("cost.estimated", cost=format_cost(cost)))
