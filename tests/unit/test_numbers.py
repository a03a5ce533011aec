"""French and English number typography of the anatomy and score pages."""

from playground.models import format_size
from playground.numbers import NNBSP, count, number, percent, size, small_percent


def test_french_typography():
    assert number(1234567.891, "fr", 2) == f"1{NNBSP}234{NNBSP}567,89"
    assert percent(0.1234, "fr") == f"12,3{NNBSP}%"
    assert size(98_362_432, "fr") == "98,4\u00a0Mo"  # as the Models page writes it
    assert size(1_234_567_890, "fr") == "1,2\u00a0Go"
    assert count(134_515_008, "fr") == f"134,5{NNBSP}M"
    assert small_percent(2e-6, "fr") == f"0,00020{NNBSP}%"


def test_english_typography():
    assert number(1234567.891, "en", 2) == "1,234,567.89"
    assert percent(0.1234, "en") == "12.3%"
    assert size(98_362_432, "en") == "98.4\u00a0MB"
    assert count(1_543_714_304, "en") == "1.5B"
    assert small_percent(0.012, "en") == "1.2%"
    assert number(None, "en") == size(None, "fr") == "—"


def test_sizes_match_the_models_page():
    for n in (0, 999, 98_362_432, 253_113_024, 1_234_567_890, 5 * 10**12):
        for lang in ("fr", "en"):
            assert size(n, lang) == format_size(n, lang)
