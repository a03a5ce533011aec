"""Benchmark page: prompt set × models × repetitions × concurrency, live progress with ETA, percentiles, plots."""

from __future__ import annotations

import threading
import time

import pandas as pd
import streamlit as st

from playground.bench import BUILTIN_SETS, BenchConfig, BenchReport, PromptSetError, parse_prompt_file, run_benchmark, stats_rows
from playground.store import history_status
from ui.bench_view import render_report
from ui.common import models, registry, tr
from ui.shell import ensure_app

STATE = "bench_state"  # {"thread", "cancel", "progress", "report", "config", "running", "history_id"}
LEVELS = [1, 2, 4, 8, 16, 32]


def _prompt_set():
    source = st.radio(tr("bench.prompts"), ["fr", "en", "upload"], horizontal=True, key="bench_set",
                      format_func=lambda k: tr(f"bench.set.{k}"))
    if source != "upload":
        return list(BUILTIN_SETS[source])
    up = st.file_uploader(tr("bench.upload"), type=["csv", "jsonl", "txt", "json"], key="bench_upload",
                          help=tr("bench.upload_help"))
    if up is None:
        st.info(tr("bench.upload_needed"))
        return None
    try:
        return parse_prompt_file(up.name, up.getvalue())
    except PromptSetError as exc:
        st.error(str(exc))
        return None


def _fmt_s(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:.0f} s" if v < 120 else f"{v / 60:.1f} min"


def _worker(state: dict, config: BenchConfig, reg) -> None:
    def on_progress(p) -> None:
        state["progress"] = p

    try:
        state["report"] = run_benchmark(reg, config, on_progress=on_progress, cancel=state["cancel"])
    except Exception as exc:  # shown on the page as one line, never a traceback
        state["error"] = f"{type(exc).__name__}: {exc}"


def _finish(state: dict) -> None:
    """Stop waiting: join the worker (after a cancel it returns quickly) and store the run."""
    t = state.get("thread")
    if t is not None:
        t.join(timeout=120)
    state["running"] = False
    report: BenchReport | None = state.get("report")
    store, _ = history_status()
    run_id = state.pop("history_id", None)
    if store is not None and run_id is not None and report is not None:
        record = report.to_dict()
        try:
            store.finish(run_id, record, status="cancelled" if report.cancelled else "done",
                         summary={"stats": stats_rows(report.model_stats())})
        except Exception:
            pass


def page() -> None:
    ensure_app()
    st.title(tr("bench.title"))
    st.caption(tr("bench.intro"))
    all_models, errors = models()
    for prov, err in errors.items():
        st.warning(tr("models.unavailable", provider=prov, error=err))
    ids = [m.id for m in all_models]

    prompts = _prompt_set()
    if prompts:
        n_use = int(st.number_input(tr("bench.n_prompts"), 1, len(prompts), len(prompts), key="bench_n_prompts"))
        prompts = prompts[:n_use]
        with st.expander(tr("bench.preview", n=len(prompts))):
            st.dataframe(pd.DataFrame([{"id": p.id, "prompt": p.text} for p in prompts]), hide_index=True,
                         width="stretch")
    chosen = st.multiselect(tr("bench.models"), ids, default=ids[:1], key="bench_models")
    c1, c2, c3 = st.columns(3)
    reps = int(c1.number_input(tr("bench.repetitions"), 1, 100, 1, key="bench_reps"))
    mode = c2.radio(tr("bench.mode"), ["sequential", "parallel"], key="bench_mode",
                    format_func=lambda k: tr(f"bench.mode.{k}"))
    levels = [1]
    if mode == "parallel":
        levels = c3.multiselect(tr("bench.concurrency"), LEVELS, default=[1, 4], key="bench_levels") or [1]
    warm = c3.checkbox(tr("bench.warmup"), value=True, key="bench_warmup")
    c1, c2, c3 = st.columns(3)
    temperature = c1.slider(tr("bench.temperature"), 0.0, 2.0, 0.0, 0.05, key="bench_temperature")
    max_tokens = int(c2.number_input(tr("bench.max_tokens"), 1, 8192, 64, key="bench_max_tokens"))
    seed = int(c3.number_input(tr("bench.seed"), 0, 2**31 - 1, 42, key="bench_seed"))

    config = None
    if prompts and chosen:
        config = BenchConfig(models=tuple(chosen), prompts=tuple(prompts), repetitions=reps,
                             concurrency=tuple(levels), mode=mode, warmup=warm,
                             params={"temperature": temperature, "max_tokens": max_tokens, "seed": seed})
        st.caption(tr("bench.total", n=config.total_requests()))

    b1, b2, _ = st.columns([1, 1, 4])
    run = b1.button(tr("bench.run"), type="primary", key="bench_run", width="stretch")
    b2.button(tr("bench.cancel"), key="bench_cancel", width="stretch")

    state = st.session_state.get(STATE)
    # A rerun while a benchmark is live means Cancel (or another widget) interrupted the wait:
    # cancel the workers, keep what finished.
    if state and state.get("running"):
        state["cancel"].set()
        _finish(state)

    if run:
        if not chosen:
            st.error(tr("bench.no_models"))
            return
        if not prompts:
            st.error(tr("bench.no_prompts"))
            return
        state = {"cancel": threading.Event(), "progress": None, "report": None, "config": config, "running": True}
        store, _ = history_status()
        if store is not None:
            try:
                state["history_id"] = store.begin("benchmark", title=f"Benchmark · {len(prompts)} prompts × {reps}",
                                                  models=chosen, prompt=prompts[0].text, data={"config": config.to_dict()})
            except Exception:
                state["history_id"] = None
        st.session_state[STATE] = state
        bar = st.progress(0.0, text=tr("bench.progress", done=0, total=config.total_requests(), errors=0,
                                        elapsed="0 s", eta="—"))
        t = threading.Thread(target=_worker, args=(state, config, registry()), daemon=True, name="benchmark")
        state["thread"] = t
        t.start()
        while t.is_alive():
            p = state.get("progress")
            if p is not None:
                bar.progress(min(p.fraction, 1.0), text=tr("bench.progress", done=p.done, total=p.total,
                                                             errors=p.errors, elapsed=_fmt_s(p.elapsed_s),
                                                             eta=_fmt_s(p.eta_s)))
            time.sleep(0.25)
        p = state.get("progress")
        if p is not None:
            bar.progress(min(p.fraction, 1.0), text=tr("bench.progress", done=p.done, total=p.total, errors=p.errors,
                                                         elapsed=_fmt_s(p.elapsed_s), eta=_fmt_s(0)))
        _finish(state)

    state = st.session_state.get(STATE)
    if not state:
        return
    if state.get("error"):
        st.error(state["error"])
    report: BenchReport | None = state.get("report")
    if report is None:
        return
    render_report(report)


page()
