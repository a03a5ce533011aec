"""Shared widgets: model picker with details, parameter controls that follow capabilities,
metrics line, summary chart."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from playground.i18n import NNBSP, catalogue, format_number, translate
from playground.runner import LiveMetrics, Result
from providers.base import Capabilities, GenerationRequest, ModelInfo, ProviderError, fit_to_capabilities
from ui.common import lang, models, registry, tr
from ui.instructor import params_locked

if TYPE_CHECKING:
    import pandas as pd


def available_models() -> list[ModelInfo]:
    """Every model of every backend; one warning line per backend that did not answer."""
    all_models, errors = models()
    for prov, err in errors.items():
        st.warning(tr("models.unavailable", provider=prov, error=err))
    return all_models


def capabilities_or_error(model_id: str | None) -> Capabilities | None:
    """The model's capabilities, or None after saying on the page why they could not be read."""
    if not model_id:
        return None
    try:
        return registry().capabilities(model_id)
    except ProviderError as exc:
        st.error(exc.message)
        return None


def model_picker(models: list[ModelInfo], key: str, label: str | None = None, default_index: int = 0) -> str | None:
    if not models:
        st.warning(tr("models.none"))
        return None
    ids = [m.id for m in models]
    by_id = {m.id: m for m in models}
    labels = {i: model_label(m) for i, m in by_id.items()}
    if key in st.session_state and st.session_state[key] not in ids:
        del st.session_state[key]  # a model that went away (backend down): fall back cleanly
    return st.selectbox(
        label or tr("param.model"),
        ids,
        index=min(default_index, len(ids) - 1),
        key=key,
        format_func=labels.__getitem__,  # labels made now, in this run's language (not when the widget is read)
        disabled=params_locked(),
    )


_EMBEDDED_LABEL = re.compile(r"\((chat|completion), embedded\)$")
_HUB_LABEL = re.compile(r"\(([^()]+), embedded\)$")  # a GGUF from the hub: "(repo, embedded)"


def model_label(m: ModelInfo) -> str:
    """The model's label in the UI's language: "(chat, embedded)" of the bundled models is the
    backend's English; the rest of a label is a model's name."""
    label = m.label or m.id
    found = _EMBEDDED_LABEL.search(label)
    if found:
        return label[:found.start()] + tr(f"label.{found.group(1)}_embedded")
    hub = _HUB_LABEL.search(label)
    if hub:
        label = label[:hub.start()] + tr("label.hub_embedded", repo=hub.group(1))
    return label


def model_details(caps: Capabilities) -> None:
    bits = [tr("mode.chat") if caps.mode == "chat" else tr("mode.completion")]
    for k in ("family", "parameter_size", "quantization", "vocab_size"):
        value = caps.details.get(k)
        if value:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = num(value)
            bits.append(tr(f"details.{k}", value=value))
    if caps.context_length:
        bits.append(tr("details.context", n=num(caps.context_length)))
    st.caption(" · ".join(str(b) for b in bits))


def _help(caps: Capabilities | None, param: str, default_help: str | None = None) -> tuple[bool, str | None]:
    """(disabled, tooltip) for one parameter of one backend (or locked by the instructor)."""
    if params_locked():
        return True, tr("room.locked_help")
    if caps is None or param in caps.params:
        return False, default_help
    reason = caps.param_notes.get(param, "")
    return True, tr("param.not_supported", reason=reason or "—")


