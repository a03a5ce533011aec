"""Numbers as each language writes them (anatomy and score pages): French uses a decimal comma,
a narrow no-break space (U+202F) between thousands and before %; English a point and commas."""

from __future__ import annotations

import math

NNBSP = "\u202f"


def number(x: float | int | None, lang: str, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    text = f"{x:,.{digits}f}"
    return text.replace(",", NNBSP).replace(".", ",") if lang == "fr" else text


def percent(p: float | None, lang: str, digits: int = 1) -> str:
    """A probability (0–1) as a percentage: "12,3 %" / "12.3%"."""
    if p is None:
        return "—"
    return number(100 * p, lang, digits) + (f"{NNBSP}%" if lang == "fr" else "%")


_UNITS = {"fr": ("o", "Ko", "Mo", "Go", "To"), "en": ("B", "KB", "MB", "GB", "TB")}


def size(n: int | None, lang: str) -> str:
    """Bytes in binary multiples (1 Mo = 1 MiB here: what RAM is counted in), one decimal."""
    if n is None:
        return "—"
    units = _UNITS.get(lang, _UNITS["en"])
    x, i = float(n), 0
    while x >= 1024 and i < len(units) - 1:
        x, i = x / 1024, i + 1
    return f"{number(x, lang, 0 if i == 0 else 1)}{NNBSP if lang == 'fr' else ' '}{units[i]}"


def count(n: int | None, lang: str) -> str:
    """A large count shortened: 134,5 M / 134.5M, 1,5 G / 1.5B (parameters)."""
    if n is None:
        return "—"
    for div, fr, en in ((1e9, "G", "B"), (1e6, "M", "M"), (1e3, "k", "k")):
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
