"""Score a text page pieces: the model and text, the scoring run (with progress), and the result:
coloured tokens with their alternatives on hover, perplexity, surprisal, the surprising tokens."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.i18n import catalogue
from playground.numbers import number, percent, small_percent
from playground.score import MAX_TOKENS, Score, score_html, score_text
from playground.token_html import prob_colour, visible
from providers.base import ProviderError
from ui.common import lang, models, registry, tr
from ui.widgets import model_label

RESULT = "score_result"


def pick_model() -> str | None:
    all_models, _ = models()
    if not all_models:
        st.warning(tr("models.none"))
        return None
    ordered = sorted(all_models, key=lambda m: m.provider != "embedded")  # exact ones first
    ids = [m.id for m in ordered]
    labels = {m.id: model_label(m) for m in ordered}  # in the visitor's language
    if st.session_state.get("score_model") not in ids:
        st.session_state.pop("score_model", None)
    return st.selectbox(tr("score.model"), ids, key="score_model", format_func=lambda i: labels.get(i, i))


def error_message(exc: ProviderError) -> str:
    key = f"error.{exc.code}" if exc.code else ""
    if key and key in catalogue():
        try:
            return tr(key, **exc.params)
        except (KeyError, IndexError, ValueError):
            pass
    return exc.message


def run(model_id: str, text: str) -> None:
    """Score the text and keep the result (or the error) for the page's next draws."""
    bar = st.progress(0.0, text=tr("score.running", done=0, total="…"))

    def progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=tr("score.running", done=done, total=total))

    try:
        st.session_state[RESULT] = score_text(registry(), model_id, text, MAX_TOKENS, progress=progress)
    except ProviderError as exc:
        st.session_state[RESULT] = tr("score.error", error=error_message(exc))
    finally:
        bar.empty()


def show(result: Score | str) -> None:
    if isinstance(result, str):
        st.error(result)
        return
    lg = lang()
    if result.truncated:
        st.warning(tr("score.truncated", kept=len(result.tokens), total=result.n_text_tokens))
    st.caption(f"**{result.model_id}** · " + (tr("score.exact") if result.exact else tr("score.echo")))
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("score.perplexity"), number(result.perplexity, lg, 2), help=tr("score.perplexity_help"))
    bits = result.mean_surprisal_bits
    c2.metric(tr("score.surprisal"), "—" if bits is None else tr("score.surprisal_value", v=number(bits, lg, 2)),
              help=tr("score.surprisal_help"))
    c3.metric(tr("score.n_tokens"), number(len(result.logprobs), lg))
    st.markdown(score_html(result, lg, tr("score.first_token")), unsafe_allow_html=True)
    legend = "".join(f'<span style="background:{prob_colour(p)};color:#111;padding:0 4px;margin-right:4px">'
                     f"{percent(p, lg, 0)}</span>" for p in (0.0, 0.5, 1.0))
    st.markdown(f'<div style="font-size:0.8em;margin-top:0.3em">{legend} {tr("score.legend")}</div>',
                unsafe_allow_html=True)
    worst = result.most_surprising(10)
    if worst:
        st.subheader(tr("score.surprising"))
        rows = [{
            tr("score.col.pos"): i + 1,
            tr("score.col.token"): repr(visible(t.piece)),
            tr("score.col.prob"): small_percent(t.prob, lg),
            tr("score.col.bits"): number(t.surprisal_bits, lg, 1),
            tr("score.col.expected"): " · ".join(f"{visible(a.token)!r} {percent(a.prob, lg, 1)}" for a in t.top[:3]),
        } for i, t in worst]
        st.table(pd.DataFrame(rows).set_index(tr("score.col.pos")))