def params_form(key: str, caps: Capabilities | None) -> dict:
    """The inference parameters; those the backend ignores are disabled with a tooltip."""
    out: dict = {}
    d, h = _help(caps, "temperature")
    out["temperature"] = st.slider(tr("param.temperature"), 0.0, 2.0, 0.7, 0.05, key=f"{key}_temperature", disabled=d, help=h)
    d, h = _help(caps, "top_p")
    out["top_p"] = st.slider(tr("param.top_p"), 0.01, 1.0, 1.0, 0.01, key=f"{key}_top_p", disabled=d, help=h)
    c1, c2 = st.columns(2)
    with c1:
        d, h = _help(caps, "top_k")
        out["top_k"] = int(st.number_input(tr("param.top_k"), 0, 1000, 0, key=f"{key}_top_k", disabled=d, help=h))
    with c2:
        d, h = _help(caps, "min_p")
        out["min_p"] = st.number_input(tr("param.min_p"), 0.0, 1.0, 0.0, 0.01, key=f"{key}_min_p", disabled=d, help=h)
    c1, c2 = st.columns(2)
    with c1:
        ctx = caps.context_length if caps and caps.context_length else 32768
        out["max_tokens"] = bounded_int_input(tr("param.max_tokens"), 1, max(ctx, 1), min(128, ctx), key=f"{key}_max_tokens",
                                              disabled=params_locked())
    with c2:
        d, h = _help(caps, "seed", tr("param.seed_help"))
        seed = st.text_input(tr("param.seed"), "42", key=f"{key}_seed", disabled=d, help=h)
        out["seed"] = int(seed) if seed.strip().lstrip("-").isdigit() else None
    d, h = _help(caps, "top_logprobs")
    max_lp = caps.max_top_logprobs if caps else 20
    if max_lp:
        out["top_logprobs"] = int(st.slider(tr("param.top_logprobs"), 0, max_lp, min(5, max_lp), key=f"{key}_top_logprobs", disabled=d, help=h))
    else:
        out["top_logprobs"] = 0
    if caps is not None and caps.logprobs_note:
        st.caption(caps.logprobs_note)
    stop = st.text_area(tr("param.stop"), "", key=f"{key}_stop", height=68)
    out["stop"] = parse_stop_lines(stop)
    return fit_to_capabilities(out, caps) if caps is not None else out


def whole(n: int) -> str:
    """A whole number as the person reads it: 999 999 999 in French (narrow no-break spaces), 999,999,999 in English."""
    text = f"{n:,}"
    return text.replace(",", "\u202f") if lang() == "fr" else text


def bounded_int_input(label: str, lo: int, hi: int, default: int, key: str, where=None, **kwargs) -> int:
    """A whole-number box that always shows the value that is sent.

    With Streamlit's own min/max, a value typed outside them (0, 999999999) stays displayed in
    the box while the previous value is the one used. Here the box has no bounds of its own: a
    value outside [lo, hi] is brought to the nearest bound in the box itself, with a note saying
    so. A bound that moved (another model, a smaller context) brings the value along the same way.
    `where` is the column or container to draw in (default: the page)."""
    where = where or st
    note_key = f"{key}__bounded"

    def bring_within() -> None:
        raw = st.session_state.get(key)
        typed = default if raw is None else int(raw)
        value = min(max(typed, lo), hi)
        st.session_state[key] = value
        st.session_state[note_key] = (typed, value) if value != typed else None

    current = st.session_state.get(key)
    if current is not None and not lo <= int(current) <= hi:
        bring_within()  # before the box is drawn: a bound moved since the value was typed
    if key not in st.session_state:
        kwargs["value"] = default
    value = int(where.number_input(label, step=1, format="%d", key=key, on_change=bring_within, **kwargs))
    note = st.session_state.get(note_key)
    if note and note[1] == value:
        where.caption(tr("widget.brought_within", label=label, typed=whole(note[0]), lo=whole(lo), hi=whole(hi),
                      value=whole(value)))
    return value


def params_state(key: str, request: GenerationRequest) -> dict[str, object]:
    """The session-state values that make params_form(key, …) show this request's parameters."""
    return {
        f"{key}_temperature": float(request.temperature),
        f"{key}_top_p": float(request.top_p),
        f"{key}_top_k": int(request.top_k),
        f"{key}_min_p": float(request.min_p),
        f"{key}_max_tokens": int(request.max_tokens),
        f"{key}_seed": "" if request.seed is None else str(request.seed),
        f"{key}_top_logprobs": int(request.top_logprobs),
        f"{key}_stop": "\n".join(request.stop),
    }


def parse_stop_lines(text: str) -> tuple[str, ...]:
    """One stop sequence per line; `\\n` and `\\t` typed literally mean a newline / a tab.
    (Only those two: a general unescape breaks accented text and a trailing backslash.)"""
    return tuple(line.replace("\\n", "\n").replace("\\t", "\t") for line in text.splitlines() if line)


def error_text(r: Result, language: str | None = None) -> str:
    """A column's error in the UI's language: fully translated when the error has a code,
    otherwise a translated lead-in before the backend's own (English) explanation."""
    code = language or lang()
    if r.error_code and f"error.{r.error_code}" in catalogue():
        try:
            return translate(f"error.{r.error_code}", code, **r.error_params)
        except (KeyError, IndexError, ValueError):
            pass
    kind_key = f"error.kind.{r.error_kind}" if r.error_kind and f"error.kind.{r.error_kind}" in catalogue() else "error.kind.error"
    lead = translate(kind_key, code)
    return f"{lead} — {r.error}" if r.error else lead


