"""Benchmark page: prompt set × models × repetitions × concurrency, live progress with ETA, percentiles, plots."""

from __future__ import annotations

import threading
import time

import pandas as pd
import streamlit as st

from playground.bench import BenchConfig, BenchReport, Checkpoint, run_benchmark, stats_rows
from playground.prompt_sets import BUILTIN_SETS, PromptSetError, describe_prompt_set_error, parse_prompt_file
from playground.store import history_status
from ui.bench_view import render_report
from ui.common import lang, registry, tr
from ui.shell import ensure_app
from ui.widgets import available_models, bounded_int_input, num

STATE = "bench_state"  # {"thread", "cancel", "progress", "report", "config", "running", "history_id", "error"}
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
        st.error(describe_prompt_set_error(exc, lang()))
        return None


def _fmt_s(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{num(v, 0)}\u202fs" if v < 120 else f"{num(v / 60, 1)}\u202fmin"


def _worker(state: dict, config: BenchConfig, reg) -> None:
    def on_progress(p) -> None:
        state["progress"] = p

    store, _ = history_status()
    run_id = state.get("history_id")
    checkpoint = None
    if store is not None and run_id is not None:  # a dead process still leaves the finished samples
        checkpoint = Checkpoint(lambda data: store.checkpoint(run_id, data))
    try:
        state["report"] = run_benchmark(reg, config, on_progress=on_progress, cancel=state["cancel"],
                                        on_report=checkpoint)
    except Exception as exc:  # shown on the page as one line, never a traceback
        state["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        # The worker stores its own run: the page may be elsewhere (or closed) when it finishes.
        _store(state)


def _store(state: dict) -> None:
    report: BenchReport | None = state.get("report")
    store, _ = history_status()
    run_id = state.pop("history_id", None)
    if store is None or run_id is None:
        return
    try:
        if report is not None:
            store.finish(run_id, report.to_dict(), status="cancelled" if report.cancelled else "done",
                         summary={"stats": stats_rows(report.model_stats())})
        else:
            store.finish(run_id, {"config": state["config"].to_dict(), "error": state.get("error")}, status="error")
    except Exception:
        pass


def _show_progress(bar, state: dict, final: bool = False) -> None:
    p = state.get("progress")
    if p is not None:
        bar.progress(min(p.fraction, 1.0), text=tr("bench.progress", done=p.done, total=p.total, errors=p.errors,
                                                     elapsed=_fmt_s(p.elapsed_s),
                                                     eta=_fmt_s(0 if final else p.eta_s)))


def _follow(state: dict) -> None:
    """Poll the live run until its worker ends. A rerun (another page and back, a language change)
    comes back here and keeps following the same run; only the Cancel button cancels it."""
    config = state["config"]
    bar = st.progress(0.0, text=tr("bench.progress", done=0, total=config.total_requests(), errors=0,
                                    elapsed="0 s", eta="—"))
    t = state["thread"]
    while t.is_alive():
        _show_progress(bar, state)
        time.sleep(0.25)
    t.join()
    _show_progress(bar, state, final=True)
    state["running"] = False


def _prompts_section() -> list:
    """The prompt set, cut to how many prompts to use, with a preview."""
    prompts = _prompt_set()
    if prompts:
        n_use = int(st.number_input(tr("bench.n_prompts"), 1, len(prompts), len(prompts), key="bench_n_prompts"))
        prompts = prompts[:n_use]
        with st.expander(tr("bench.preview", n=len(prompts))):
            st.dataframe(pd.DataFrame([{tr("bench.col.prompt_id"): p.id, tr("bench.col.prompt"): p.text}
                                       for p in prompts]), hide_index=True, width="stretch")
    return prompts


def _settings_section(ids: list[str], prompts: list) -> tuple[list[str], int, BenchConfig | None]:
    """Models, repetitions, mode and concurrency, parameters: (models, repetitions, config or None)."""
    chosen = st.multiselect(tr("bench.models"), ids, default=ids[:1], key="bench_models", placeholder=tr("common.choose"))
    c1, c2, c3 = st.columns(3)
    reps = int(c1.number_input(tr("bench.repetitions"), 1, 100, 1, key="bench_reps"))
    mode = c2.radio(tr("bench.mode"), ["sequential", "parallel"], key="bench_mode",
                    format_func=lambda k: tr(f"bench.mode.{k}"))
    levels = [1]
    if mode == "parallel":
        levels = c3.multiselect(tr("bench.concurrency"), LEVELS, default=[1, 4], key="bench_levels",
                                  placeholder=tr("common.choose")) or [1]
    warm = st.checkbox(tr("bench.warmup"), value=True, key="bench_warmup")  # a row of its own: its label is long
    c1, c2, c3 = st.columns(3)
    temperature = c1.slider(tr("bench.temperature"), 0.0, 2.0, 0.0, 0.05, key="bench_temperature")
    max_tokens = bounded_int_input(tr("bench.max_tokens"), 1, 8192, 64, key="bench_max_tokens", where=c2)
    seed = int(c3.number_input(tr("bench.seed"), 0, 2**31 - 1, 42, key="bench_seed"))
    config = None
    if prompts and chosen:
        config = BenchConfig(models=tuple(chosen), prompts=tuple(prompts), repetitions=reps,
                             concurrency=tuple(levels), mode=mode, warmup=warm,
                             params={"temperature": temperature, "max_tokens": max_tokens, "seed": seed})
        st.caption(tr("bench.total", n=config.total_requests()))
    return chosen, reps, config


def _buttons_section() -> bool:
    """Run and Cancel; a live run is followed (and cancelled on Cancel). True to start a new run."""
    state = st.session_state.get(STATE)
    live = bool(state and state.get("running"))
    b1, b2, _ = st.columns([1.6, 1, 2.4])  # "Lancer le benchmark" whole at 1280 px
    run = b1.button(tr("bench.run"), icon=":material/play_arrow:", type="primary", key="bench_run", width="stretch", disabled=live)
    # Cancel stays enabled: the run that starts the benchmark drew it before the benchmark was live.
    cancel = b2.button(tr("bench.cancel"), icon=":material/stop:", key="bench_cancel", width="stretch")
    if live:
        if cancel:  # only the Cancel button cancels: the workers stop, what finished is kept
            state["cancel"].set()
        _follow(state)
        run = False
    return run


def _start(chosen: list[str], prompts: list, reps: int, config: BenchConfig | None) -> bool:
    """Start the benchmark in a worker thread and follow it; False when there is nothing to run."""
    if not chosen:
        st.error(tr("bench.no_models"))
        return False
    if not prompts:
        st.error(tr("bench.no_prompts"))
        return False
    state = {"cancel": threading.Event(), "progress": None, "report": None, "config": config, "running": True}
    store, _ = history_status()
    if store is not None:
        try:
            state["history_id"] = store.begin("benchmark", title=tr("bench.history_title", n=len(prompts), reps=reps),
                                              models=chosen, prompt=prompts[0].text, data={"config": config.to_dict()})
        except Exception:
            state["history_id"] = None
    st.session_state[STATE] = state
    t = threading.Thread(target=_worker, args=(state, config, registry()), daemon=True, name="benchmark")
    state["thread"] = t
    t.start()
    _follow(state)
    return True


def _report_section() -> None:
    state = st.session_state.get(STATE)
    if not state:
        return
    if state.get("error"):
        st.error(state["error"])
    report: BenchReport | None = state.get("report")
    if report is None:
        return
    render_report(report)


def page() -> None:
    ensure_app()
    st.title(tr("bench.title"))
    st.caption(tr("bench.intro"))
    ids = [m.id for m in available_models()]
    prompts = _prompts_section()
    chosen, reps, config = _settings_section(ids, prompts)
    if _buttons_section() and not _start(chosen, prompts, reps, config):
        return
    _report_section()


page()
