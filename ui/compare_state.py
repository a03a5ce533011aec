"""The Compare page's session keys, in one place: its widgets, its run state, and the way
another page (History's "reopen in Compare") pre-fills them."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import streamlit as st

from playground.runner import Result
from providers.base import GenerationRequest
from ui.widgets import params_state

MAX_COLUMNS = 4
STATE = "compare_state"  # {"requests": [...], "results": [...], "run": ColumnRun | None, "running", "stopped", "cancel"}
PROMPT = "cmp_prompt"
SYSTEM = "cmp_system"
N_COLUMNS = "cmp_ncols"
SAME_PARAMS = "cmp_same"
MARKDOWN = "cmp_markdown"
SHARED_PARAMS = "cmp_shared"  # params_form prefix of the parameters shared by every column
RUN = "cmp_run"
STOP = "cmp_stop"
CHART = "cmp_chart"
HEATMAP = "cmp_hm"  # + the Result's id


def model_key(i: int) -> str:
    """The model picker of column i."""
    return f"cmp_model_{i}"


def params_key(i: int) -> str:
    """The params_form prefix of column i's own parameters."""
    return f"cmp_col{i}"


def new_run_state(requests: Sequence[GenerationRequest], results: Sequence[Result | None] | None = None,
                  running: bool = False) -> dict:
    """The run state the page keeps under STATE (results None until a column finishes)."""
    return {"requests": list(requests), "results": list(results) if results is not None else [None] * len(requests),
            "run": None, "running": running, "stopped": False, "cancel": threading.Event()}


def reopen(requests: Sequence[GenerationRequest], results: Sequence[Result | None]) -> None:
    """Pre-fill the Compare page's widgets (and its results) from a stored comparison."""
    if not requests:
        return
    reqs = list(requests)[:MAX_COLUMNS]
    first = reqs[0]
    st.session_state[PROMPT] = first.user_text() if first.is_chat else (first.prompt or "")
    st.session_state[SYSTEM] = first.system or ""
    st.session_state[N_COLUMNS] = max(1, min(MAX_COLUMNS, len(requests)))
    st.session_state[SAME_PARAMS] = False
    for i, q in enumerate(reqs):
        st.session_state[model_key(i)] = q.model
        st.session_state.update(params_state(params_key(i), q))
    st.session_state[STATE] = new_run_state(reqs, (list(results) + [None] * MAX_COLUMNS)[:len(reqs)])
