"""Models page: every model with what it is and where it runs; pull one into Ollama or download
a GGUF from the Hugging Face hub (progress, cancel); delete one, after a confirmation.

The work is in playground.models (inventory, PullJob, remove); this page draws it. A pull runs
in a thread the page polls (a fragment redrawn twice a second), so Cancel answers at once."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from playground.i18n import catalogue
from playground.models import (
    CURATED,
    OLLAMA_SUGGESTIONS,
    ModelRow,
    PullJob,
    PullTarget,
    format_label,
    format_number,
    format_percent,
    format_size,
    inventory,
    ollama_hosts,
    remove,
)
from providers.base import ProviderError
from providers.hf_download import parse_hub_file
from providers.registry import Registry
from ui.common import forget_models, forget_shared_models, lang, registry, server_registry, tr
from ui.instructor import can_manage_models
from ui.shell import ensure_app

JOB = "models_job"  # the running PullJob of this session
FLASH = "models_flash"  # ("success" | "error", message) shown once after a pull or delete
CONFIRM = "models_confirm_delete"  # the model id waiting for "Yes, delete"


def error_message(exc: ProviderError) -> str:
    """A pull's or deletion's error in the person's language (the English message otherwise)."""
    key = f"error.{exc.code}"
    if exc.code and key in catalogue():
        try:
            return tr(key, **exc.params)
        except (KeyError, IndexError, ValueError):
            pass
    return exc.message


@st.cache_data(ttl=30, show_spinner=False)
def _server_inventory() -> tuple[list[ModelRow], dict[str, str]]:
    return inventory(server_registry())


def _inventory() -> tuple[list[ModelRow], dict[str, str]]:
    """The server's models (shared, listed at most every 30 s) plus this visitor's own endpoints'."""
    rows, errors = _server_inventory()
    rows, errors = list(rows), dict(errors)
    extra = st.session_state.get("session_providers") or {}
    if extra:
        more, failed = inventory(Registry(extra))
        rows.extend(more)
        errors.update(failed)
    return rows, errors


def _where(row: ModelRow) -> str:
    if row.kind == "embedded":
        return tr("models.where_inprocess", file=Path(row.where).name if row.where else "—")
    return row.where or "—"


def _table_section() -> list[ModelRow]:
    rows, errors = _inventory()
    for provider, error in errors.items():
        st.warning(tr("models.backend_error", provider=provider, error=error))
    if not rows:
        st.info(tr("models.empty"))
        return rows
    code = lang()
    st.dataframe([{
        tr("models.col.model"): r.id,
        tr("models.col.family"): r.family or "—",
        tr("models.col.parameters"): format_label(r.parameters, code),
        tr("models.col.quantization"): r.quantization or "—",
        tr("models.col.size"): format_size(r.size_bytes, code),
        tr("models.col.context"): format_number(r.context_length, code),
        tr("models.col.where"): _where(r),
        tr("models.col.source"): tr(f"models.source.{r.source}") if r.source else r.kind,
    } for r in rows], hide_index=True, width="stretch", key="models_table")
    return rows


def _start(reg: Registry, target: PullTarget) -> None:
    job = st.session_state.get(JOB)
    if job is not None and not job.done:
        st.info(tr("models.busy"))
        return
    st.session_state[JOB] = PullJob(reg, target, on_done=_forget_everywhere).start()


def _forget_everywhere() -> None:
    """Run by the pull's thread when it succeeds: every session's pickers and this table list afresh."""
    forget_shared_models()
    _server_inventory.clear()


def _ollama_tab(reg: Registry) -> None:
    hosts = ollama_hosts(reg)
    if not hosts:
        st.info(tr("models.no_ollama"))
        return
    c1, c2 = st.columns([1, 2])
    host = c1.selectbox(tr("models.ollama_host"), hosts, key="models_ollama_host")
    name = c2.text_input(tr("models.ollama_name"), OLLAMA_SUGGESTIONS[0], key="models_ollama_name",
                         help=tr("models.ollama_help", examples=", ".join(OLLAMA_SUGGESTIONS)))
    if st.button(tr("models.pull"), key="models_ollama_pull", disabled=not name.strip()):
        _start(reg, PullTarget(host, name.strip()))


