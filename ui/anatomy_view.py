"""Model anatomy page pieces: the model picker, the memory settings, and one column per model
(facts, memory estimate with its formula, quantization histogram, tensors by layer, template)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.anatomy import (
    ENGINE_KV_TYPE,
    KV_BYTES,
    Anatomy,
    RamEstimate,
    describes_insides,
    layer_table,
    model_anatomy,
    ram_estimate,
    type_histogram,
)
from playground.numbers import count, number, percent, size
from providers.base import ProviderError
from ui.common import lang, models, registry, tr
from ui.widgets import model_label


def pick_models() -> list[str]:
    """The models whose insides can be read (embedded first), several at once for columns."""
    all_models, _ = models()
    reg = registry()
    ids = [m.id for m in all_models if describes_insides(reg, m.id)]
    labels = {m.id: model_label(m) for m in all_models}  # in the visitor's language
    if not ids:
        st.warning(tr("anat.none"))
        return []
    if "anat_models" in st.session_state:
        st.session_state["anat_models"] = [m for m in st.session_state["anat_models"] if m in ids]
    return st.multiselect(tr("anat.models"), ids, default=ids[:1], key="anat_models", placeholder=tr("common.choose"),
                          format_func=lambda i: labels.get(i, i))


def memory_settings(anatomies: list[Anatomy]) -> tuple[int, str, int]:
    """(context, KV cache type, sequences) for the estimate; defaults to our engine's settings."""
    trained = [a.context_length for a in anatomies if a.context_length]
    top = max(trained) if trained else 32768
    engine_ctx = next((a.extra.get("engine_ctx") for a in anatomies if a.extra.get("engine_ctx")), 2048)
    max_active = next((a.extra.get("max_active") for a in anatomies if a.extra.get("max_active")), None)
    streams = next((a.extra.get("engine_streams") for a in anatomies if a.extra.get("engine_streams")), 37)
    c1, c2, c3 = st.columns(3)
    top = max(top, 512)
    if st.session_state.get("anat_ctx", 0) > top:  # a model with a shorter context replaced a longer one
        st.session_state["anat_ctx"] = top
    n_ctx = c1.slider(tr("anat.ctx"), min_value=256, max_value=top, value=min(engine_ctx, top),
                      step=256, key="anat_ctx")
    kinds = [ENGINE_KV_TYPE, "f16"]
    kv = c2.radio(tr("anat.kv_type"), kinds, key="anat_kv", format_func=lambda k: tr(f"anat.kv.{k}"))
    # our engine's max_active when an embedded model is shown; one sequence otherwise
    n_seq = c3.number_input(tr("anat.n_seq"), min_value=1, max_value=256, value=int(max_active or 1), step=1,
                            key="anat_seq", help=tr("anat.n_seq_help", n=max_active or 32, streams=streams))
    return int(n_ctx), kv, int(n_seq)


def load(model_ids: list[str]) -> list[Anatomy | str]:
    """Each model's anatomy, or the message saying why it could not be read."""
    out: list[Anatomy | str] = []
    sizes = {m.id: m.details.get("size_bytes") for m in models()[0]}  # the cached listing: no call per rerun
    for mid in model_ids:
        try:
            out.append(model_anatomy(registry(), mid, sizes.get(mid)))
        except ProviderError as exc:
            key = f"error.{exc.code}" if exc.code else ""
            out.append(tr(key, **exc.params) if key and key in _catalogue() else exc.message)
    return out


def _catalogue():
    from playground.i18n import catalogue

    return catalogue()


def _facts(a: Anatomy) -> None:
    lg = lang()
    st.caption(tr(f"anat.source.{a.source}") + (f" · {a.name}" if a.name else ""))
    c1, c2 = st.columns(2)
    c1.metric(tr("anat.params"), count(a.n_params, lg) if a.n_params else (a.size_label or "—"),
              help=number(a.n_params, lg) if a.n_params else None)
    c2.metric(tr("anat.file_size"), size(a.file_size, lg))
    c3, c4 = st.columns(2)
    c3.metric(tr("anat.quant"), a.quantization or "—")
    c4.metric(tr("anat.context"), number(a.context_length, lg))
    st.metric(tr("anat.vocab"), number(a.vocab_size, lg))
    if a.n_layer:
        st.caption(tr("anat.shape", arch=a.arch or "—", layers=a.n_layer, heads=a.n_head or "—",
                      kv=a.n_head_kv or "—", embd=number(a.n_embd, lg)))


