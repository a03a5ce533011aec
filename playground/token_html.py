"""Escaped HTML for token views (probability heatmap, tokenizer chips) and per-token statistics.

Token pieces are untrusted text (a model can emit `<img src=x onerror=…>`): every piece and every
tooltip goes through `html.escape(…, quote=True)` before it touches markup.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from providers.base import TokenLogprob

VISIBLE = {" ": "·", "\n": "↵", "\t": "→", "\r": "␍"}


def visible(piece: str) -> str:
    return "".join(VISIBLE.get(ch, ch) for ch in piece)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def prob_colour(p: float) -> str:
    """Red (unlikely) → yellow → green (confident), light enough for dark text on a projector."""
    p = min(1.0, max(0.0, p))
    return f"hsl({120.0 * p:.0f}, 75%, 78%)"


@dataclass(frozen=True)
class Confidence:
    n_tokens: int
    mean_logprob: float | None
    perplexity: float | None
    min_prob: float | None


def confidence(logprobs: Sequence[TokenLogprob]) -> Confidence:
    """Mean log-probability of the chosen tokens and perplexity = exp(−mean). Both depend on the
    tokenizer: they do not compare across models with different vocabularies."""
    lps = [t.logprob for t in logprobs if t.logprob is not None and math.isfinite(t.logprob)]
    if not lps:
        return Confidence(0, None, None, None)
    mean = sum(lps) / len(lps)
    return Confidence(len(lps), mean, math.exp(-mean), math.exp(min(lps)))


def token_entropy(t: TokenLogprob) -> float | None:
    """Entropy (nats) estimated from the returned alternatives, renormalised (a lower bound of
    the spread when only a few alternatives come back)."""
    ps = [math.exp(a.logprob) for a in t.top if math.isfinite(a.logprob)]
    s = sum(ps)
    if not ps or s <= 0:
        return None
    return -sum((p / s) * math.log(p / s) for p in ps if p > 0)


def series(logprobs: Sequence[TokenLogprob]) -> dict[str, list]:
    """Per-token lists for the line chart: index, piece, chosen probability, entropy."""
    return {
        "index": list(range(1, len(logprobs) + 1)),
        "piece": [t.token for t in logprobs],
        "prob": [math.exp(t.logprob) if math.isfinite(t.logprob) else 0.0 for t in logprobs],
        "entropy": [token_entropy(t) for t in logprobs],
    }


def _tooltip(t: TokenLogprob, max_alts: int = 10) -> str:
    lines = [f"{visible(t.token)!r}: {100 * t.prob:.1f}%"]
    for a in t.top[:max_alts]:
        mark = "→ " if a.token == t.token else "   "
        lines.append(f"{mark}{visible(a.token)!r}  {100 * a.prob:.1f}%")
    return "\n".join(lines)


def heatmap_html(logprobs: Sequence[TokenLogprob], css_class: str = "pg-heatmap") -> str:
    """Each token as a span coloured by its probability; the title lists its top alternatives."""
    spans = []
    for i, t in enumerate(logprobs):
        piece = esc(t.token).replace("\n", "↵<br>")
        spans.append(
            f'<span class="pg-tok" data-i="{i}" title="{esc(_tooltip(t))}" '
            f'style="background:{prob_colour(t.prob)};color:#111;border-radius:3px;padding:1px 0;'
            f'white-space:pre-wrap">{piece}</span>'
        )
    legend = (
        '<div style="font-size:0.75em;margin-top:0.4em;opacity:0.8">'
        f'<span style="background:{prob_colour(0.0)};color:#111;padding:0 4px">0%</span> '
        f'<span style="background:{prob_colour(0.5)};color:#111;padding:0 4px">50%</span> '
        f'<span style="background:{prob_colour(1.0)};color:#111;padding:0 4px">100%</span></div>'
    )
    return f'<div class="{esc(css_class)}" style="line-height:1.9;font-family:monospace">{"".join(spans)}</div>{legend}'


BANDS = ("#dbeafe", "#fde68a", "#bbf7d0", "#fbcfe8", "#ddd6fe", "#fed7aa")


def chips_html(tokens: Sequence, show_ids: bool = True) -> str:
    """Tokenizer chips: colour-banded pieces, spaces/newlines visible, id underneath.

    `tokens` are objects with `.id`, `.piece` and `.special` (playground.tokenize.Token).
    """
    out = []
    for i, t in enumerate(tokens):
        bg = "#e5e7eb" if getattr(t, "special", False) else BANDS[i % len(BANDS)]
        piece = esc(visible(t.piece)) or "&nbsp;"
        tid = f'<br><span style="font-size:0.7em;opacity:0.7">{int(t.id)}</span>' if show_ids else ""
        out.append(
            f'<span class="pg-chip" title="id {int(t.id)}" style="display:inline-block;background:{bg};color:#111;'
            f'margin:1px;padding:1px 4px;border-radius:4px;text-align:center;font-family:monospace;'
            f'white-space:pre">{piece}{tid}</span>'
        )
        if t.piece.endswith("\n"):
            out.append("<br>")
    return f'<div class="pg-chips" style="line-height:1.2">{"".join(out)}</div>'


def trail_html(prompt: str, steps: Sequence[tuple[str, float]]) -> str:
    """The prompt (greyed) followed by the chosen tokens, each coloured by the probability it had
    when chosen and captioned with it."""
    head = f'<span style="opacity:0.55">{esc(prompt).replace(chr(10), "<br>")}</span>'
    chips = []
    for i, (piece, p) in enumerate(steps):
        chips.append(
            f'<span class="pg-step" data-step="{i + 1}" title="{esc(f"{i + 1}: {piece!r} {100 * p:.1f}%")}" '
            f'style="background:{prob_colour(p)};color:#111;border-radius:3px;white-space:pre-wrap">{esc(piece)}'
            f'<sub style="font-size:0.6em;opacity:0.75">{100 * p:.0f}%</sub></span>'
        )
    return f'<div class="pg-trail" style="font-size:1.25em;line-height:2;font-family:serif">{head}{"".join(chips)}</div>'