def _hub_tab(reg: Registry) -> None:
    code = lang()
    labels = {c.label: c for c in CURATED}
    pick = st.selectbox(tr("models.hub_pick"), list(labels), key="models_hub_pick")
    custom = st.text_input(tr("models.hub_custom"), "", key="models_hub_custom", help=tr("models.hub_custom_help"),
                           placeholder="owner/repo/file.gguf")
    chosen = labels[pick]
    if not custom.strip():
        ram = format_size(int(chosen.ram_gb * 1e9), code)
        st.caption(tr("models.hub_size", size=format_size(chosen.size_mb * 1_000_000, code), ram=ram))
        if chosen.heavy:
            st.warning(tr("models.ram_warning", ram=ram))
    if st.button(tr("models.download"), key="models_hub_download"):
        try:
            hub = parse_hub_file(custom) if custom.strip() else chosen.hub
        except ProviderError as exc:
            st.error(error_message(exc))
            return
        _start(reg, PullTarget("embedded", hub.spec, hub))


def _progress_text(job: PullJob) -> str:
    code, ov = lang(), job.overall
    status = ov.status or "starting"
    key = "models.status.pulling" if status.startswith("pulling ") and status != "pulling manifest" else f"models.status.{status}"
    shown = tr(key) if key in catalogue() else status
    if ov.fraction is None:
        return tr("models.progress_status", label=job.target.label, status=shown)
    return tr("models.progress", label=job.target.label, status=shown, done=format_size(ov.completed, code),
              total=format_size(ov.total, code), percent=format_percent(ov.fraction, code))


@st.fragment(run_every=0.5)
def _progress() -> None:
    """The running pull, redrawn twice a second; when it ends, the whole page reruns once."""
    job = st.session_state.get(JOB)
    if job is None:
        return
    if not job.done:
        st.progress(job.overall.fraction or 0.0, text=_progress_text(job))
        st.button(tr("models.cancel"), key="models_cancel", on_click=job.cancel.set)
        return
    st.session_state.pop(JOB, None)
    if job.error is not None:
        st.session_state[FLASH] = ("error", error_message(job.error))
    else:
        forget_models()
        _server_inventory.clear()
        st.session_state[FLASH] = ("success", tr("models.pulled", model=job.model_id))
    st.rerun()


def _add_section(reg: Registry) -> None:
    st.subheader(tr("models.add_header"))
    t1, t2 = st.tabs([tr("models.tab_ollama"), tr("models.tab_hub")])
    with t1:
        _ollama_tab(reg)
    with t2:
        _hub_tab(reg)
    if st.session_state.get(JOB) is not None:
        _progress()


def _delete_section(reg: Registry, rows: list[ModelRow]) -> None:
    st.subheader(tr("models.delete_header"))
    ids = [r.id for r in rows if r.deletable]
    if not ids:
        st.caption(tr("models.delete_none"))
        return
    target = st.selectbox(tr("models.delete_pick"), ids, key="models_delete_pick")
    if st.button(tr("models.delete"), key="models_delete"):
        st.session_state[CONFIRM] = target
    pending = st.session_state.get(CONFIRM)
    if pending not in ids:
        st.session_state.pop(CONFIRM, None)
        return
    st.warning(tr("models.delete_confirm", model=pending))
    c1, c2 = st.columns(2)
    if c1.button(tr("models.delete_yes"), key="models_delete_yes", type="primary"):
        st.session_state.pop(CONFIRM, None)
        try:
            remove(reg, pending)
            st.session_state[FLASH] = ("success", tr("models.deleted", model=pending))
        except ProviderError as exc:
            st.session_state[FLASH] = ("error", error_message(exc))
        forget_models()
        _server_inventory.clear()
        st.rerun()
    if c2.button(tr("models.delete_no"), key="models_delete_no"):
        st.session_state.pop(CONFIRM, None)
        st.rerun()


def _flash() -> None:
    kind, message = st.session_state.pop(FLASH, (None, None))
    if kind:
        getattr(st, kind)(message)


def page() -> None:
    ensure_app()
    st.title(tr("models.title"))
    st.caption(tr("models.intro"))
    _flash()
    reg = registry()
    rows = _table_section()
    if not can_manage_models():
        st.info(tr("models.locked"))
        return
    _add_section(reg)
    _delete_section(reg, rows)


page()