def _ram(a: Anatomy, est: RamEstimate) -> None:
    lg = lang()
    st.metric(tr("anat.ram"), size(est.total, lg),
              help=tr("anat.ram_split", w=size(est.weights, lg), kv=size(est.kv, lg)))
    st.markdown(f'<div class="pg-ram">{tr("anat.ram_split", w=size(est.weights, lg), kv=size(est.kv, lg))}</div>',
                unsafe_allow_html=True)
    if est.kv is None:
        st.caption(tr("anat.kv_unknown"))
        return
    with st.expander(tr("anat.ram_formula"), expanded=True):
        bpe = number(KV_BYTES[est.cache_type], lg, 4).rstrip("0").rstrip(",.")
        st.code(tr("anat.ram_formula_body", layers=est.n_layer, ctx=number(est.n_ctx, lg), seq=est.n_seq,
                   kv=est.n_head_kv, k=est.k_dim, v=est.v_dim, bpe=f"{bpe} ({est.cache_type})",
                   kv_bytes=f"{number(est.kv, lg)} ({size(est.kv, lg)})",
                   w=f"{number(est.weights, lg)} ({size(est.weights, lg)})" if est.weights is not None else "—",
                   total=size(est.total, lg)), language=None)
        st.caption(tr("anat.ram_note"))
        if a.sliding_window:
            st.caption(tr("anat.swa_note", n=number(a.sliding_window, lg)))


def histogram_frame(a: Anatomy) -> pd.DataFrame:
    lg = lang()
    rows = type_histogram(a.tensors)
    total = sum(r.params for r in rows) or 1
    return pd.DataFrame([{
        tr("anat.col.type"): r.type_name,
        tr("anat.col.tensors"): r.tensors,
        tr("anat.col.params"): number(r.params, lg),
        tr("anat.col.share"): percent(r.params / total, lg),
        tr("anat.col.bytes"): size(r.bytes, lg),
        tr("anat.col.bits"): number(8 * r.bytes / r.params, lg, 2) if r.params else "—",
    } for r in rows])


def _histogram(a: Anatomy, key: str) -> None:
    st.markdown(f"**{tr('anat.hist')}**")
    if not a.tensors:
        st.caption(tr("anat.no_tensors"))
        return
    rows = type_histogram(a.tensors)
    chart = pd.DataFrame({tr("anat.col.params"): [r.params for r in rows]}, index=[r.type_name for r in rows])
    st.bar_chart(chart, horizontal=True, height=60 + 32 * len(rows))
    st.table(histogram_frame(a).set_index(tr("anat.col.type")))
    st.caption(tr("anat.hist_caption", n=len(a.tensors)))
    with st.expander(tr("anat.layers")):
        lg = lang()
        layers = pd.DataFrame([{
            tr("anat.col.layer"): tr("anat.outside") if r.layer is None else str(r.layer),
            tr("anat.col.tensors"): r.tensors,
            tr("anat.col.params"): number(r.params, lg),
            tr("anat.col.bytes"): size(r.bytes, lg),
            tr("anat.col.types"): r.types,
        } for r in layer_table(a.tensors)])
        st.dataframe(layers, hide_index=True, width="stretch", key=f"{key}_layers")


def _template(a: Anatomy) -> None:
    with st.expander(tr("anat.template")):
        if a.chat_template:
            st.code(a.chat_template, language="jinja2", wrap_lines=True)
        else:
            st.caption(tr("anat.no_template"))
    if a.parameters:
        with st.expander(tr("anat.parameters")):
            st.code(a.parameters, language=None)


def summary(model_ids: list[str], results: list[Anatomy | str], n_ctx: int, kv: str, n_seq: int) -> None:
    """Two or more models: their key figures in one table, a column each (quantizations of one
    model compare at a glance: bits per parameter, size, memory)."""
    shown = [(mid, a) for mid, a in zip(model_ids, results) if not isinstance(a, str)]
    if len(shown) < 2:
        return
    lg = lang()
    rows = {}
    for mid, a in shown:
        est = ram_estimate(a, n_ctx, kv, n_seq)
        w = a.weight_bytes
        rows[mid] = {
            tr("anat.params"): number(a.n_params, lg) if a.n_params else (a.size_label or "—"),
            tr("anat.quant"): a.quantization or "—",
            tr("anat.col.bits"): number(8 * w / a.n_params, lg, 2) if w and a.n_params else "—",
            tr("anat.file_size"): size(a.file_size, lg),
            tr("anat.context"): number(a.context_length, lg),
            tr("anat.vocab"): number(a.vocab_size, lg),
            tr("anat.ram"): size(est.total, lg),
        }
    st.markdown(f"**{tr('anat.summary')}**")
    st.table(pd.DataFrame(rows))


def columns(model_ids: list[str], results: list[Anatomy | str], n_ctx: int, kv: str, n_seq: int) -> None:
    """One column per model (up to three side by side, then a new row)."""
    per_row = min(3, len(results))
    for start in range(0, len(results), per_row):
        cols = st.columns(per_row)
        for j, res in enumerate(results[start: start + per_row]):
            mid = model_ids[start + j]
            with cols[j], st.container(border=True):
                st.markdown(f"**{mid}**")
                if isinstance(res, str):
                    st.error(res)
                    continue
                _facts(res)
                _ram(res, ram_estimate(res, n_ctx, kv, n_seq))
                _histogram(res, key=f"anat_{start + j}")
                _template(res)
