"""Sampling lab page: one prompt and model, temperatures × N seeded samples, diversity vs T,
determinism check."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.explorer import build_request
from playground.explorer_charts import diversity_figure
from playground.sampling_lab import (
    DEFAULT_TEMPERATURES,
    determinism_check,
    parse_temperatures,
    run_grid,
    sample_seed,
)
from providers.base import ProviderError
from ui.common import lang, models, registry, tr
from ui.shell import ensure_app
from ui.widgets import model_details, model_picker

STATE = "lab_state"


def page() -> None:
    ensure_app()
    st.title(tr("lab.title"))
    st.caption(tr("lab.intro"))
    all_models, errors = models()
    for prov, err in errors.items():
        st.warning(tr("models.unavailable", provider=prov, error=err))
    model_id = model_picker(all_models, key="lab_model")
    if model_id is None:
        return
    try:
        caps = registry().capabilities(model_id)
    except ProviderError as exc:
        st.error(exc.message)
        return
    model_details(caps)
    chat = caps.mode == "chat"
    if chat:
        st.caption(tr("lab.mode_note"))
    prompt = st.text_area(tr("lab.prompt"), tr("lab.prompt_default"), key="lab_prompt", height=80)
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
    temps_text = c1.text_input(tr("lab.temperatures"), ", ".join(str(t) for t in DEFAULT_TEMPERATURES), key="lab_temps")
    n = int(c2.number_input(tr("lab.samples"), 1, 20, 3, key="lab_n"))
    max_tokens = int(c3.number_input(tr("lab.max_tokens"), 1, 256, 24, key="lab_max_tokens"))
    base_seed = int(c4.number_input(tr("lab.seed"), 0, 2**31 - 1, 42, key="lab_seed"))

    if st.button(tr("lab.run"), type="primary", key="lab_run"):
        try:
            temps = parse_temperatures(temps_text)
        except ProviderError as exc:
            st.error(exc.message)
            return
        if not prompt.strip():
            st.error(tr("compare.empty_prompt"))
            return
        base = build_request(model_id, prompt, chat, max_tokens=max_tokens)
        bar = st.progress(0.0, text=tr("lab.progress", done=0, total=len(temps) * n, t=temps[0], i=1))

        def progress(done: int, total: int, t: float, i: int, _r) -> None:
            bar.progress(done / total, text=tr("lab.progress", done=done, total=total, t=t, i=i + 1))

        st.session_state[STATE] = run_grid(registry(), base, temps, n, base_seed, on_progress=progress)
        bar.empty()

    run = st.session_state.get(STATE)
    if run is not None:
        errs = run.errors()
        if errs:
            st.error(tr("lab.errors", errors=" · ".join(errs)))
        st.subheader(tr("lab.grid"))
        rows = []
        for t in run.temperatures:
            row = {"T": t}
            for i, text in enumerate(run.texts(t)):
                row[tr("lab.sample_col", i=i + 1, seed=sample_seed(run.base_seed, i))] = text
            rows.append(row)
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="lab_grid")
        div = run.diversity()
        st.subheader(tr("lab.diversity"))
        d1, d2 = st.columns([3, 2])
        d1.plotly_chart(diversity_figure(div, lang()), width="stretch", key="lab_div_chart")
        d2.dataframe(
            pd.DataFrame([{"T": d.temperature, tr("lab.distinct_outputs"): f"{d.distinct_outputs}/{d.n}",
                           tr("lab.distinct_2"): None if d.distinct_2 is None else round(d.distinct_2, 3)} for d in div]),
            hide_index=True, width="stretch", key="lab_div_table",
        )
        st.caption(tr("lab.diversity_help"))

    st.subheader(tr("lab.determinism"))
    e1, e2, e3 = st.columns([1, 1, 2])
    det_t = e1.number_input(tr("lab.det_temperature"), 0.0, 2.0, 1.0, 0.1, key="lab_det_t")
    det_seed = int(e2.number_input(tr("lab.det_seed"), 0, 2**31 - 1, 7, key="lab_det_seed"))
    e3.write("")
    if e3.button(tr("lab.det_run"), key="lab_det_run"):
        if not prompt.strip():
            st.error(tr("compare.empty_prompt"))
            return
        base = build_request(model_id, prompt, chat, max_tokens=max_tokens)
        with st.spinner("…"):
            st.session_state["lab_det"] = determinism_check(registry(), base, det_t, det_seed)
    det = st.session_state.get("lab_det")
    if det is not None:
        if det.error:
            st.error(det.error)
        elif det.identical:
            st.success(tr("lab.det_same", t=det.temperature, seed=det.seed))
        else:
            st.warning(tr("lab.det_diff", t=det.temperature, seed=det.seed))
            st.code(det.diff, language="diff")
        st.text(det.first)


page()
