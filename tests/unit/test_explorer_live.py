"""The live chart's payload (what the browser reshapes from), the settings it sends back
(untrusted input), its labels, and its directory assembled from the installed plotly."""

from __future__ import annotations

import numpy as np

from playground.explorer import Distribution, view
from playground.explorer_live import (
    LABEL_KEYS,
    SHOW_MAX,
    Settings,
    live_labels,
    live_payload,
    pick_from_value,
    settings_from_value,
)
from playground.i18n import catalogue
from providers.sampling import SamplingParams, reshape


def test_payload_holds_every_logit_sorted_with_ties_by_position_and_the_first_pieces():
    logits = np.array([0.5, 2.0, -1.0, 2.0, 1.5, 0.5], dtype=np.float32)
    pieces = {0: "<b>a</b>", 1: "b", 2: "c", 3: "d", 4: "e", 5: "f"}
    dist = Distribution("test/x", logits, True, 6, 3, _piece_fn=pieces.get)
    p = live_payload(dist)
    assert list(p.order) == [1, 3, 4, 0, 5, 2]
    assert np.frombuffer(p.logits, dtype="<f4").tolist() == [2.0, 2.0, 1.5, 0.5, 0.5, -1.0]
    assert [t["id"] for t in p.meta["top"]] == [1, 3, 4, 0, 5, 2]
    assert p.meta["top"][3]["label"] == "4. &lt;b&gt;a&lt;/b&gt;"  # escaped for Plotly's tag handling
    assert p.meta["top"][3]["text"] == "'<b>a</b>'"  # plain text: the browser sets it as text
    assert p.meta["exact"] and p.meta["vocab"] == 6 and p.meta["n"] == 6
    # the sorted order is the order the server shows, at any temperature
    for t in (0.0, 0.3, 1.0, 2.0):
        assert [c.index for c in view(dist, SamplingParams(t), show=6).candidates] == list(p.order)


def test_payload_key_changes_with_the_distribution_only():
    a = Distribution("m", np.array([1.0, 2.0, 3.0], dtype=np.float32), True, 3, 1)
    b = Distribution("m", np.array([1.0, 2.0, 3.5], dtype=np.float32), True, 3, 1)
    assert live_payload(a).meta["key"] == live_payload(a).meta["key"] != live_payload(b).meta["key"]
    big = Distribution("m", np.zeros(50, dtype=np.float32), True, 50, 1)
    assert len(live_payload(big).meta["top"]) == SHOW_MAX


def test_settings_from_the_browser_are_clamped_and_junk_falls_back():
    before = Settings(0.7, 5, 0.9, 0.05, 8)
    assert settings_from_value(None, before) == before
    assert settings_from_value({"settings": "x"}, before) == before
    got = settings_from_value({"settings": {"temperature": 9, "top_k": -3, "top_p": "0.5", "min_p": None,
                                            "show": 7.6}}, before)
    assert got == Settings(2.0, 0, 0.5, 0.05, 8)
    got = settings_from_value({"settings": {"temperature": float("nan"), "top_k": 12.2, "top_p": 0.0, "show": 99}}, before)
    assert got == Settings(0.7, 12, 0.01, 0.05, 20)
    assert isinstance(got.top_k, int) and isinstance(got.show, int)
    assert got.params == SamplingParams(0.7, 12, 0.01, 0.05)


def test_a_bar_click_is_taken_once_and_only_for_a_shown_token():
    value = {"settings": {}, "pick": {"rank": 2, "count": 4}}
    assert pick_from_value(value, seen=3, n=50) == (2, 4)
    assert pick_from_value(value, seen=4, n=50) is None  # already appended (a rerun re-reads the value)
    assert pick_from_value({"pick": {"rank": 2, "count": 5}}, seen=4, n=2) is None  # no such token
    assert pick_from_value({"pick": {"rank": SHOW_MAX, "count": 5}}, seen=4, n=500) is None
    assert pick_from_value({"pick": {"rank": "x", "count": 5}}, seen=0, n=5) is None
    assert pick_from_value({"settings": {}}, seen=0, n=5) is None


def test_every_label_exists_in_french_and_english_with_french_typography():
    cat = catalogue()
    for key in LABEL_KEYS.values():
        assert cat[key]["fr"] and cat[key]["en"], key
    fr, en = live_labels("fr"), live_labels("en")
    assert fr["decimal"] == "," and en["decimal"] == "."
    assert fr["percent"] == "{v}\u202f%" and en["percent"] == "{v}%"
    assert fr["thousands"] == "\u202f"
    assert fr["cut"] == "coupé" and en["cut"] == "cut"


def test_reshape_keeps_underflowed_weights_in_logit_order():
    # at T = 0.05 every weight but the two favourites' rounds to 0: shown in logit order, not id order
    x = np.array([-90.0, -60.0, -75.0, 5.0, 4.0, -61.0], dtype=np.float32)
    r = reshape(x, SamplingParams(0.05), show=6)
    assert list(r.ids) == [3, 4, 1, 5, 2, 0]
    r = reshape(x, SamplingParams(0.05, top_k=4), show=6)
    assert list(r.ids) == [3, 4, 1, 5, 2, 0] and r.n_kept == 4


def test_component_directory_is_assembled_from_the_installed_plotly(tmp_path):
    from ui.live_explorer import FILES, component_dir, plotly_js

    d = component_dir(tmp_path)
    for name in FILES:
        assert (d / name).is_file()
    assert (d / "plotly.min.js").stat().st_size == plotly_js().stat().st_size
    assert (d / "plotly.min.js").read_bytes()[:200] == plotly_js().read_bytes()[:200]
    assert component_dir(tmp_path) == d  # built once
    assert [p.name for p in tmp_path.iterdir()] == [d.name]  # no temporary directory left behind
