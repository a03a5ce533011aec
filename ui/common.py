"""Shared Streamlit plumbing: the language in session state, `tr`, the cached registry."""

from __future__ import annotations

import threading

import streamlit as st

from playground.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate

_RUN = threading.local()


def mark_app_run(active: bool) -> None:
    """app.py marks the script runs that go through its navigation (see `ensure_app`)."""
    _RUN.via_app = active


def ensure_app() -> None:
    """Make a page opened by its own URL run inside app.py (sidebar, language, navigation).

    Streamlit runs a `pages/` file on its own (its old multipage mode) when the first visit
    to a fresh server is a direct link such as /settings, before any session has called
    st.navigation. We switch that mode off exactly as st.navigation itself does, and rerun:
    the rerun goes through app.py and lands on the same page."""
    if getattr(_RUN, "via_app", False) or st.session_state.get("_ensure_app_rerun"):
        return  # (once only: a page run on its own, e.g. by a test, then just renders)
    st.session_state["_ensure_app_rerun"] = True
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANGUAGE)


def tr(key: str, **kwargs: object) -> str:
    return translate(key, lang(), **kwargs)


def language_switch() -> None:
    if "lang" not in st.session_state:
        st.session_state["lang"] = DEFAULT_LANGUAGE
    st.sidebar.selectbox(
        translate("sidebar.language", st.session_state["lang"]),
        options=list(LANGUAGES),
        format_func=lambda code: LANGUAGES[code],
        key="lang",
    )


@st.cache_resource(show_spinner=False)
def _shared_registry():
    # One registry per process: embedded models load once and are shared by every session.
    from playground.config import build_registry

    return build_registry()


def registry():
    """The process-wide registry, plus any endpoints this browser session added itself."""
    base = _shared_registry()
    session_extra = st.session_state.get("session_providers")
    if session_extra:
        from providers.registry import Registry

        merged = dict(base._providers)
        merged.update(session_extra)
        return Registry(merged)
    return base


@st.cache_data(ttl=30, show_spinner=False)
def _shared_models():
    models, errors = _shared_registry().list_models()
    return models, errors


def models():
    """(models, errors) of every provider; session-only providers are listed fresh."""
    models, errors = _shared_models()
    models, errors = list(models), dict(errors)
    for name, provider in (st.session_state.get("session_providers") or {}).items():
        try:
            models.extend(provider.list_models())
        except Exception as exc:
            errors[name] = str(exc)
    return models, errors
