"""Compare's "JSON output" option: the toggle, the JSON Schema box (checked as it is typed), the
SNCF exercise button, and under each answer the JSON check (valid or why not, pretty-printed).

The check runs on every answer whatever the backend promised (providers.structured): a backend
that ignored the schema shows schema errors here rather than a silent pass.
"""

from __future__ import annotations

import streamlit as st

from playground.runner import Result
from playground.structured_presets import SNCF
from providers.base import GenerationRequest, InvalidRequest
from providers.structured import (
    NOT_ENFORCED_GRAMMAR,
    NOT_ENFORCED_RAW,
    NOT_ENFORCED_SERVER,
    STRUCTURED_NONE,
    canonical_schema,
    check_output,
)
from ui import compare_state as keys
from ui.common import lang, tr

TOGGLE = keys.JSON_OUTPUT
SCHEMA = keys.JSON_SCHEMA
SNCF_BUTTON = "cmp_json_sncf"
# The providers' English notices about an unenforced schema, said here in the person's language.
NOTES = {NOT_ENFORCED_SERVER: "structured.not_enforced_server", NOT_ENFORCED_RAW: "structured.not_enforced_raw",
         NOT_ENFORCED_GRAMMAR: "structured.not_enforced_grammar"}


def _load_sncf() -> None:
    """The button's callback (before the widgets are drawn): prompt, schema, JSON on, and a
    budget large enough for five conversations in every column."""
    st.session_state[keys.PROMPT] = SNCF.prompt.get(lang()) or SNCF.prompt["fr"]
    st.session_state[SCHEMA] = SNCF.schema_text()
    st.session_state[TOGGLE] = True
    for prefix in [keys.SHARED_PARAMS, *(keys.params_key(i) for i in range(keys.MAX_COLUMNS))]:
        st.session_state[f"{prefix}_max_tokens"] = int(SNCF.params["max_tokens"])
        st.session_state[f"{prefix}_temperature"] = float(SNCF.params["temperature"])
        st.session_state[f"{prefix}_seed"] = str(SNCF.params["seed"])


def json_section(picks) -> tuple[dict, bool]:
    """({"json_output", "json_schema"} to add to the requests that can take it, ok?). Not ok when
    the schema is invalid: the page says why and does not run."""
    able = [caps is None or caps.structured != STRUCTURED_NONE for mid, caps, _ in picks if mid is not None]
    c1, c2 = st.columns([1, 1])
    on = c1.toggle(tr("structured.toggle"), key=TOGGLE, help=tr("structured.toggle_help"),
                   disabled=not any(able))
    c2.button(tr("structured.load_sncf"), key=SNCF_BUTTON, on_click=_load_sncf, help=tr("structured.load_sncf_help"),
              icon=":material/train:")
    if not any(able):
        st.caption(tr("structured.unsupported"))
        return {}, True
    if not on:
        return {}, True
    text = st.text_area(tr("structured.schema"), key=SCHEMA, height=160, help=tr("structured.schema_help"),
                        placeholder='{"type": "object", "properties": {…}, "required": […]}')
    try:
        schema = canonical_schema(text)
    except InvalidRequest as exc:
        st.error(tr(f"error.{exc.code}", **exc.params), icon=":material/error:")
        return {}, False
    if schema:
        st.caption(":material/check: " + tr("structured.schema_ok"))
    return {"json_output": True, "json_schema": schema}, True


def add_to(params: dict, caps, options: dict) -> dict:
    """A column's parameters with the JSON options, when its backend has JSON output."""
    if not options or (caps is not None and caps.structured == STRUCTURED_NONE):
        return params
    return {**params, **options}


def translated_notes(r: Result) -> list[str]:
    """The result's notes without the structured-output ones (said by `render_check`)."""
    return [n for n in r.notes if n not in NOTES]


def render_check(r: Result, req: GenerationRequest | None) -> None:
    """Under a JSON-output answer: valid ✓ (Material icon), or the parse error / schema errors;
    then the JSON pretty-printed."""
    if req is None or not req.wants_json or r.error:
        if req is not None and not req.wants_json and st.session_state.get(TOGGLE):
            st.caption(tr("structured.column_unsupported", model=req.model))
        return
    for n in r.notes:
        if n in NOTES:
            st.caption(":material/info: " + tr(NOTES[n]))
    check = check_output(r.text or "", req.json_schema)
    if check.ok:
        st.success(tr("structured.valid_schema" if req.json_schema else "structured.valid"), icon=":material/check_circle:")
    elif not check.parsed:
        st.error(tr("structured.invalid_json", error=check.parse_error), icon=":material/error:")
        if r.finish_reason == "length":
            st.caption(tr("structured.cut"))
    else:
        st.warning(tr("structured.schema_errors", n=len(check.schema_errors)) + "\n\n" +
                   "\n".join(f"- `{e}`" for e in check.schema_errors[:20]), icon=":material/rule:")
    if check.parsed:
        with st.expander(tr("structured.pretty"), expanded=True):
            st.code(check.pretty, language="json", wrap_lines=True)
