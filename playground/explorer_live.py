"""What the browser needs to reshape a next-token distribution itself, and the settings it sends back.

A slider move used to rerun the whole page on the server (1.6–4.5 s in a real browser for ~11 ms
of maths). The live chart (ui/live_explorer.py) gets the distribution once and redoes
`providers.sampling.reshape` in JavaScript (ui/live_explorer_frontend/reshape.js), so this module
sends everything that maths reads:

- **every logit**, as float32 bytes, sorted most likely first (ties: lower index first, the order
  `reshape` shows). Not just the top ones: the "other" mass, the entropy at T, top-p without
  top-k and min-p alone all depend on the whole vocabulary's weights at the current T, so a
  truncated list could not stay exact. 49,152 logits (SmolLM2) are 192 KiB, 262,144 (Gemma 3)
  1 MiB; Streamlit caches such a message in the browser and sends an identical one again as a
  reference only;
- the pieces of the first `SHOW_MAX` tokens (the only ones ever drawn: the order does not depend
  on T, since exp(x / T) keeps the order of x), escaped for Plotly labels;
- the slider ranges, the settings the server holds, the catalogue's labels (FR/EN).

The values coming back are untrusted browser input: `settings_from_value` clamps them to the
slider ranges and falls back to the previous settings for anything unreadable.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np

from playground.explorer import Distribution
from playground.explorer_charts import esc, label
from playground.i18n import translate
from providers.sampling import SamplingParams

SHOW_MAX = 20  # the "tokens shown" slider's maximum

# name -> (min, max, step, default); the same ranges the server-side sliders had
RANGES: dict[str, tuple[float, float, float, float]] = {
    "temperature": (0.0, 2.0, 0.05, 1.0),
    "top_k": (0, 100, 1, 0),
    "top_p": (0.01, 1.0, 0.01, 1.0),
    "min_p": (0.0, 1.0, 0.01, 0.0),
    "show": (3, SHOW_MAX, 1, 10),
}

# label name in the component -> catalogue key
LABEL_KEYS = {
    "temperature": "param.temperature", "top_k": "param.top_k", "top_p": "param.top_p", "min_p": "param.min_p",
    "show": "nt.show", "temperature_help": "nt.temperature_help", "top_k_help": "nt.top_k_help",
    "top_p_help": "nt.top_p_help", "min_p_help": "nt.min_p_help", "cut": "nt.cut", "other": "nt.other",
    "other_help": "nt.other_help", "entropy_t": "nt.entropy_t", "entropy_final": "nt.entropy_final",
    "kept": "nt.kept", "top_token": "nt.top_token", "decimal": "live.decimal", "thousands": "live.thousands",
    "percent": "live.percent", "nats": "live.nats", "bits": "live.bits", "of_vocab": "live.of_vocab",
    "off": "live.off", "bars_title": "live.bars_title", "pie_title": "live.pie_title", "cut_list": "live.cut_list",
    "none_cut": "live.none_cut", "click_hint": "live.click_hint", "hover_raw": "live.hover_raw",
    "hover_t": "live.hover_t", "loading": "live.loading", "failed": "live.failed", "sliders": "live.sliders",
}


@dataclass(frozen=True)
class Settings:
    """The five sliders of the live chart."""

    temperature: float = 1.0
    top_k: int = 0
    top_p: float = 1.0
    min_p: float = 0.0
    show: int = 10

    @property
    def params(self) -> SamplingParams:
        return SamplingParams(self.temperature, self.top_k, self.top_p, self.min_p)

    def as_dict(self) -> dict[str, float | int]:
        return {"temperature": self.temperature, "top_k": self.top_k, "top_p": self.top_p,
                "min_p": self.min_p, "show": self.show}


def _clamp(name: str, raw: object, fallback: float | int) -> float | int:
    lo, hi, _, _ = RANGES[name]
    try:
        v = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return fallback
    if not math.isfinite(v):
        return fallback
    v = min(max(v, lo), hi)
    return int(round(v)) if isinstance(fallback, int) else v


def settings_from_value(value: object, fallback: Settings) -> Settings:
    """The settings a browser sent ({"settings": {...}}), each clamped to its slider's range."""
    raw = value.get("settings") if isinstance(value, dict) else None
    if not isinstance(raw, dict):
        return fallback
    base = fallback.as_dict()
    return Settings(**{k: _clamp(k, raw.get(k, base[k]), base[k]) for k in base})


def pick_from_value(value: object, seen: int, n: int) -> tuple[int, int] | None:
    """(position in the sorted order, pick counter) of a bar click not handled yet, else None."""
    pick = value.get("pick") if isinstance(value, dict) else None
    if not isinstance(pick, dict):
        return None
    try:
        rank, count = int(pick.get("rank")), int(pick.get("count"))
    except (TypeError, ValueError):
        return None
    if count <= seen or not 0 <= rank < min(n, SHOW_MAX):
        return None
    return rank, count


def sorted_order(dist: Distribution) -> np.ndarray:
    """Positions of `dist.logits`, most likely first, ties by lower position (reshape's order)."""
    x = np.asarray(dist.logits, dtype=np.float64)
    return np.lexsort((np.arange(x.shape[0]), -x))


@dataclass(frozen=True)
class LivePayload:
    logits: bytes  # float32, little-endian, in `order`
    order: np.ndarray  # order[r] = position in dist.logits of the token at rank r
    meta: dict  # JSON: key, exact, vocab, top (pieces of the first SHOW_MAX), ranges


def live_payload(dist: Distribution) -> LivePayload:
    """The distribution as the browser reshapes it (computed once per distribution)."""
    order = sorted_order(dist)
    logits = np.asarray(dist.logits, dtype=np.float32)[order].astype("<f4").tobytes()
    top = []
    for r, i in enumerate(order[:SHOW_MAX]):
        piece = dist.piece(int(i))
        tid = dist.token_id(int(i))
        top.append({"label": label(piece, r + 1), "hover": esc(repr(piece)), "text": repr(piece),
                    "id": tid})
    key = hashlib.blake2b(logits, digest_size=12)
    key.update(repr((dist.model_id, dist.exact, [t["text"] for t in top])).encode())
    vocab = dist.vocab_size if dist.exact and dist.vocab_size else len(order)
    meta = {"key": key.hexdigest(), "exact": bool(dist.exact), "vocab": int(vocab), "n": int(len(order)), "top": top,
            "ranges": {k: list(v) for k, v in RANGES.items()}}
    return LivePayload(logits, order, meta)


def live_labels(lang: str) -> dict[str, str]:
    """Every text the component shows, from the catalogue, in `lang` (templates keep `{v}`)."""
    return {name: translate(key, lang) for name, key in LABEL_KEYS.items()}
