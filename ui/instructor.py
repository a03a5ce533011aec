"""Instructor mode, minimal: who may pull or delete models. (The instructor-mode work replaces
this module; the models page only calls `can_manage_models()`.)"""

from __future__ import annotations

import streamlit as st

from playground.config import load_secrets


def instructor_mode_enabled() -> bool:
    """On when secrets.toml has an [instructor] password."""
    try:
        return bool((load_secrets().get("instructor", {}) or {}).get("password"))
    except ValueError:
        return False


def is_instructor() -> bool:
    return bool(st.session_state.get("instructor_unlocked"))


def can_manage_models() -> bool:
    return not instructor_mode_enabled() or is_instructor()
