"""Tokenizer page: text → tokens (pieces and ids, colour-banded) for several tokenizers side by
side, and the built-in French/English pair showing that French costs more tokens."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from playground.config import offered_gguf_paths, tokenizer_allow_any_path
from playground.models import format_number
from playground.token_html import chips_html
from playground.tokenize import (
    FR_EN_PAIR,
    TIKTOKEN_LABELS,
    Tokenization,
    compare_tokenizers,
)
from providers.tiktoken_files import TIKTOKEN_FILES
from ui.common import lang, models, registry, tr
from ui.course_picker import course_picker
from ui.price_calculator import price_section
from ui.shell import ensure_app
from ui.widgets import model_label


def _choices() -> tuple[list[str], dict[str, str]]:
    all_models, _ = models()
    embedded = [m.id for m in all_models if m.provider == "embedded"]
    labels = {m.id: model_label(m) for m in all_models}
    tk = [f"tiktoken/{n}" for n in TIKTOKEN_FILES]
    labels.update({f"tiktoken/{n}": TIKTOKEN_LABELS[n] for n in TIKTOKEN_FILES})
    return embedded + tk, labels


def _render(t: Tokenization, key: str) -> None:
    st.markdown(f"**{t.label}**")
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("tok.count"), t.count)
    c2.metric(tr("tok.chars_per_token"), format_number(t.chars_per_token, lang(), 2))  # 2,56 in French
    c3.metric(tr("tok.vocab"), format_number(t.vocab_size, lang()))
    st.markdown(chips_html(t.tokens), unsafe_allow_html=True)
    if any(x.special for x in t.tokens):
        st.caption(tr("tok.special_note"))
    with st.expander(tr("tok.ids")):
        st.code(str([x.id for x in t.tokens]), language=None, wrap_lines=True)


def _gguf_pick() -> tuple[str, list[str] | None]:
    """(chosen GGUF path or "", the paths that may be opened — None when the server allows any path).

    Visitors pick among the GGUF files the server configured; typing a free server path is only
    offered when the server allows it ([tokenizer] allow_any_path), since it reveals which files exist.
    """
    offered = offered_gguf_paths()
    any_path = tokenizer_allow_any_path()
    gguf = ""
    if offered:
        gguf = st.selectbox(tr("tok.gguf_choice"), [""] + offered, key="tok_gguf_pick",
                            format_func=lambda p: Path(p).name if p else tr("tok.gguf_none"))
    if any_path:
        gguf = st.text_input(tr("tok.gguf_path"), "", key="tok_gguf").strip() or gguf
    return gguf, None if any_path else offered


def _picks_section(options: list[str], labels: dict[str, str]) -> tuple[str, list[str], list[str] | None]:
    """(text, chosen tokenizers, GGUF paths that may be opened or None for any)."""
    text = st.text_area(tr("tok.text"), tr("tok.text_default"), key="tok_text", height=100)
    default = [o for o in options if o.startswith("embedded/")][:2] + ["tiktoken/o200k_base"]
    chosen_now = st.session_state.get("tok_chosen")
    if chosen_now and any(o not in options for o in chosen_now):  # a course demo names one this server lacks
        st.session_state["tok_chosen"] = [o for o in chosen_now if o in options]
    chosen = st.multiselect(tr("tok.tokenizers"), options, default=[d for d in default if d in options],
                            key="tok_chosen", format_func=lambda o: labels.get(o, o), placeholder=tr("common.choose"))
    gguf, allowed = _gguf_pick()
    picks = list(chosen) + ([f"gguf:{gguf}"] if gguf else [])
    labels.update({f"gguf:{p}": Path(p).name for p in allowed or ()})
    return text, picks, allowed


def _tokens_section(text: str, picks: list[str], allowed, labels: dict[str, str]) -> None:
    """Each chosen tokenizer's tokens, two side by side."""
    if not picks:
        st.info(tr("tok.none_selected"))
        return
    if not text:
        st.info(tr("tok.empty"))
        return
    results = compare_tokenizers(registry(), picks, text, gguf_allowed=allowed)
    per_row = 2 if len(results) > 1 else 1
    for row in range(0, len(results), per_row):
        cols = st.columns(per_row)
        for j, r in enumerate(results[row : row + per_row]):
            with cols[j], st.container(border=True):
                if isinstance(r, Tokenization):
                    _render(r, key=f"tok_{row + j}")
                else:
                    st.markdown(f"**{labels.get(picks[row + j], picks[row + j])}**")
                    st.error(r.message)


def _french_english_section(picks: list[str], allowed) -> None:
    """The same sentence in French and English: tokens each costs per tokenizer."""
    st.subheader(tr("tok.fr_en"))
    st.caption(tr("tok.fr_en_intro"))
    fr, en = FR_EN_PAIR
    # text labels, not flag emoji: emoji fonts are missing on some projector machines
    st.markdown(tr("tok.pair_fr", text=fr) + "  \n" + tr("tok.pair_en", text=en))
    fr_res = compare_tokenizers(registry(), picks, fr, gguf_allowed=allowed)
    en_res = compare_tokenizers(registry(), picks, en, gguf_allowed=allowed)
    rows = []
    for a, b in zip(fr_res, en_res):
        if isinstance(a, Tokenization) and isinstance(b, Tokenization):
            rows.append({tr("tok.tokenizer"): a.label, tr("tok.fr"): a.count, tr("tok.en"): b.count,
                         tr("tok.ratio"): round(a.count / b.count, 2) if b.count else None})
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="tok_fr_en")


def page() -> None:
    ensure_app()
    st.title(tr("tok.title"))
    st.caption(tr("tok.intro"))
    course_picker("tokenizer")
    options, labels = _choices()
    text, picks, allowed = _picks_section(options, labels)
    _tokens_section(text, picks, allowed, labels)
    _french_english_section(picks or options, allowed)
    price_section(text)


page()
