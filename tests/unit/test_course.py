"""The course's demos (both languages, the page each opens) and the price calculator's arithmetic
and typography."""

from __future__ import annotations

import pytest

from playground.classroom import PRESET_PAGES, Preset
from playground.cost import Price, load_prices
from playground.course_presets import BASE, CHAT, COURSE_PRESETS, course_preset, course_presets
from playground.i18n import catalogue
from playground.price_calc import Estimate, encoding_for, format_money, money_digits, price_currency, priced_models

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_course_demo_has_its_own_text_in_both_languages(lang):
    for c in COURSE_PRESETS:
        p = course_preset(c.key, lang)
        assert p.prompt == c.prompt[lang] and p.page in PRESET_PAGES
        assert catalogue()[f"course.{c.key}"][lang]
        assert Preset.from_dict(p.to_dict()) == p  # the room can store and publish it
    assert {c.key for c in COURSE_PRESETS} >= {"souris", "gratin", "cupboard", "billes", "oiseau", "sncf", "fr_en"}
    # French and English are different texts (a translation, not a copy), except none
    assert all(c.prompt["fr"] != c.prompt["en"] for c in COURSE_PRESETS)


def test_course_demos_carry_the_course_wording_and_models():
    fr = {c.key: course_preset(c.key, "fr") for c in COURSE_PRESETS}
    assert fr["souris"].prompt == "La souris de l'ordinateur est un" and fr["souris"].models == (BASE,)
    assert fr["gratin"].prompt.startswith("Le gratin dauphinois est un plat") and fr["gratin"].page == "next-token"
    assert fr["cupboard"].models == (BASE, CHAT)  # base and chat side by side
    assert "tomates pelées, du riz et du poulet" in fr["cupboard"].prompt
    assert "20 billes" in fr["billes"].prompt and "5 à chaque enfant" in fr["billes"].prompt
    assert fr["oiseau"].prompt.rstrip().endswith("l'oiseau bleu\nAnglais :") and fr["oiseau"].models == (BASE,)
    assert fr["oiseau"].prompt.count("Anglais :") == 4  # three examples, then the one to continue
    assert "5 conversations" in fr["sncf"].prompt and "SNCF" in fr["sncf"].prompt and "JSON" in fr["sncf"].prompt
    assert fr["fr_en"].page == "tokenizer" and "tiktoken/o200k_base" in fr["fr_en"].models
    en = course_preset("oiseau", "en")
    assert en.prompt.endswith("French: l'oiseau bleu\nEnglish:") and en.prompt != fr["oiseau"].prompt


def test_every_page_a_demo_opens_is_a_page_of_the_app():
    from ui.room_sync import PAGE_FILES, url_file

    assert set(PAGE_FILES) == set(PRESET_PAGES)
    assert all(url_file(page) == PAGE_FILES[page] for page in PRESET_PAGES)
    assert all(catalogue()[f"room.page.{page}"] for page in PRESET_PAGES)  # the room's preset card names it


def test_demos_by_page():
    assert [c.key for c in course_presets("next-token")] == ["souris", "gratin"]
    assert [c.key for c in course_presets("tokenizer")] == ["fr_en"]
    assert {"cupboard", "billes", "oiseau", "sncf"} <= {c.key for c in course_presets("compare")}


def test_estimate_arithmetic():
    e = Estimate(Price(input=2.50, output=10.00), input_tokens=20, output_tokens=200, requests=1000)
    assert e.per_request == pytest.approx((20 * 2.50 + 200 * 10.00) / 1e6)  # 0.00205
    assert e.total == pytest.approx(2.05)
    assert Estimate(Price(0.15, 0.60), 1_000_000, 0).per_request == pytest.approx(0.15)
    assert Estimate(Price(0.15, 0.60), 0, 1_000_000, 3).total == pytest.approx(1.80)
    assert Estimate(Price(1, 1), 10, 10, 0).total == 0
    with pytest.raises(ValueError):
        Estimate(Price(1, 1), -1, 0)


def test_money_in_french_and_english():
    assert format_money(2.05, "USD", "fr") == f"2,05{NBSP}$"
    assert format_money(2.05, "USD", "en") == "$2.05"
    assert format_money(1234.5, "EUR", "fr") == f"1{NNBSP}234,50{NBSP}€"
    assert format_money(1234.5, "EUR", "en") == "€1,234.50"
    assert format_money(0.00205, "USD", "fr") == f"0,00205{NBSP}$"  # three significant digits
    assert format_money(0.000135, "USD", "en") == "$0.000135"
    assert format_money(0, "USD", "fr") == f"0,00{NBSP}$"
    assert format_money(3.5, "GBP", "en") == "3.50 GBP" and format_money(3.5, "GBP", "fr") == f"3,50{NBSP}GBP"
    assert format_money(0.15, "USD", "fr") == f"0,15{NBSP}$" and format_money(0.055, "USD", "en") == "$0.055"
    assert format_money(0.5, "EUR", "en") == "€0.50" and format_money(10, "USD", "en") == "$10.00"
    assert money_digits(12.345) == 2 and money_digits(0.5) == 3


def test_currency_and_prices_come_from_prices_toml(tmp_path):
    assert price_currency() == "USD" and priced_models()["gpt-4o"] == load_prices()["gpt-4o"]
    f = tmp_path / "prices.toml"
    f.write_text('currency = "eur"\n[models]\n"b-model" = { input = 1, output = 2 }\n"a-model" = { input = 3, output = 4 }\n')
    assert price_currency(f) == "EUR"
    assert list(priced_models(f)) == ["a-model", "b-model"]
    f.write_text('[models]\n"a" = { input = 1, output = 2 }\n')
    assert price_currency(f) == "USD"  # not said: the providers' dollars
    f.write_text("currency = [broken")
    assert price_currency(f) == "USD" and priced_models(f) == {}
    assert price_currency(tmp_path / "missing.toml") == "USD"


def test_each_model_is_counted_with_its_encoding():
    assert encoding_for("gpt-4o-mini") == ("o200k_base", True)
    assert encoding_for("openai/gpt-4o") == ("o200k_base", True)
    assert encoding_for("gpt-3.5-turbo") == ("cl100k_base", True)
    assert encoding_for("gpt-4-turbo") == ("cl100k_base", True)
    assert encoding_for("gpt-4.1") == ("o200k_base", True)
    assert encoding_for("anthropic/claude-sonnet-4") == ("o200k_base", False)  # an estimate


def test_french_strings_of_this_area_use_a_narrow_no_break_space_before_high_punctuation():
    import re

    from playground.locales.course import STRINGS

    assert not [k for k, v in STRINGS.items() if re.search(r"[ \u00a0][:;?!]", v["fr"])]
    assert NNBSP + ":" in STRINGS["course.loaded"]["fr"]
