"""Numbers as each language writes them, in the shapes the pages need (sizes, counts, small
percentages). The rule itself — French decimal comma, a narrow no-break space (U+202F) between
thousands and before % — is playground.i18n.format_number / format_percent; this module only
builds on it."""

from __future__ import annotations

import math

from playground.i18n import NNBSP, format_number, format_percent


def number(x: float | int | None, lang: str, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return format_number(x, digits, lang)


def percent(p: float | None, lang: str, digits: int = 1) -> str:
    """A probability (0–1) as a percentage: "12,3 %" / "12.3%"."""
    return format_percent(p, digits, lang)


def size(n: int | None, lang: str) -> str:
    """Bytes, powers of 1000, a no-break space: "98,4 Mo" / "98.4 MB", "1,2 Go" / "1.2 GB"."""
    if n is None:
        return "—"
    units = ("o", "ko", "Mo", "Go", "To") if lang == "fr" else ("B", "kB", "MB", "GB", "TB")
    value, unit = float(n), 0
    while value >= 1000 and unit < len(units) - 1:
        value, unit = value / 1000, unit + 1
    digits = 0 if unit == 0 or value >= 100 else 1
    return f"{number(value, lang, digits)}\u00a0{units[unit]}"


def count(n: int | None, lang: str) -> str:
    """A large count shortened: 134,5 M / 134.5M, 1,5 Md / 1.5B (parameters)."""
    if n is None:
        return "—"
    for div, fr, en in ((1e9, "Md", "B"), (1e6, "M", "M"), (1e3, "k", "k")):
        if n >= div:
            return number(n / div, lang, 1) + (f"{NNBSP}{fr}" if lang == "fr" else en)
    return number(n, lang)


def small_percent(p: float | None, lang: str) -> str:
    """A probability with two significant digits however small ("0,0023 %"), one decimal from 1 %."""
    if p is None:
        return "—"
    pct = 100 * p
    if pct <= 0:
        return percent(0.0, lang, 0)
    digits = 1 if pct >= 1 else min(8, 1 - math.floor(math.log10(pct)))
    return percent(p, lang, digits)