def exception_text(exc: ProviderError, language: str | None = None) -> str:
    """A ProviderError in the UI's language when its code is in the catalogue, else its message."""
    code = language or lang()
    if exc.code and f"error.{exc.code}" in catalogue():
        try:
            return translate(f"error.{exc.code}", code, **exc.params)
        except (KeyError, IndexError, ValueError):
            pass
    return exc.message


def output_html(text: str) -> str:
    """Model text exactly as produced: escaped, whitespace kept. Markdown rendering would hide
    `<|im_start|>`-style tokens, turn `$…$` into maths and let a remote model make the
    viewer's browser fetch images."""
    return f'<div class="pg-output" style="white-space:pre-wrap;overflow-wrap:anywhere">{html.escape(text)}</div>'


def num(v: float | int | None, digits: int = 0) -> str:
    """A number as the UI's language writes it (French: 40,5 and 49 152)."""
    return tr("common.none") if v is None else format_number(v, digits, lang())


def frame_numbers(frame: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """A table's numbers written as the UI's language writes them (French: 0,123 and 49 152):
    whole-number columns without decimals, the others with `digits`; missing values as "—"."""
    import pandas as pd  # on the first result only (see summary_frame)

    out = frame.copy()
    for col in out.columns:
        values = out[col]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        whole = values.dropna().apply(lambda v: float(v).is_integer()).all()
        out[col] = [tr("common.none") if pd.isna(v) else num(v, 0 if whole else digits) for v in values]
    return out


def caption_html(text: str, cls: str = "pg-caption") -> str:
    """Caption-looking text, escaped and wrapped: never read as Markdown (a prompt's "# " or "$"),
    never cut (long model names in narrow columns wrap)."""
    return (f'<div class="{cls}" style="font-size:0.875rem;opacity:0.7;white-space:pre-wrap;'
            f'overflow-wrap:anywhere;margin-bottom:0.5rem">{html.escape(text)}</div>')


def _fmt(v: float | None, unit: str = "", digits: int = 2) -> str:
    return tr("common.none") if v is None else num(v, digits) + unit.replace(" ", NNBSP)


def finish_label(reason: str | None) -> str:
    """A finish reason in the UI's language (the backend's own word when it is not a known one)."""
    if reason in ("stop", "length", "cancelled", "error"):
        return tr(f"finish.{reason}")
    return reason or tr("common.none")


def metrics_html(r: Result | None = None, live: LiveMetrics | None = None) -> str:
    """One compact block of metrics (escaped HTML), used live and at the end."""
    if r is not None:
        tok = "" if r.completion_tokens is None else num(r.completion_tokens)
        if r.tokens_estimated and r.completion_tokens is not None:
            tok += f" ({tr('metric.estimated')})"
        finish = finish_label(r.finish_reason)
        items = [
            ("prompt_tokens", tr("metric.prompt_tokens"), num(r.prompt_tokens)),
            ("completion_tokens", tr("metric.completion_tokens"), tok or "—"),
            *([("queue", tr("metric.queue"), _fmt(r.queue_s, " s", 2))] if r.queue_s is not None else []),
            ("ttft", tr("metric.ttft"), _fmt(r.ttft_s, " s", 3)),
            ("total", tr("metric.total"), _fmt(r.total_s, " s", 2)),
            ("tok_s", tr("metric.tok_s"), _fmt(r.tokens_per_s, "", 1)),
            ("chars_s", tr("metric.chars_s"), _fmt(r.chars_per_s, "", 0)),
            ("finish", tr("metric.finish"), finish),
        ]
    else:
        lv = live or LiveMetrics(0.0, None, 0, None, 0)
        items = [("elapsed", tr("metric.elapsed"), _fmt(lv.elapsed_s, " s", 1))]
        if lv.queue_position is not None:
            items.append(("queue_position", tr("metric.queue_position"), num(lv.queue_position)))
            items.append(("queue_wait", tr("metric.queue_wait"), _fmt(lv.queue_wait_s, " s", 0)))
        elif lv.queue_s is not None:
            items.append(("queue", tr("metric.queue"), _fmt(lv.queue_s, " s", 2)))
        items += [
            ("ttft", tr("metric.ttft"), _fmt(lv.ttft_s, " s", 3)),
            ("completion_tokens", tr("metric.tokens"), num(lv.tokens)),
            ("tok_s", tr("metric.tok_s"), _fmt(lv.tokens_per_s, "", 1)),
        ]
    cells = "".join(
        f'<span class="pg-metric pg-metric-{k}" style="margin-right:0.9em;display:inline-block;max-width:100%">'
        f'<span style="opacity:0.65">{html.escape(label)}</span> <b>{html.escape(value)}</b></span>'
        for k, label, value in items
    )
    return f'<div class="pg-metrics" style="font-size:0.85em;line-height:1.8">{cells}</div>'


_PARAMS = ("temperature", "top_p", "top_k", "min_p", "seed", "max_tokens")


def _param_columns(requests: list[GenerationRequest | None]) -> list[str]:
    """Temperature always, and every other parameter whose value differs between the columns:
    two columns of the same model must show what tells them apart."""
    reqs = [q for q in requests if q is not None]
    return [p for p in _PARAMS if p == "temperature" or len({getattr(q, p) for q in reqs}) > 1] if reqs else []


def summary_frame(results: list[Result], requests: list[GenerationRequest | None] | None = None) -> pd.DataFrame:
    """One row per column; numbers written as the UI's language writes them (40,5 · 49 152)."""
    # pandas is imported here, on the first result: it is the largest import of the Compare
    # page (a third of its first run on 2 cores, bench/startup.py), and a visitor who has not
    # run anything yet needs none of it
    import pandas as pd

    requests = list(requests or [None] * len(results))
    params = _param_columns(requests)
    rows = []
    for i, (r, q) in enumerate(zip(results, requests)):
        row = {"#": i + 1, tr("param.model"): r.model}
        for p in params:
            v = getattr(q, p) if q is not None else None
            row[tr(f"summary.{p}")] = tr("common.none") if v is None else (num(v, 2) if isinstance(v, float) else num(v))
        row.update({
            tr("metric.prompt_tokens"): num(r.prompt_tokens),
            tr("metric.completion_tokens"): num(r.completion_tokens),
            f"{tr('metric.queue')} (s)": num(r.queue_s, 3),
            "TTFT (s)": num(r.ttft_s, 3),
            f"{tr('metric.total')} (s)": num(r.total_s, 3),
            tr("metric.tok_s"): num(r.tokens_per_s, 1),
            tr("metric.chars_s"): num(r.chars_per_s, 0),
            tr("metric.finish"): finish_label(r.finish_reason),
            tr("common.error"): r.error or "",
        })
        rows.append(row)
    return pd.DataFrame(rows)


def plotly_locale(fig: go.Figure) -> go.Figure:
    """Axis ticks and hover numbers with the UI language's separators (French: 40,5 and 49 152)."""
    fig.update_layout(separators=f",{NNBSP}" if lang() == "fr" else ".,")
    return fig


def summary_chart(results: list[Result], requests: list[GenerationRequest | None] | None = None) -> go.Figure:
    """Latency (TTFT, total) and decode speed per column, side by side. Bars are named by column
    number (the table says which model and parameters): four long model ids would not fit."""
    requests = list(requests or [None] * len(results))
    names = [tr("compare.column", n=i + 1) for i in range(len(results))]
    hover = [f"{r.model}" + (f" · T={num(q.temperature, 2)}" if q is not None else "") for r, q in zip(results, requests)]
    fig = make_subplots(rows=1, cols=2, subplot_titles=(f"{tr('metric.ttft')} / {tr('metric.total')} (s)", tr("metric.tok_s")))
    if any(r.queue_s for r in results):
        fig.add_bar(x=names, y=[r.queue_s for r in results], name=tr("metric.queue"), row=1, col=1, customdata=hover)
    fig.add_bar(x=names, y=[r.ttft_s for r in results], name=tr("metric.ttft"), row=1, col=1, customdata=hover)
    fig.add_bar(x=names, y=[r.total_s for r in results], name=tr("metric.total"), row=1, col=1, customdata=hover)
    fig.add_bar(x=names, y=[r.tokens_per_s for r in results], name=tr("metric.tok_s"), row=1, col=2, customdata=hover)
    fig.update_traces(hovertemplate="%{customdata}<br>%{fullData.name}: %{y:.3f}<extra></extra>")
    # the legend sits above the plots, clear of the x axis labels
    fig.update_layout(barmode="group", height=360, margin=dict(l=10, r=10, t=80, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.12, x=0))
    return plotly_locale(fig)
