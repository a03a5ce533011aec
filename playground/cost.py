"""Cost of a run: OpenRouter's reported cost when present, else an estimate from prices.toml."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from playground.config import REPO_ROOT

# Only these backends bill per token: a vLLM / llama.cpp / LM Studio endpoint serving a model
# named "gpt-4o-mini", an `ollama-<label>` host or a visitor's own endpoint costs nothing here.
CLOUD_PROVIDERS = frozenset({"openai", "azure", "openrouter"})
# A dated snapshot or alias of a priced model ("gpt-4o-mini-2024-07-18", "o3-mini-latest").
_SNAPSHOT = re.compile(r"^-(\d{4}(-\d{2}-\d{2})?|\d{2}-\d{2}|latest)$")
DEFAULT_PRICES = REPO_ROOT / "prices.toml"


@dataclass(frozen=True)
class Price:
    """US dollars per million input (prompt) and output (completion) tokens."""

    input: float
    output: float


def prices_path() -> Path:
    return Path(os.environ.get("PLAYGROUND_PRICES") or DEFAULT_PRICES)


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> dict[str, Price]:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    out = {}
    for name, entry in (data.get("models") or {}).items():
        try:
            out[name.lower()] = Price(float(entry["input"]), float(entry["output"]))
        except (KeyError, TypeError, ValueError):
            continue  # one bad line must not hide every other price
    return out


def load_prices(path: Path | None = None) -> dict[str, Price]:
    """The price table (empty when the file is missing or unreadable: costs are then unknown)."""
    p = Path(path) if path else prices_path()
    try:
        return _load(str(p), p.stat().st_mtime)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def price_for(model_id: str, prices: Mapping[str, Price] | None = None) -> Price | None:
    """The price of a cloud model: the full id, then the name after the provider, exactly;
    then the longest priced name of which it is a dated snapshot. None for every other backend."""
    prices = load_prices() if prices is None else prices
    mid = model_id.lower()
    provider, _, name = mid.partition("/")
    if provider not in CLOUD_PROVIDERS or not name:
        return None
    for key in (mid, name):
        if key in prices:
            return prices[key]
    # no last-segment guess: "openrouter/somevendor/gpt-4o-mini" is not OpenAI's gpt-4o-mini
    snapshots = [k for k in prices if name.startswith(k) and _SNAPSHOT.match(name[len(k):])]
    return prices[max(snapshots, key=len)] if snapshots else None


def estimate(model_id: str, prompt_tokens: int | None, completion_tokens: int | None,
             prices: Mapping[str, Price] | None = None) -> float | None:
    price = price_for(model_id, prices)
    if price is None or (prompt_tokens is None and completion_tokens is None):
        return None
    return ((prompt_tokens or 0) * price.input + (completion_tokens or 0) * price.output) / 1e6


def result_cost(result, prices: Mapping[str, Price] | None = None) -> tuple[float | None, str | None]:
    """(cost in USD, "reported" | "estimated") for a runner Result; (None, None) when unknown."""
    reported = (result.extra or {}).get("cost")
    if isinstance(reported, (int, float)) and not isinstance(reported, bool):
        return float(reported), "reported"
    if isinstance(reported, str):
        try:
            return float(reported), "reported"
        except ValueError:
            pass
    cost = estimate(result.model, result.prompt_tokens, result.completion_tokens, prices)
    return (cost, "estimated") if cost is not None else (None, None)


def format_cost(cost: float | None, source: str | None = None) -> str:
    if cost is None:
        return "—"
    text = f"${cost:.6f}" if cost < 0.01 else f"${cost:.4f}"
    return text if source != "estimated" else f"≈{text}"
