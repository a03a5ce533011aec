"""Sampling lab page: one prompt and model, temperatures × N seeded samples, diversity vs T,
determinism check."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.explorer_charts import diversity_figure
from playground.record_json import capabilities_record
from playground.request import build_request
from playground.sampling_lab import (
    DEFAULT_TEMPERATURES,
    determinism_check,
    lab_record,
    parse_temperatures,
    run_grid,
    sample_seed,
)
from providers.base import ProviderError
from ui.common import lang, registry, tr
from ui.history_hooks import download_buttons, sampling_saved
from ui.shell import ensure_app
from ui.widgets import (
    available_models,
    bounded_int_input,
    capabilities_or_error,
    exception_text,
    model_details,
    model_picker,
    num,
)

STATE = "lab_state"
RECORD = "lab_record"  # {"record": the sampling record, "run_id": its history row, "base": GenerationRequest}


def _save(base, run, det, details, previous: dict | None = None) -> dict:
    """Build the record (every parameter, outputs, diversity, determinism) and store it in history."""
    record = lab_record(base, run, det, details)
    if run is not None:
        record["title"] = tr("labrec.title", model=base.model, temps=(" ; " if lang() == "fr" else ", ").join(_temp(t) for t in run.temperatures),
                             n=run.n_samples)
    else:
        record["title"] = tr("labrec.det_title", model=base.model)
    run_id = sampling_saved(record, [base.model], run_id=(previous or {}).get("run_id"))
    return {"record": record, "run_id": run_id, "base": base, "run": run}


def _setup_section(all_models) -> tuple[str, bool, dict, str] | None:
    """Model and prompt: (model id, chat?, the model's details for the record, prompt)."""
    model_id = model_picker(all_models, key="lab_model")
    if model_id is None:
        return None
    caps = capabilities_or_error(model_id)
    if caps is None:
        return None
    model_details(caps)
    details = {model_id: capabilities_record(caps)}
    chat = caps.mode == "chat"
    if chat:
        st.caption(tr("lab.mode_note"))
    prompt = st.text_area(tr("lab.prompt"), tr("lab.prompt_default"), key="lab_prompt", height=80)
    return model_id, chat, details, prompt


def _grid_settings() -> tuple[str, int, int, int]:
    """(temperatures as typed, samples per temperature, max tokens, base seed)."""
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
    sep = " ; " if lang() == "fr" else ", "  # a French decimal comma cannot separate the values
    temps_text = c1.text_input(tr("lab.temperatures"), sep.join(_temp(t) for t in DEFAULT_TEMPERATURES), key="lab_temps")
    n = int(c2.number_input(tr("lab.samples"), 1, 20, 3, key="lab_n"))
    max_tokens = bounded_int_input(tr("lab.max_tokens"), 1, 256, 24, key="lab_max_tokens", where=c3)
    base_seed = int(c4.number_input(tr("lab.seed"), 0, 2**31 - 1, 42, key="lab_seed"))
    return temps_text, n, max_tokens, base_seed


def _run_grid(model_id: str, chat: bool, prompt: str, details: dict, temps_text: str, n: int, max_tokens: int,
              base_seed: int) -> bool:
    """Run the grid when asked, with a progress bar; False after an error that ends the page."""
    if not st.button(tr("lab.run"), icon=":material/play_arrow:", type="primary", key="lab_run"):
        return True
    try:
        temps = parse_temperatures(temps_text)
    except ProviderError as exc:
        st.error(exception_text(exc))
        return False
    if not prompt.strip():
        st.error(tr("compare.empty_prompt"))
        return False
    base = build_request(model_id, prompt, chat, max_tokens=max_tokens)
    bar = st.progress(0.0, text=tr("lab.progress", done=0, total=len(temps) * n, t=temps[0], i=1))

    def progress(done: int, total: int, t: float, i: int, _r) -> None:
        bar.progress(done / total, text=tr("lab.progress", done=done, total=total, t=t, i=i + 1))

    grid = run_grid(registry(), base, temps, n, base_seed, on_progress=progress)
    st.session_state[STATE] = grid
    st.session_state.pop("lab_det", None)  # a check belongs to the grid it was run after
    st.session_state[RECORD] = _save(base, grid, None, details)
    bar.empty()
    return True


def _temp(t: float) -> str:
    """A temperature as typed: 0, 0,3, 1,5 (French) — no trailing zeros."""
    return num(t, 2).rstrip("0").rstrip(",.") or "0"


def _grid_section() -> None:
    """The grid on screen: samples per temperature, diversity, and the saved record."""
    run = st.session_state.get(STATE)
    if run is None:
        return
    errs = run.errors()
    if errs:
        st.error(tr("lab.errors", errors=" · ".join(errs)))
    st.subheader(tr("lab.grid"))
    rows = []
    t_col = tr("labrec.temperature_col")
    for t in run.temperatures:
        row = {t_col: _temp(t)}
        for i, text in enumerate(run.texts(t)):
            row[tr("lab.sample_col", i=i + 1, seed=sample_seed(run.base_seed, i))] = text
        rows.append(row)
    # a table, not a data grid: its headers and the samples' texts wrap instead of being cut
    st.table(pd.DataFrame(rows), hide_index=True)
    _diversity_section(run, t_col)


def _diversity_section(run, t_col: str) -> None:
    div = run.diversity()
    st.subheader(tr("lab.diversity"))
    if n_failed := run.failed():
        st.warning(tr("labrec.failed_note", n=n_failed))
    d1, d2 = st.columns([3, 2])
    d1.plotly_chart(diversity_figure(div, lang()), width="stretch", key="lab_div_chart")
    d2.table(
        pd.DataFrame([{t_col: _temp(d.temperature), tr("lab.distinct_outputs"): f"{d.distinct_outputs}/{d.n}",
                       tr("lab.distinct_2"): num(d.distinct_2, 3),
                       tr("labrec.failed_col"): d.failed} for d in div]),
        hide_index=True,
    )
    st.caption(tr("lab.diversity_help"))
    saved = st.session_state.get(RECORD)
    if saved is not None and saved.get("run") is run:
        if saved.get("run_id") is not None:
            st.caption(tr("labrec.saved", id=saved["run_id"]))
        else:
            st.caption(tr("labrec.not_saved"))
        download_buttons(saved["record"], "sampling-lab", "lab_dl")


def _determinism_run(model_id: str, chat: bool, prompt: str, max_tokens: int, details: dict) -> bool:
    """Two generations with the same seed, when asked; False after an error that ends the page."""
    st.subheader(tr("lab.determinism"))
    e1, e2, e3 = st.columns([1, 1, 2])
    det_t = e1.number_input(tr("lab.det_temperature"), 0.0, 2.0, 1.0, 0.1, key="lab_det_t")
    det_seed = int(e2.number_input(tr("lab.det_seed"), 0, 2**31 - 1, 7, key="lab_det_seed"))
    e3.write("")
    if not e3.button(tr("lab.det_run"), icon=":material/replay:", key="lab_det_run"):
        return True
    if not prompt.strip():
        st.error(tr("compare.empty_prompt"))
        return False
    base = build_request(model_id, prompt, chat, max_tokens=max_tokens)
    with st.spinner(tr("labrec.checking")):
        det = determinism_check(registry(), base, det_t, det_seed)
    st.session_state["lab_det"] = det
    saved = st.session_state.get(RECORD)
    grid = st.session_state.get(STATE)
    if saved is not None and saved.get("run") is grid and grid is not None and saved["base"] == base:
        # same model, prompt and length as the grid on screen: the check completes that record
        st.session_state[RECORD] = _save(base, grid, det, details, previous=saved)
    else:
        _save(base, None, det, details)
    return True


def _determinism_result() -> None:
    det = st.session_state.get("lab_det")
    if det is None:
        return
    if det.error:
        st.error(det.error)
    elif det.identical:
        st.success(tr("lab.det_same", t=det.temperature, seed=det.seed))
    else:
        st.warning(tr("lab.det_diff", t=det.temperature, seed=det.seed))
        st.code(det.diff, language="diff")
    st.text(det.first)


def page() -> None:
    ensure_app()
    st.title(tr("lab.title"))
    st.caption(tr("lab.intro"))
    chosen = _setup_section(available_models())
    if chosen is None:
        return
    model_id, chat, details, prompt = chosen
    temps_text, n, max_tokens, base_seed = _grid_settings()
    if not _run_grid(model_id, chat, prompt, details, temps_text, n, max_tokens, base_seed):
        return
    _grid_section()
    if _determinism_run(model_id, chat, prompt, max_tokens, details):
        _determinism_result()


page()
