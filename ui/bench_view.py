"""Rendering of a benchmark report (Benchmark page and History): table, box plots, throughput line, downloads."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from playground.bench import BenchReport, samples_csv, stats_csv, stats_rows
from playground.cost import format_cost
from playground.export import to_json, to_markdown
from ui.common import lang, tr
from ui.widgets import frame_numbers, num, plotly_locale

# Metrics whose per-statistic columns (`<metric>_<stat>`) get a translated label.
_METRICS = ("tokens_per_s", "output_tokens", "chars_per_s", "queue_s", "ttft_s", "tpot_s", "itl_s", "e2e_s")


def _column_label(col: str) -> str:
    """`ttft_s_p50` -> `TTFT (s) p50`; every label through the catalogue."""
    if col in _METRICS:
        return tr(f"bench.metric.{col}")
    for metric in _METRICS:
        if col.startswith(metric + "_"):
            return f"{tr(f'bench.metric.{metric}')} {col[len(metric) + 1:]}"
    return tr(f"bench.col.{col}")


def render_report(report: BenchReport, key: str = "bench") -> None:
    """Results table, box plots, throughput line and downloads (also used by History)."""
    if report.cancelled:
        st.info(tr("bench.cancelled"))
    else:
        st.success(tr("bench.done", s=num(report.elapsed_s, 1)))
    for model, err in report.warmup_errors.items():
        st.warning(tr("bench.warmup_failed", model=model, error=err))
    if not report.samples:
        return
    _stats_table(report, key)
    _box_plots(report, key)
    _throughput_line(report, key)
    _samples_and_downloads(report, key)


def _stats_table(report: BenchReport, key: str) -> None:
    st.subheader(tr("bench.results"))
    rows = stats_rows(report.stats())
    cols = ["model", "concurrency", "requests", "errors", "error_rate", "throughput_tok_s",
            "queue_s_p50", "queue_s_p95", "ttft_s_mean", "ttft_s_p50", "ttft_s_p90", "ttft_s_p95", "ttft_s_p99", "tpot_s_mean", "tpot_s_p50",
            "tpot_s_p99", "itl_s_p50", "itl_s_p99", "e2e_s_mean", "e2e_s_p50", "e2e_s_p90", "e2e_s_p99",
            "tokens_per_s_mean", "tokens_per_s_p50", "chars_per_s_mean", "output_tokens_mean", "cost_usd"]
    # reindex: a report saved before a metric existed (queue_s) still opens, with that column empty
    frame = frame_numbers(pd.DataFrame(rows).reindex(columns=cols), 4).rename(columns=_column_label)
    st.caption(tr("bench.per_model"))
    st.dataframe(frame, hide_index=True, width="stretch", key=f"{key}_table")
    cost = report.total_cost()
    if cost is not None:
        st.caption(tr("bench.total_cost", cost=format_cost(cost, "estimated")))
    st.caption(tr("bench.tokens_note"))


def _box_plots(report: BenchReport, key: str) -> None:
    ok = [s for s in report.samples if s.ok]
    c1, c2 = st.columns(2)
    ttft = go.Figure()
    toks = go.Figure()
    for model in report.config.models:
        mine = [s for s in ok if s.model == model]
        if not mine:
            continue
        ttft.add_trace(go.Box(y=[s.ttft_s for s in mine], name=model, boxpoints="all", jitter=0.3))
        toks.add_trace(go.Box(y=[s.tokens_per_s for s in mine if s.tokens_per_s is not None], name=model,
                              boxpoints="all", jitter=0.3))
    for fig, title in ((ttft, tr("bench.box_ttft")), (toks, tr("bench.box_toks"))):
        fig.update_layout(title=title, height=360, showlegend=False, margin=dict(l=10, r=10, t=40, b=10))
        plotly_locale(fig)
    c1.plotly_chart(ttft, width="stretch", key=f"{key}_box_ttft")
    c2.plotly_chart(toks, width="stretch", key=f"{key}_box_toks")


def _throughput_line(report: BenchReport, key: str) -> None:
    """Throughput against concurrency, when the run tried more than one level."""
    levels = report.config.levels()
    if len(levels) <= 1:
        return
    line = go.Figure()
    for model in report.config.models:
        pts = [(g.concurrency, g.throughput_tok_s) for g in report.stats() if g.model == model]
        line.add_trace(go.Scatter(x=[c for c, _ in pts], y=[t for _, t in pts], mode="lines+markers", name=model))
    line.update_layout(title=tr("bench.throughput_line"), xaxis_title=tr("bench.concurrency_axis"),
                       xaxis_type="log", height=360, margin=dict(l=10, r=10, t=40, b=10))
    plotly_locale(line)
    st.plotly_chart(line, width="stretch", key=f"{key}_throughput")


def _samples_and_downloads(report: BenchReport, key: str) -> None:
    with st.expander(tr("bench.samples")):
        st.dataframe(frame_numbers(pd.DataFrame([{k: v for k, v in s.to_dict().items() if k not in ("itl_s", "text")}
                                                 for s in report.samples]), 4).rename(columns=_column_label),
                     hide_index=True, width="stretch")
    record = report.to_dict()
    d1, d2, d3, d4 = st.columns(4)
    d1.download_button(tr("bench.download_json"), to_json(record), "benchmark.json", "application/json",
                       icon=":material/download:", key=f"{key}_dl_json")
    d2.download_button(tr("bench.download_csv"), stats_csv(report.stats()), "benchmark.csv", "text/csv",
                       icon=":material/download:", key=f"{key}_dl_csv")
    d3.download_button(tr("bench.download_samples"), samples_csv(report), "benchmark-requests.csv", "text/csv",
                       icon=":material/download:", key=f"{key}_dl_samples")
    d4.download_button(tr("bench.download_md"), to_markdown(record, lang()), "benchmark.md", "text/markdown",
                       icon=":material/download:", key=f"{key}_dl_md")
