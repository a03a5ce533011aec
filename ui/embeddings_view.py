"""The Embeddings page's sections (Streamlit): model picker, sentences → matrix / map / neighbours,
the secret-word game and word arithmetic. This module owns the page's session keys (all `emb_*`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from playground import embedding_game as game
from playground.embedding_charts import explained_share, heatmap_figure, map_figure
from playground.embedding_words import ARITHMETIC_EXAMPLES, FRENCH_WORDS, VOCABULARIES
from playground.embeddings import (
    DEFAULT_MODEL,
    arithmetic,
    cosine_matrix,
    embed,
    embed_cached,
    list_embedding_models_with_errors,
    nearest,
    pca_2d,
)
from playground.i18n import LANGUAGES, catalogue, translate
from playground.models import format_number, format_percent
from providers.base import ProviderError
from ui.common import lang, registry, tr

MODELS = "emb_models"  # (ids, errors) listed once per session, until "Refresh"
MODEL = "emb_model"
TEXT = "emb_text"
RESULT = "emb_result"  # {"texts", "model", "vectors"} of the last computation
GAME = "emb_game"  # playground.embedding_game.GameState
GAME_MODEL = "emb_game_model"  # the model the current game is scored with
GAME_NOTE = "emb_game_note"  # (kind, text) said after the last action
ARITH = "emb_arith"  # {"a", "b", "c", "vocab", "model", "found"}


def error_message(exc: ProviderError) -> str:
    """A backend error in the person's language when it has a code, else a translated lead-in."""
    key = f"error.{exc.code}" if exc.code else None
    if key and key in catalogue():
        try:
            return tr(key, **exc.params)
        except (KeyError, IndexError, ValueError):
            pass
    kind = f"error.kind.{exc.kind}" if f"error.kind.{exc.kind}" in catalogue() else "error.kind.error"
    return f"{tr(kind)} — {exc.message}"


def num(x: float, digits: int = 2) -> str:
    return format_number(x, lang(), digits)


# ---------------------------------------------------------------- model
def model_picker() -> str:
    """The embedding model chosen (the offline one unless the person picks another)."""
    if MODELS not in st.session_state:
        found, errors = list_embedding_models_with_errors(registry())
        st.session_state[MODELS] = ([m.id for m in found], errors)
    ids, errors = st.session_state[MODELS]
    if st.session_state.get(MODEL) not in ids:
        st.session_state[MODEL] = DEFAULT_MODEL
    col, refresh = st.columns([4, 1], vertical_alignment="bottom")
    col.selectbox(tr("emb.model"), ids, key=MODEL,
                  format_func=lambda i: tr("emb.model_offline", id=i) if i == DEFAULT_MODEL else i)
    if refresh.button(tr("emb.models_refresh"), key="emb_models_refresh"):
        st.session_state.pop(MODELS, None)
        st.rerun()
    for provider, err in errors.items():
        st.caption(tr("emb.models_error", provider=provider, error=err))
    return st.session_state[MODEL]


# ---------------------------------------------------------------- sentences
def _default_text() -> None:
    """The sample sentences in the person's language; a switch of language swaps an untouched sample."""
    samples = {code: translate("emb.sentences_default", code) for code in LANGUAGES}
    if st.session_state.get(TEXT) in (None, *samples.values()):
        st.session_state[TEXT] = samples[lang()]


def sentences_section(model_id: str) -> None:
    _default_text()
    st.text_area(tr("emb.sentences"), key=TEXT, height=170)
    texts = [line.strip() for line in st.session_state[TEXT].splitlines() if line.strip()]
    if st.button(tr("emb.compute"), type="primary", key="emb_compute"):
        if len(texts) < 2:
            st.warning(tr("emb.need_two"))
        else:
            try:
                with st.spinner(tr("emb.computing")):
                    res = embed(registry(), model_id, texts)
            except ProviderError as exc:
                st.error(error_message(exc))
            else:
                st.session_state[RESULT] = {"texts": texts, "model": res.model, "vectors": res.vectors}
    result = st.session_state.get(RESULT)
    if not result:
        return
    if result["texts"] != texts or result["model"] != model_id:
        st.info(tr("emb.stale"))
    _show_result(result["texts"], result["model"], result["vectors"])


