"""The Compare page's session keys, in one place: its widgets, its run state, and the way
another page (History's "reopen in Compare") pre-fills them."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence

import streamlit as st

from playground.conversation import Turn, first_prompt
from playground.runner import Result
from providers.base import GenerationRequest
from ui.widgets import params_state

MAX_COLUMNS = 4
# {"requests": [...], "results": [...], "run": ColumnRun | None, "running", "stopped", "cancel",
#  "prompt": this turn's text, "system", "turns": the conversation's earlier Turns,
#  "conversation_id": its history row, once stored}
STATE = "compare_state"
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
FOLLOW_UP = "cmp_followup"  # the follow-up message box
FOLLOW_UP_SEND = "cmp_followup_send"
FOLLOW_UP_PENDING = "cmp_followup_pending"  # the message being sent (the box is emptied on click)
NEW_CONVERSATION = "cmp_new_conversation"
JSON_OUTPUT = "cmp_json"  # the "JSON output" toggle (ui/structured_output.py)
JSON_SCHEMA = "cmp_json_schema"  # its JSON Schema box


def model_key(i: int) -> str:
    """The model picker of column i."""
    return f"cmp_model_{i}"


def params_key(i: int) -> str:
    """The params_form prefix of column i's own parameters."""
    return f"cmp_col{i}"


def new_run_state(requests: Sequence[GenerationRequest], results: Sequence[Result | None] | None = None,
                  running: bool = False, prompt: str = "", system: str = "",
                  turns: Sequence[Turn] = ()) -> dict:
    """The run state the page keeps under STATE (results None until a column finishes)."""
    return {"requests": list(requests), "results": list(results) if results is not None else [None] * len(requests),
            "run": None, "running": running, "stopped": False, "cancel": threading.Event(),
            "prompt": prompt, "system": system, "turns": list(turns)}


def turns_so_far(state: dict) -> list[Turn]:
    """The conversation's turns, the one just finished included."""
    done = Turn(state.get("prompt") or "", list(state["requests"]),
                (list(state["results"]) + [None] * len(state["requests"]))[:len(state["requests"])])
    return [*state.get("turns", []), done]


def follow_up_state(state: dict, turns: Sequence[Turn], requests: Sequence[GenerationRequest], prompt: str) -> dict:
    """The run state of the next turn (`turns`: turns_so_far(state))."""
    new = new_run_state(requests, running=True, prompt=prompt, system=state.get("system") or "", turns=turns)
    if state.get("conversation_id") is not None:
        new["conversation_id"] = state["conversation_id"]
    return new


def new_conversation() -> None:
    """Forget the conversation (results and turns) and empty the follow-up box: a callback."""
    st.session_state.pop(STATE, None)
    st.session_state[FOLLOW_UP] = ""


def _readable(schema: str) -> str:
    """A stored schema as the box shows it: indented; a damaged one as it was (the box says why)."""
    try:
        return json.dumps(json.loads(schema), ensure_ascii=False, indent=2)
    except ValueError:
        return schema


def reopen(requests: Sequence[GenerationRequest], results: Sequence[Result | None],
           turns: Sequence[Turn] = (), prompt: str | None = None, system: str | None = None) -> None:
    """Pre-fill the Compare page's widgets (and its results, and a conversation's earlier turns)
    from a stored comparison. The prompt box gets the conversation's first message; a follow-up
    continues it (into a new history row: the stored one stays as it was)."""
    if not requests:
        return
    reqs = list(requests)[:MAX_COLUMNS]
    first = reqs[0]
    if prompt is None:
        prompt = first_prompt(reqs)
    if system is None:
        system = first.system or ""
    st.session_state[PROMPT] = turns[0].prompt if turns else prompt
    st.session_state[SYSTEM] = system
    st.session_state[N_COLUMNS] = max(1, min(MAX_COLUMNS, len(requests)))
    st.session_state[SAME_PARAMS] = False
    st.session_state[JSON_OUTPUT] = any(q.wants_json for q in reqs)
    st.session_state[JSON_SCHEMA] = next((_readable(q.json_schema) for q in reqs if q.json_schema), "")
    for i, q in enumerate(reqs):
        st.session_state[model_key(i)] = q.model
        st.session_state.update(params_state(params_key(i), q))
    kept = [Turn(t.prompt, t.requests[:MAX_COLUMNS], t.results[:MAX_COLUMNS]) for t in turns]
    st.session_state[STATE] = new_run_state(reqs, (list(results) + [None] * MAX_COLUMNS)[:len(reqs)],
                                            prompt=prompt, system=system, turns=kept)
    st.session_state[FOLLOW_UP] = ""
