"""The Tokenizers page's price calculator (playground.price_calc): the text on the page as a
request to a priced model, × a number of requests, with the expected answer length; then the
same sentence in French and in English at that model's input price."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.cost import prices_path
from playground.course_presets import FR_EN
from playground.models import format_number
from playground.price_calc import Estimate, encoding_for, format_money, price_currency, priced_models
from playground.tokenize import tokenize_tiktoken
from ui.common import lang, tr

MODEL = "price_model"
REQUESTS = "price_requests"
OUTPUT = "price_output"
DEFAULT_MODEL = "gpt-4o-mini"


def _count(model: str, text: str) -> int:
    return tokenize_tiktoken(encoding_for(model)[0], text).count if text else 0


def _calculator(text: str, prices: dict, currency: str) -> str:
    """Model, requests, output tokens → cost per request and total; returns the model chosen."""
    names = list(prices)
    money = lambda x: format_money(x, currency, lang())  # noqa: E731
    options = {m: tr("price.model_option", model=m, input=money(p.input), output=money(p.output)) for m, p in prices.items()}
    model = st.selectbox(tr("price.model"), names, index=names.index(DEFAULT_MODEL) if DEFAULT_MODEL in names else 0,
                         key=MODEL, format_func=options.__getitem__)  # labels read now, in this run's language
    c1, c2, c3 = st.columns(3)
    n_in = _count(model, text)
    enc, exact = encoding_for(model)
    c1.metric(tr("price.input_tokens"), format_number(n_in, lang()),
              help=tr("price.counted_with", enc=enc) if exact else tr("price.estimated_with", enc=enc))
    n_req = int(c2.number_input(tr("price.requests"), 0, 1_000_000_000, 1000, step=100, key=REQUESTS))
    n_out = int(c3.number_input(tr("price.output_tokens"), 0, 1_000_000, 200, step=50, key=OUTPUT))
    est = Estimate(prices[model], n_in, n_out, n_req)
    m1, m2 = st.columns(2)
    m1.metric(tr("price.per_request"), money(est.per_request))
    m2.metric(tr("price.total"), money(est.total))
    st.caption(tr("price.detail", inp=format_number(n_in, lang()), pin=money(est.price.input),
                  out=format_number(n_out, lang()), pout=money(est.price.output), n=format_number(n_req, lang())))
    return model


def _fr_en(model: str, prices: dict, currency: str) -> None:
    """The same sentence in French and English, as input to `model`, × the number of requests."""
    n_req = int(st.session_state.get(REQUESTS, 1000))
    st.markdown(f"**{tr('price.fr_en')}**")
    st.caption(tr("price.fr_en_caption", n=format_number(n_req, lang()), model=model, enc=encoding_for(model)[0]))
    rows = []
    for code, key in (("fr", "tok.fr"), ("en", "tok.en")):
        n = _count(model, FR_EN[code])
        rows.append({tr("price.language"): tr(key), tr("price.tokens"): format_number(n, lang()),
                     tr("price.cost"): format_money(Estimate(prices[model], n, 0, n_req).total, currency, lang())})
    st.table(pd.DataFrame(rows).set_index(tr("price.language")))


def price_section(text: str) -> None:
    """The calculator under the page's tokens (nothing to compute without prices.toml)."""
    st.subheader(tr("price.title"))
    prices = priced_models()
    if not prices:
        st.info(tr("price.none", path=str(prices_path())))
        return
    st.caption(tr("price.intro"))
    currency = price_currency()
    model = _calculator(text, prices, currency)
    _fr_en(model, prices, currency)
