"""French and English number typography of the anatomy and score pages."""

from playground.numbers import NNBSP, count, number, percent, size, small_percent


def test_french_typography():
    assert number(1234567.891, "fr", 2) == f"1{NNBSP}234{NNBSP}567,89"
    assert percent(0.1234, "fr") == f"12,3{NNBSP}%"
    assert size(98_362_432, "fr") == f"93,8{NNBSP}Mo"
    assert count(134_515_008, "fr") == f"134,5{NNBSP}M"
    assert small_percent(2e-6, "fr") == f"0,00020{NNBSP}%"


def test_english_typography():
    assert number(1234567.891, "en", 2) == "1,234,567.89"
    assert percent(0.1234, "en") == "12.3%"
    assert size(98_362_432, "en") == "93.8 MB"
    assert count(1_543_714_304, "en") == "1.5B"
    assert small_percent(0.012, "en") == "1.2%"
    assert number(None, "en") == size(None, "fr") == "—"
