"""The UI text catalogue (French and English) and `translate`.

Every label lives in a locale module under `playground/locales/` (one per area of the app,
so features can add their strings without touching each other); this module merges them.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from playground import locales

LANGUAGES = {"fr": "Français", "en": "English"}
DEFAULT_LANGUAGE = "fr"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """key -> {"fr": ..., "en": ...}, merged from every module in playground.locales."""
    merged: dict[str, dict[str, str]] = {}
    for mod in sorted(pkgutil.iter_modules(locales.__path__), key=lambda m: m.name):
        strings = importlib.import_module(f"playground.locales.{mod.name}").STRINGS
        for key, value in strings.items():
            if key in merged:
                raise ValueError(f"UI string {key!r} defined twice (in {mod.name})")
            merged[key] = value
    return merged


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **kwargs: object) -> str:
    entry = catalogue().get(key)
    if entry is None:
        text = key  # visible but harmless: the test suite checks every used key exists
    else:
        text = entry.get(lang) or entry.get("en") or key
    return text.format(**kwargs) if kwargs else text
