"""Every page renders and runs top to bottom on a scripted provider (no model, no network):
the page sections hand each other the right values."""

from __future__ import annotations

import math
import threading
from pathlib import Path

import pytest
from conftest import APP_TIMEOUT_S
from streamlit.testing.v1 import AppTest

from providers.base import (
    Capabilities,
    Description,
    Finished,
    GenerationRequest,
    ModelInfo,
    TextDelta,
    TokenAlternative,
    TokenLogprob,
    Usage,
)
from providers.registry import Registry

APP = Path(__file__).resolve().parents[2] / "app.py"
WORDS = ("bouton", "rongeur", "câble")


class ScriptedProvider:
    """Answers every request with the same three tokens, each with top-3 logprobs."""

    name = "script"

    def list_models(self):
        return [ModelInfo(id="script/echo", provider="script", name="echo")]

    def capabilities(self, model):
        return Capabilities(mode="chat", max_top_logprobs=3, context_length=512)

    def describe(self):
        return Description(kind="compatible", address="scripted")

    def probe(self):
        return {"reachable": True, "version": "1", "models": 1, "latency_ms": 0.0}

    def count_tokens(self, model, text):
        return len(text.split())

    def stream(self, request: GenerationRequest, cancel: threading.Event | None = None):
        n = min(request.max_tokens, len(WORDS))
        top = tuple(TokenAlternative(" " + w, math.log(p)) for w, p in zip(WORDS, (0.6, 0.3, 0.1)))
        for w in WORDS[:n]:
            yield TextDelta(" " + w, (TokenLogprob(" " + w, math.log(0.6), top),) if request.top_logprobs else (), 1)
        yield Finished(Usage(3, n), "length" if n < len(WORDS) else "stop")


@pytest.fixture()
def app(monkeypatch, tmp_path):
    import ui.common

    monkeypatch.setenv("PLAYGROUND_HISTORY_DB", str(tmp_path / "h.sqlite"))
    monkeypatch.setattr(ui.common, "registry_or_embedded", lambda: (Registry({"script": ScriptedProvider()}), None))
    ui.common._shared_registry_and_error.clear()
    ui.common._shared_models.clear()
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)
    at.run()
    yield at
    ui.common._shared_registry_and_error.clear()
    ui.common._shared_models.clear()


def test_compare_runs_both_columns_and_history_reopens_them(app):
    assert not app.exception, app.exception
    app.button(key="cmp_run").click().run()
    assert not app.exception, app.exception
    state = app.session_state["compare_state"]
    assert [r.text for r in state["results"]] == [" bouton rongeur câble"] * 2
    app.switch_page("pages/history.py").run()
    assert not app.exception, app.exception


def test_next_token_page_reshapes_and_steps(app):
    app.switch_page("pages/next_token.py").run()
    assert not app.exception, app.exception
    assert any("3" in i.value for i in app.info)  # computed over the 3 returned logprobs
    app.button(key="nt_greedy").click().run()
    assert not app.exception, app.exception
    assert len(app.session_state["nt_state"]["trail"].steps) == 1
    app.button(key="nt_generate").click().run()
    assert not app.exception, app.exception


@pytest.mark.parametrize("path", ["pages/sampling_lab.py", "pages/benchmark.py", "pages/sentences.py",
                                  "pages/tokenizer.py", "pages/settings.py", "pages/history.py"])
def test_every_page_renders(app, path):
    app.switch_page(path).run()
    assert not app.exception, app.exception


def test_sampling_lab_runs_its_grid_and_determinism_check(app):
    app.switch_page("pages/sampling_lab.py").run()
    app.text_input(key="lab_temps").set_value("0, 1").run()
    app.button(key="lab_run").click().run()
    assert not app.exception, app.exception
    assert list(app.session_state["lab_state"].temperatures) == [0.0, 1.0]
    app.button(key="lab_det_run").click().run()
    assert not app.exception, app.exception
    assert app.session_state["lab_det"].identical


def test_benchmark_runs_on_the_scripted_model(app):
    app.switch_page("pages/benchmark.py").run()
    app.button(key="bench_run").click().run()
    assert not app.exception, app.exception
    report = app.session_state["bench_state"]["report"]
    assert report is not None and all(s.text == " bouton rongeur câble" for s in report.samples)


def test_sentences_page_generates_and_keeps_the_run(app):
    app.switch_page("pages/sentences.py").run()
    app.button(key="sent_generate").click().run()
    assert not app.exception, app.exception
    assert app.session_state["sent_state"]["raw"] == " bouton rongeur câble"