def _show_result(texts: list[str], model_id: str, vectors: np.ndarray) -> None:
    sim = cosine_matrix(vectors)
    st.caption(tr("emb.result_caption", n=len(texts), model=model_id, dims=vectors.shape[1]))
    st.subheader(tr("emb.heatmap"))
    st.plotly_chart(heatmap_figure(texts, sim, lang(), tr("emb.cosine")), key="emb_heatmap",
                    config={"displayModeBar": False})
    st.subheader(tr("emb.map"))
    st.plotly_chart(map_figure(texts, pca_2d(vectors), lang(), tr("emb.axis1"), tr("emb.axis2")), key="emb_map",
                    config={"displayModeBar": False})
    st.caption(tr("emb.map_caption", dims=vectors.shape[1], share=format_percent(explained_share(vectors), lang())))
    st.subheader(tr("emb.neighbours"))
    i = st.selectbox(tr("emb.neighbours_of"), range(len(texts)), format_func=lambda j: f"{j + 1}. {texts[j]}",
                     key="emb_neighbour_of")
    if i is None or i >= len(texts):
        return
    rows = [{tr("emb.col.rank"): r, tr("emb.col.sentence"): f"{j + 1}. {texts[j]}", tr("emb.col.similarity"): num(s, 3)}
            for r, (j, s) in enumerate(nearest(sim, i), 1)]
    st.table(pd.DataFrame(rows).set_index(tr("emb.col.rank")))


# ---------------------------------------------------------------- game
def _secret_vector(model_id: str, secret: str) -> np.ndarray:
    return embed_cached(registry(), model_id, [secret])[0]


def _vocabulary(model_id: str, secret: str) -> tuple[list[str], np.ndarray]:
    """(the vocabulary without the secret, its cosines with the secret). Embedding the vocabulary
    costs seconds once per process and model: done at the first guess, not when the page opens."""
    vocab_all = list(FRENCH_WORDS)
    with st.spinner(tr("emb.game.preparing")):
        vectors = embed_cached(registry(), model_id, vocab_all)
    keep = [k for k, w in enumerate(vocab_all) if w != secret]
    return [vocab_all[k] for k in keep], vectors[keep] @ _secret_vector(model_id, secret)


def game_section(model_id: str) -> None:
    state: game.GameState | None = st.session_state.get(GAME)
    if state is None or st.session_state.get(GAME_MODEL) != model_id:
        # scores from two models do not compare: another model starts another game
        state = st.session_state[GAME] = game.new_game()
        st.session_state[GAME_MODEL] = model_id
        st.session_state.pop(GAME_NOTE, None)
    st.caption(tr("emb.game.intro", n=format_number(len(FRENCH_WORDS) - 1, lang())))
    with st.form("emb_game_form", clear_on_submit=True):
        word = st.text_input(tr("emb.game.guess"), key="emb_game_word", disabled=state.over)
        submitted = st.form_submit_button(tr("emb.game.submit"), type="primary", disabled=state.over)
    c1, c2, c3, c4 = st.columns(4)
    letter = c1.button(tr("emb.game.hint_letter"), key="emb_hint_letter", disabled=state.over)
    closer = c2.button(tr("emb.game.hint_closer"), key="emb_hint_closer", disabled=state.over)
    give_up = c3.button(tr("emb.game.give_up"), key="emb_give_up", disabled=state.over)
    if c4.button(tr("emb.game.new"), key="emb_new_word"):
        st.session_state[GAME] = game.new_game(exclude=state.secret)
        st.session_state.pop(GAME_NOTE, None)
        st.rerun()
    was_over = state.over
    try:
        needs_vocabulary = submitted or closer or give_up or state.over
        vocab, sims = _vocabulary(model_id, state.secret) if needs_vocabulary else ([], np.zeros(0))
        if submitted:
            _guess(state, model_id, word, _secret_vector(model_id, state.secret), sims)
        if letter:
            game.hint_first_letter(state)
        if closer and game.hint_closer(state, vocab, sims) is None:
            st.session_state[GAME_NOTE] = ("info", "emb.game.no_closer", {})
        if give_up:
            game.give_up(state)
    except ProviderError as exc:
        st.error(error_message(exc))
        return
    if state.over and not was_over:
        st.rerun()  # redraw the form and the buttons disabled: the game is over
    _game_status(state, vocab, sims)


def _guess(state: game.GameState, model_id: str, text: str, secret_vec: np.ndarray, sims: np.ndarray) -> None:
    try:
        word = game.clean_word(text)
        cos = float(embed(registry(), model_id, [word]).vectors[0] @ secret_vec)
        g = game.play(state, word, cos, sims)
    except game.BadGuess as exc:
        st.session_state[GAME_NOTE] = ("warning", f"emb.game.{exc.code}", {"word": exc.word})
    except ProviderError as exc:
        st.session_state[GAME_NOTE] = ("error", None, {"exc": exc})
    else:
        st.session_state[GAME_NOTE] = ("info", "emb.game.last", {"guess": g})


