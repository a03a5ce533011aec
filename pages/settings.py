"""Settings page: every configured backend with a connection test, and session-only endpoints."""

from __future__ import annotations

import time

import streamlit as st

from playground.config import session_allow_private_hosts
from providers.netguard import BlockedHost, UnresolvableHost
from ui.backends import NAME_RE, app_config, make_session_provider, session_providers
from ui.common import _shared_registry, registry, tr
from ui.shell import ensure_app

PROBES = "settings_probes"  # name -> probe result, per session
KIND_LABELS = {"compatible": "settings.kind_compatible", "openai": "settings.kind_openai",
               "openrouter": "settings.kind_openrouter", "ollama": "settings.kind_ollama"}


def reason_key(reason: str) -> str:
    """The catalogue key of a BlockedHost reason ("link-local" -> settings.reason_link_local)."""
    return "settings.reason_" + reason.replace(" ", "_").replace("-", "_")


def probe(provider) -> dict:
    """Reachable? version, model count, latency — never raises."""
    if hasattr(provider, "probe"):
        return provider.probe()
    t0 = time.perf_counter()
    try:  # the embedded provider: listing its bundled models is the test
        n = len(provider.list_models())
    except Exception as exc:
        return {"reachable": False, "error": str(exc), "latency_ms": round((time.perf_counter() - t0) * 1000, 1)}
    return {"reachable": True, "version": tr("settings.embedded_version"), "models": n, "latency_ms": round((time.perf_counter() - t0) * 1000, 1)}


def describe(provider) -> tuple[str, str, bool]:
    """(kind, address, has_key) of a provider — the key itself is never read here."""
    cfg = getattr(provider, "config", None)
    kind = getattr(provider, "kind", None) or ("ollama" if type(provider).__name__ == "OllamaProvider" else "embedded")
    host = getattr(provider, "label", None) or tr("common.none")
    return kind, host, bool(getattr(cfg, "api_key", None))


def show_status(name: str) -> None:
    res = st.session_state.get(PROBES, {}).get(name)
    if res is None:
        st.caption(tr("settings.not_tested"))
    elif res.get("reachable"):
        st.success(tr("settings.reachable", version=res.get("version") or "—", models=res.get("models", 0), latency=res.get("latency_ms")))
    else:
        st.error(tr("settings.unreachable", latency=res.get("latency_ms"), error=res.get("error", "")))


def backend_row(name: str, provider, key_prefix: str, removable: bool = False) -> None:
    kind, host, has_key = describe(provider)
    with st.container(border=True):
        c1, c2, c3 = st.columns([3, 4, 2])
        c1.markdown(f"**{name}**  \n" + tr("settings.kind_line", kind=kind))
        c2.markdown(tr("settings.host_line", host=host) + "  \n"
                    + tr("settings.key_line", state=tr("settings.key_set") if has_key else tr("settings.key_none")))
        if c3.button(tr("settings.test"), key=f"{key_prefix}_test_{name}", width="stretch"):
            st.session_state.setdefault(PROBES, {})[name] = probe(provider)
        if removable and c3.button(tr("settings.session_remove"), key=f"{key_prefix}_rm_{name}", width="stretch"):
            session_providers().pop(name, None)
            st.session_state.get(PROBES, {}).pop(name, None)
            st.rerun()
        show_status(name)


def session_form(taken: list[str]) -> None:
    with st.form("settings_session_form", clear_on_submit=False):
        kind = st.selectbox(tr("settings.session_kind"), list(KIND_LABELS), format_func=lambda k: tr(KIND_LABELS[k]),
                            key="settings_kind")
        name = st.text_input(tr("settings.session_name"), "", key="settings_name", placeholder=tr("settings.session_name_placeholder"))
        url = st.text_input(tr("settings.session_url"), "", key="settings_url", help=tr("settings.session_url_help"))
        key = st.text_input(tr("settings.session_key"), "", type="password", key="settings_key")
        submitted = st.form_submit_button(tr("settings.session_add"))
    if not submitted:
        return
    name = name.strip().lower()
    url = url.strip()
    if not NAME_RE.match(name) or name in taken:
        st.error(tr("settings.bad_name", taken=", ".join(taken)))
        return
    if kind in ("compatible", "ollama") and not url.startswith(("http://", "https://")):
        st.error(tr("settings.bad_url"))
        return
    if url and not url.startswith(("http://", "https://")):
        st.error(tr("settings.bad_url"))
        return
    try:
        provider = make_session_provider(kind, name, url or None, key.strip() or None)
    except BlockedHost as exc:
        st.error(tr("settings.blocked_host", host=exc.host, address=exc.address, reason=tr(reason_key(exc.reason))))
        return
    except UnresolvableHost:
        st.error(tr("settings.unresolvable_host"))
        return
    except Exception as exc:
        st.error(tr("settings.session_failed", error=str(exc)))
        return
    session_providers()[name] = provider
    st.session_state.setdefault(PROBES, {})[name] = probe(provider)
    st.success(tr("settings.session_added", name=name))


def page() -> None:
    ensure_app()
    st.title(tr("settings.title"))
    st.caption(tr("settings.intro"))

    server = _shared_registry()
    st.subheader(tr("settings.server_backends"))
    if st.button(tr("settings.test_all"), key="settings_test_all"):
        for name in server.names:
            st.session_state.setdefault(PROBES, {})[name] = probe(server.get(name))
    for name in server.names:
        backend_row(name, server.get(name), "srv")
    if len(server.names) <= 1:
        st.info(tr("settings.none_configured"))

    st.subheader(tr("settings.session_title"))
    remote = app_config().remote
    if remote is not None and not remote.allow_session_endpoints:
        st.info(tr("settings.session_disabled"))
        return
    st.caption(tr("settings.session_intro"))

    if not session_allow_private_hosts():
        st.caption(tr("settings.session_public_only"))
    mine = session_providers()
    session_form(taken=sorted(set(server.names) | set(mine) | {"embedded", "ollama", "openai", "azure", "openrouter"}))
    if mine:  # after the form, so an endpoint just added shows at once
        st.markdown(f"**{tr('settings.session_list')}**")
        for name, provider in list(mine.items()):
            backend_row(name, provider, "ses", removable=True)
    registry()  # keep the merged registry warm for the Compare page


page()
