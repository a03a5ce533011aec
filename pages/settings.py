"""Settings page: every configured backend with a connection test, and session-only endpoints."""

from __future__ import annotations

import streamlit as st

from playground.config import session_allow_private_hosts
from playground.room import ROOM
from providers.backends import BY_KIND, RESERVED_NAMES, SESSION_KINDS
from providers.embedded import engines
from providers.netguard import BlockedHost, UnresolvableHost
from providers.registry import Registry
from ui.backends import NAME_RE, app_config, make_session_provider, session_providers
from ui.common import registry, server_registry, tr
from ui.shell import ensure_app

PROBES = "settings_probes"  # name -> probe result, per session


def reason_key(reason: str) -> str:
    """The catalogue key of a BlockedHost reason ("link-local" -> settings.reason_link_local)."""
    return "settings.reason_" + reason.replace(" ", "_").replace("-", "_")


def probe(reg: Registry, name: str) -> dict:
    """Reachable? version, model count, latency — never raises."""
    res = reg.probe(name)
    if res.get("in_process"):
        res = {**res, "version": tr("settings.embedded_version")}
    return res


def show_status(name: str) -> None:
    res = st.session_state.get(PROBES, {}).get(name)
    if res is None:
        st.caption(tr("settings.not_tested"))
    elif res.get("reachable"):
        st.success(icon=":material/check_circle:", body=tr("settings.reachable", version=res.get("version") or "—", models=res.get("models", 0), latency=res.get("latency_ms")))
    else:
        st.error(icon=":material/error:", body=tr("settings.unreachable", latency=res.get("latency_ms"), error=res.get("error", "")))


def backend_row(reg: Registry, name: str, key_prefix: str, removable: bool = False) -> None:
    about = reg.describe(name)
    kind, host, has_key = about.kind, about.address or tr("common.none"), about.has_key
    with st.container(border=True):
        c1, c2, c3 = st.columns([3, 4, 2])
        c1.markdown(f"**{name}**  \n" + tr("settings.kind_line", kind=kind))
        c2.markdown(tr("settings.host_line", host=host) + "  \n"
                    + tr("settings.key_line", state=tr("settings.key_set") if has_key else tr("settings.key_none")))
        if c3.button(tr("settings.test"), key=f"{key_prefix}_test_{name}", width="stretch"):
            st.session_state.setdefault(PROBES, {})[name] = probe(reg, name)
        if removable and c3.button(tr("settings.session_remove"), key=f"{key_prefix}_rm_{name}", width="stretch"):
            session_providers().pop(name, None)
            st.session_state.get(PROBES, {}).pop(name, None)
            st.rerun()
        show_status(name)


def session_form(taken: list[str]) -> None:
    with st.form("settings_session_form", clear_on_submit=False):
        kind = st.selectbox(tr("settings.session_kind"), list(SESSION_KINDS), format_func=lambda k: tr(BY_KIND[k].label_key),
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
    if BY_KIND[kind].session_needs_url and not url.startswith(("http://", "https://")):
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
    st.session_state.setdefault(PROBES, {})[name] = probe(Registry({name: provider}), name)
    st.success(tr("settings.session_added", name=name))


def _server_section() -> list[str]:
    server = server_registry()
    st.subheader(tr("settings.server_backends"))
    if st.button(tr("settings.test_all"), key="settings_test_all"):
        for name in server.names:
            st.session_state.setdefault(PROBES, {})[name] = probe(server, name)
    for name in server.names:
        backend_row(server, name, "srv")
    if len(server.names) <= 1:
        st.info(tr("settings.none_configured"))
    return server.names


def _session_section(server_names: list[str]) -> None:
    st.subheader(tr("settings.session_title"))
    remote = app_config().remote
    if remote is not None and not remote.allow_session_endpoints:
        st.info(tr("settings.session_disabled"))
        return
    st.caption(tr("settings.session_intro"))
    if not session_allow_private_hosts():
        st.caption(tr("settings.session_public_only"))
    mine = session_providers()
    session_form(taken=sorted(set(server_names) | set(mine) | set(RESERVED_NAMES)))
    if mine:  # after the form, so an endpoint just added shows at once
        st.markdown(f"**{tr('settings.session_list')}**")
        reg = Registry(mine)
        for name in list(mine):
            backend_row(reg, name, "ses", removable=True)


def _room_section() -> None:
    """What the embedded models are doing for the room right now, and the limits in force."""
    st.subheader(tr("settings.room_title"))
    limits = ROOM.limits
    none = tr("settings.room_no_limit")
    st.caption(tr("settings.room_limits", runs=limits.max_runs_per_session or none,
                  tokens=limits.max_tokens or none, active=limits.max_active_per_model or none))
    rows = []
    for engine in engines().values():
        load = engine.load()
        rows.append({
            tr("settings.room_model"): engine.model.name,
            tr("settings.room_active"): load["active"],
            tr("settings.room_queued"): load["queued"],
            tr("settings.room_max_active"): load["max_active"],
            tr("settings.room_rows"): load["rows_per_decode"],
            tr("settings.room_threads"): load["threads"],
            tr("settings.room_shared"): load["prompt_tokens_shared"],
        })
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.caption(tr("settings.room_idle"))


def page() -> None:
    ensure_app()
    st.title(tr("settings.title"))
    st.caption(tr("settings.intro"))
    names = _server_section()
    _session_section(names)
    _room_section()
    registry()  # keep the merged registry warm for the Compare page


page()
