"""The Tokenizers page's price calculator: tokens × price per million tokens, offline.

Prices come from the same `prices.toml` as the run costs (playground.cost); its top-level
`currency` key says in which currency they are written ("USD" when absent: the file's
figures are providers' dollar prices). Input tokens are counted with the model's own OpenAI
encoding when it has one (cl100k_base for the GPT-4 / GPT-3.5 generation, o200k_base for the
rest of OpenAI's models); for other vendors o200k_base is an estimate, and the page says so.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from playground.cost import Price, load_prices, prices_path

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€"}
NBSP = "\u00a0"  # French: between an amount and its currency sign (1 234,50 €)
NNBSP = "\u202f"  # French thousands separator
CL100K_MODELS = ("gpt-4-turbo", "gpt-4", "gpt-3.5-turbo")  # before o200k_base
OPENAI_PREFIXES = ("gpt-", "o1", "o3", "o4", "openai/")


def price_currency(path: Path | None = None) -> str:
    """The currency prices.toml writes its prices in ("USD" when it does not say, or cannot be read)."""
    p = Path(path) if path else prices_path()
    try:
        with open(p, "rb") as fh:
            value = tomllib.load(fh).get("currency")
    except (OSError, tomllib.TOMLDecodeError):
        return "USD"
    return value.strip().upper() if isinstance(value, str) and value.strip() else "USD"


def priced_models(path: Path | None = None) -> dict[str, Price]:
    """Every priced model name of prices.toml, in alphabetical order."""
    return dict(sorted(load_prices(path).items()))


def encoding_for(model: str) -> tuple[str, bool]:
    """(tiktoken encoding that counts this model's tokens, exact?) — o200k_base as an estimate
    for models that are not OpenAI's."""
    name = model.lower().removeprefix("openai/")
    if any(name == m or name.startswith(m + "-") for m in CL100K_MODELS):
        return "cl100k_base", True
    return "o200k_base", model.lower().startswith(OPENAI_PREFIXES)


@dataclass(frozen=True)
class Estimate:
    """What `requests` requests of `input_tokens` in and `output_tokens` out cost at `price`."""

    price: Price  # per million tokens
    input_tokens: int
    output_tokens: int
    requests: int = 1

    def __post_init__(self) -> None:
        if min(self.input_tokens, self.output_tokens, self.requests) < 0:
            raise ValueError("token counts and the number of requests are never negative")

    @property
    def per_request(self) -> float:
        return (self.input_tokens * self.price.input + self.output_tokens * self.price.output) / 1_000_000

    @property
    def total(self) -> float:
        return self.per_request * self.requests


def money_digits(amount: float) -> int:
    """Decimals that show three significant digits of a small amount (0.000135), two at least
    (format_money then drops the zeros beyond two: 0.15, not 0.150)."""
    if amount == 0 or not math.isfinite(amount):
        return 2
    return max(2, min(8, 2 - math.floor(math.log10(abs(amount)))))


def format_money(amount: float, currency: str, lang: str) -> str:
    """An amount as the reader writes it: "1 234,50 €" / "0,000135 $" in French (no-break spaces),
    "€1,234.50" / "$0.000135" in English; an unknown currency keeps its code after the amount."""
    text = f"{amount:,.{money_digits(amount)}f}"
    while len(text.rpartition(".")[2]) > 2 and text.endswith("0"):  # 0.150 -> 0.15, 0.00205 stays
        text = text[:-1]
    symbol = CURRENCY_SYMBOLS.get(currency)
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
        return f"{text}{NBSP}{symbol or currency}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"
