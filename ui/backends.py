"""Backend status for the sidebar, provider extras under a result, and session-only endpoints."""

from __future__ import annotations

import html
import re

import streamlit as st

from playground.config import AppConfig, load_config, session_allow_private_hosts
from playground.runner import Result
from providers.backends import make_session_provider as build
from ui.common import models, registry, tr

SESSION_KEY = "session_providers"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


@st.cache_resource(show_spinner=False)
def app_config():
    """The server's configuration (read once per process; keys stay inside provider objects).
    A configuration that cannot be used reads as none (the sidebar says why)."""
    try:
        return load_config()
    except (ValueError, TypeError, AttributeError):
        return AppConfig()


def sidebar_status() -> None:
    """One line per backend: green when its model list answered in the last 30 s."""
    try:
        _, errors = models()
        names = registry().names
    except Exception:  # the sidebar must never break a page
        return
    parts = []
    for name in names:
        down = name in errors
        # a coloured dot rather than an emoji: emoji fonts are missing on some projector machines
        dot = f'<span style="color:{"#c62828" if down else "#2e7d32"}">●</span>'
        tip = html.escape(errors[name] if down else tr("backends.status_ok"), quote=True)
        parts.append(f'<span title="{tip}" class="pg-backend pg-backend-{"down" if down else "up"}">{dot} {html.escape(name)}</span>')
    st.sidebar.markdown(
        f'<div style="font-size:0.85em" title="{html.escape(tr("backends.sidebar_help"), quote=True)}">'
        f'<b>{html.escape(tr("sidebar.backends"))}</b><br>' + " · ".join(parts) + "</div>",
        unsafe_allow_html=True,
    )


def result_extras(r: Result) -> None:
    """Cost, serving provider, cold load and host reported by a remote backend."""
    bits = []
    if r.extra.get("cost") is not None:
        bits.append(tr("backends.extra_cost", cost=f"{float(r.extra['cost']):.6f}"))
    if r.extra.get("served_by"):
        bits.append(tr("backends.extra_served_by", who=r.extra["served_by"]))
    if r.extra.get("cold_load"):
        bits.append(tr("backends.extra_cold"))
    if r.extra.get("host"):
        bits.append(tr("backends.extra_host", host=r.extra["host"]))
    if bits:
        st.caption(" · ".join(str(b) for b in bits))


def session_providers() -> dict:
    return st.session_state.setdefault(SESSION_KEY, {})


def make_session_provider(kind: str, name: str, url: str | None, key: str | None):
    """A provider that lives in this browser session only, with the key the visitor typed (or none).

    The server's keys are never involved: the provider is built from these fields alone. Unless
    the server allows it, the host must resolve to public addresses only (raises BlockedHost).
    """
    cfg = app_config().remote
    return build(kind, name, url, key, timeouts=cfg.timeouts if cfg else None, retry=cfg.retry if cfg else None,
                 allow_private_hosts=session_allow_private_hosts())
