"""The training-sentences page on a provider that answers what SmolLM2-135M really answered: junk
is never offered ticked, and a model that produced nothing usable is told so plainly."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from providers.base import Capabilities, Description, Finished, GenerationRequest, ModelInfo, TextDelta, Usage
from providers.registry import Registry

APP = Path(__file__).resolve().parents[2] / "app.py"
JUNK = '["en\\" 2", "1c", "108585", "phrase 1, phrase 2", "bonjour le bot"]'
MIXED = '["Salut le bot", "1c", "Hello bot, how are you?", "Coucou !"]'


class Answers:
    """A chat model that always gives the same answer."""

    name = "script"

    def __init__(self, text: str) -> None:
        self.text = text

    def list_models(self):
        return [ModelInfo(id="script/tiny", provider="script", name="tiny")]

    def capabilities(self, model):
        return Capabilities(mode="chat", context_length=512)

    def describe(self):
        return Description(kind="compatible", address="scripted")

    def probe(self):
        return {"reachable": True, "version": "1", "models": 1, "latency_ms": 0.0}

    def count_tokens(self, model, text):
        return len(text.split())

    def stream(self, request: GenerationRequest, cancel: threading.Event | None = None):
        yield TextDelta(self.text, (), 1)
        yield Finished(Usage(10, 1), "stop")


def _page(monkeypatch, tmp_path, text: str) -> AppTest:
    import ui.common

    monkeypatch.setenv("PLAYGROUND_HISTORY_DB", str(tmp_path / "h.sqlite"))
    monkeypatch.setattr(ui.common, "registry_or_embedded", lambda: (Registry({"script": Answers(text)}), None))
    ui.common._shared_registry_and_error.clear()
    ui.common._shared_models.clear()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("pages/sentences.py").run()
    at.button(key="sent_generate").click().run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(autouse=True)
def _clear_caches():
    yield
    import ui.common

    ui.common._shared_registry_and_error.clear()
    ui.common._shared_models.clear()


def test_only_junk_says_nothing_usable_and_ticks_nothing(monkeypatch, tmp_path):
    at = _page(monkeypatch, tmp_path, JUNK)
    state = at.session_state["sent_state"]
    assert state["sentences"] == []
    assert [why for _, why in state["rejected"]] == ["debris", "fragment", "number", "template", "example"]
    warning = " ".join(w.value for w in at.warning)
    assert "aucune variante utilisable" in warning and "modèle instruct plus gros" in warning
    assert not at.success  # no success message for junk


def test_mixed_answer_ticks_only_the_real_variants(monkeypatch, tmp_path):
    at = _page(monkeypatch, tmp_path, MIXED)
    state = at.session_state["sent_state"]
    assert state["sentences"] == ["Salut le bot", "Coucou !"]
    assert state["rejected"] == [("1c", "fragment"), ("Hello bot, how are you?", "language")]
    assert not at.warning
    assert any("2 variantes retenues" in c.value for c in at.caption)