def _game_status(state: game.GameState, vocab: list[str], sims: np.ndarray) -> None:
    note = st.session_state.get(GAME_NOTE)
    if note:  # kept untranslated: a switch of language redraws it in the new one
        kind, key, params = note
        if key is None:
            text = error_message(params["exc"])
        elif key == "emb.game.last":
            g = params["guess"]
            text = tr(key, word=g.word, temp=num(g.temperature), score=format_number(g.permille, lang()))
        else:
            text = tr(key, **params)
        getattr(st, kind)(text)
    for kind, value in state.hints:
        if kind == "first_letter":
            st.info(tr("emb.game.letter_is", letter=value, n=len(state.secret)))
        else:
            st.info(tr("emb.game.closer_is", word=value))
    if state.won:
        st.success(tr("emb.game.won", word=state.secret, n=len(state.guesses)))
    elif state.revealed:
        st.warning(tr("emb.game.revealed", word=state.secret))
    if state.over:
        words = ", ".join(f"{w} ({num(s)})" for w, s in game.nearest_words(vocab, sims, k=10))
        st.caption(tr("emb.game.nearest", words=words))
    if state.guesses:
        st.markdown(f"**{tr('emb.game.history')}**")
        rows = [{tr("emb.game.col.n"): g.order, tr("emb.game.col.word"): g.word,
                 tr("emb.game.col.temp"): num(g.temperature), tr("emb.game.col.score"): format_number(g.permille, lang())}
                for g in state.ranked()]
        # A plain table: readable on a projector, and its text is the page's (a grid is a canvas)
        st.table(pd.DataFrame(rows).set_index(tr("emb.game.col.n")))


# ---------------------------------------------------------------- arithmetic
def arithmetic_section(model_id: str) -> None:
    st.caption(tr("emb.arith.intro"))
    code = lang()
    examples = ARITHMETIC_EXAMPLES[code]
    for k, (a, b, c) in enumerate(examples):
        if st.button(tr("emb.arith.example", a=a, b=b, c=c), key=f"emb_arith_ex_{code}_{k}"):
            st.session_state.update({"emb_arith_a": a, "emb_arith_b": b, "emb_arith_c": c, "emb_arith_vocab": code})
    for part, default in zip("abc", examples[0]):
        st.session_state.setdefault(f"emb_arith_{part}", default)
    st.session_state.setdefault("emb_arith_vocab", code)
    ca, cb, cc = st.columns(3)
    a = ca.text_input(tr("emb.arith.a"), key="emb_arith_a").strip()
    b = cb.text_input(tr("emb.arith.b"), key="emb_arith_b").strip()
    c = cc.text_input(tr("emb.arith.c"), key="emb_arith_c").strip()
    vocab_code = st.radio(tr("emb.arith.vocab"), list(VOCABULARIES), horizontal=True, key="emb_arith_vocab",
                          format_func=lambda v: tr(f"emb.arith.vocab.{v}", n=len(VOCABULARIES[v])))
    if st.button(tr("emb.arith.run"), type="primary", key="emb_arith_run"):
        if not (a and b and c):
            st.warning(tr("emb.arith.need_words"))
        else:
            vocab = list(VOCABULARIES[vocab_code])
            try:
                with st.spinner(tr("emb.computing")):
                    vectors = embed_cached(registry(), model_id, vocab)
                    abc = embed(registry(), model_id, [a, b, c]).vectors
            except ProviderError as exc:
                st.error(error_message(exc))
            else:
                found = arithmetic(abc[0] - abc[1] + abc[2], vocab, vectors, exclude=[a, b, c], k=8)
                st.session_state[ARITH] = {"a": a, "b": b, "c": c, "found": found}
    res = st.session_state.get(ARITH)
    if res:
        st.markdown(f"**{tr('emb.arith.result', a=res['a'], b=res['b'], c=res['c'])}**")
        rows = [{tr("emb.col.rank"): r, tr("emb.arith.col.word"): w, tr("emb.arith.col.score"): num(s, 3)}
                for r, (w, s) in enumerate(res["found"], 1)]
        st.table(pd.DataFrame(rows).set_index(tr("emb.col.rank")))
