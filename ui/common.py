"""Shared Streamlit plumbing: the language in session state, `tr`, the cached registry."""

from __future__ import annotations

import streamlit as st

from playground.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANGUAGE)


def tr(key: str, **kwargs: object) -> str:
    return translate(key, lang(), **kwargs)


def language_switch() -> None:
    if "lang" not in st.session_state:
        st.session_state["lang"] = DEFAULT_LANGUAGE
    # One label in both languages: it finds the switch whatever the current language, and a
    # stable label keeps the widget's identity (its value survives the switch).
    st.sidebar.selectbox(
        " / ".join(translate("sidebar.language", code) for code in LANGUAGES),
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
