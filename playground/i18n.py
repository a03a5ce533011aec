"""The UI text catalogue (French and English) and `translate`.

Every label lives in a locale module under `playground/locales/` (one per area of the app,
so features can add their strings without touching each other); this module merges them.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
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


MISSING: set[tuple[str, str]] = set()  # (key, language) asked for but absent: the page tests read it


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **kwargs: object) -> str:
    entry = catalogue().get(key)
    if entry is None or not entry.get(lang):
        MISSING.add((key, lang))
    if entry is None:
        text = key  # visible but harmless: the test suite checks every used key exists
    else:
        text = entry.get(lang) or entry.get("en") or key
    if not kwargs:
        return text
    return _FrenchNumbers().format(text, **kwargs) if lang == "fr" else text.format(**kwargs)


class _FrenchNumbers(string.Formatter):
    """`{v:.2f}` in a French string gives 0,50 (and `{v:,.0f}` 49 152): a catalogue entry keeps its
    format spec and still reads French. Whole numbers without a spec (ids, seeds) are left alone."""

    def format_field(self, value: object, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool) and format_spec):
            text = text.replace(",", NNBSP).replace(".", ",")
        return text


def translate_n(key: str, n: float, lang: str = DEFAULT_LANGUAGE, **kwargs: object) -> str:
    """`key` with the grammatical number of `n`: the `key.one` entry for one (in French also
    for zero, "0 phrase gardée"), else `key`. `n` is passed to the string as {n}."""
    one = abs(n) < 2 if lang == "fr" else n == 1
    chosen = f"{key}.one" if one and f"{key}.one" in catalogue() else key
    return translate(chosen, lang, n=format_number(n, 0 if float(n).is_integer() else 2, lang), **kwargs)


NNBSP = "\u202f"  # narrow no-break space: French thousands and the space before %


def format_number(value: float | int | None, digits: int = 0, lang: str = DEFAULT_LANGUAGE) -> str:
    """49152 -> "49 152" (narrow no-break space), 40.5 -> "40,5" in French; "49,152", "40.5" in English.
    None -> "—"."""
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def format_percent(fraction: float | None, digits: int = 1, lang: str = DEFAULT_LANGUAGE) -> str:
    """0.405 -> "40,5 %" (narrow no-break space before %) in French, "40.5%" in English."""
    if fraction is None:
        return "—"
    number = format_number(fraction * 100, digits, lang)
    return f"{number}{NNBSP}%" if lang == "fr" else f"{number}%"
