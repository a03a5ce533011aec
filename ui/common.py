"""Shared Streamlit plumbing: the language in session state, `tr`, the cached registry."""

from __future__ import annotations

import time

import streamlit as st

from playground.config import describe_config_error, registry_or_embedded
from playground.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate, translate_n
from playground.listing import Listing
from providers.registry import Registry


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANGUAGE)


def tr(key: str, **kwargs: object) -> str:
    return translate(key, lang(), **kwargs)


def trn(key: str, n: float, **kwargs: object) -> str:
    """`tr` with the grammatical number of `n` (the catalogue's `key.one` for one; {n} is formatted)."""
    return translate_n(key, n, lang(), **kwargs)


def _starting_language() -> str:
    """The language a new session starts in: the URL's `?lang=` (it survives a reload), else French."""
    asked = st.query_params.get("lang")
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


LANG_WIDGET = "lang_select"


def _language_chosen() -> None:
    st.session_state["lang"] = st.session_state[LANG_WIDGET]


def language_switch() -> None:
    """The sidebar's language switch. The language lives under the plain key "lang" (read by `tr`),
    which Streamlit never drops; the widget only changes it, through its callback. It starts from
    the `?lang=` of the URL (kept in sync, so a reload or a shared link keeps the language)."""
    if st.session_state.get("lang") not in LANGUAGES:
        st.session_state["lang"] = _starting_language()
    options = list(LANGUAGES)
    if st.session_state.get(LANG_WIDGET) != st.session_state["lang"]:
        st.session_state[LANG_WIDGET] = st.session_state["lang"]  # set by another page or a test
    # One label in both languages: it finds the switch whatever the current language.
    st.sidebar.selectbox(
        " / ".join(translate("sidebar.language", code) for code in LANGUAGES),
        options=options,
        format_func=lambda code: LANGUAGES[code],
        key=LANG_WIDGET,
        on_change=_language_chosen,
    )
    chosen = st.session_state["lang"]
    if st.query_params.get("lang", DEFAULT_LANGUAGE) != chosen:
        st.query_params["lang"] = chosen  # a reload (or a shared link) opens in the same language


@st.cache_resource(show_spinner=False)
def _shared_registry_and_error():
    # One registry per process: embedded models load once and are shared by every session.
    # A typo in secrets.toml must not blank the app on the projector: the embedded models keep
    # running and the error says what is wrong where (never a path, never a value).
    return registry_or_embedded()


def server_registry() -> Registry:
    """The process-wide registry of the backends configured on the server."""
    return _shared_registry_and_error()[0]


def session_id() -> str:
    """This browser session's id, for the room's per-session limits (never shown)."""
    if "_session_id" not in st.session_state:
        import uuid

        st.session_state["_session_id"] = uuid.uuid4().hex
    return st.session_state["_session_id"]


def browser_connected() -> bool:
    """Is this session's browser still there? A closed tab does not stop a running script, so
    long loops ask (Streamlit's runtime knows; outside a server, say yes)."""
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is None or not Runtime.exists():
            return True
        return Runtime.instance().is_active_session(ctx.session_id)
    except Exception:  # an internal API moved: never stop a run because of it
        return True


def config_error() -> str | None:
    """Why the server configuration could not be read, if it could not (in the person's language)."""
    problem = _shared_registry_and_error()[1]
    return None if problem is None else describe_config_error(problem, lang())


def registry():
    """The process-wide registry, plus any endpoints this browser session added itself."""
    base = server_registry()
    session_extra = st.session_state.get("session_providers")
    if session_extra:
        return base.with_providers(session_extra)
    return base


@st.cache_resource(show_spinner=False)
def _shared_models() -> Listing:
    # Served at once even when stale, listed again in the background: a backend that is down
    # never makes a visitor wait for its timeout after the first listing (playground/listing.py).
    return Listing(server_registry().list_models, ttl_s=30.0)  # the registry's method: no Streamlit call off the script thread


def forget_shared_models() -> None:
    """A model was pulled or deleted: every picker, in every session, lists afresh on its next run.
    (Callable from any thread: a download finishing in the background.)"""
    _shared_models.clear()


def forget_models() -> None:
    """forget_shared_models(), and this session's list of its own endpoints' models."""
    forget_shared_models()
    st.session_state.pop("_session_models", None)


SESSION_MODELS_TTL_S = 30.0


def models():
    """(models, errors) of every provider. A visitor's own endpoints are listed at most every
    30 s too (kept in their session), so a slider move never waits on the network."""
    models, errors = _shared_models().get()
    models, errors = list(models), dict(errors)
    providers = st.session_state.get("session_providers") or {}
    if providers:
        cache = st.session_state.setdefault("_session_models", {})
        now = time.monotonic()
        key = tuple(sorted(providers))
        hit = cache.get(key)
        if hit is None or now - hit[0] > SESSION_MODELS_TTL_S:
            hit = (now, *Registry(providers).list_models())
            cache.clear()
            cache[key] = hit
        models.extend(hit[1])
        errors.update(hit[2])
    return models, errors
