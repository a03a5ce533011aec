"""AppTest: a conversation on the Compare page with one column that fails its first turn. The error
stays in that column; the follow-up reaches both columns, each with its own history; the failed
column continues with the turns it has and says so; an empty follow-up is refused without losing
anything; New conversation resets."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from providers.base import (
    Capabilities,
    Description,
    Finished,
    GenerationRequest,
    ModelInfo,
    ServerError,
    TextDelta,
    Usage,
    split_model_id,
)
from providers.registry import Registry

APP = Path(__file__).resolve().parents[2] / "app.py"


class TwoModels:
    """`script/steady` answers "answer <n>"; `script/flaky` fails its first request, then answers."""

    name = "script"

    def __init__(self) -> None:
        self.requests: list[GenerationRequest] = []
        self._lock = threading.Lock()

    def list_models(self):
        return [ModelInfo(id=f"script/{n}", provider="script", name=n) for n in ("steady", "flaky")]

    def capabilities(self, model):
        return Capabilities(mode="chat", context_length=4096)

    def describe(self):
        return Description(kind="compatible", address="scripted")

    def probe(self):
        return {"reachable": True, "version": "1", "models": 2, "latency_ms": 0.0}

    def count_tokens(self, model, text):
        return len(text.split())

    def stream(self, request: GenerationRequest, cancel: threading.Event | None = None):
        with self._lock:
            self.requests.append(request)
            n = sum(1 for q in self.requests if q.model == request.model)
        if split_model_id(request.model)[1] == "flaky" and n == 1:
            raise ServerError("The server failed (HTTP 503).", status=503)
        yield TextDelta(f"answer {n}", (), 2)
        yield Finished(Usage(5, 2), "stop")


@pytest.fixture()
def provider(monkeypatch, tmp_path):
    import ui.common

    prov = TwoModels()
    monkeypatch.setenv("PLAYGROUND_HISTORY_DB", str(tmp_path / "h.sqlite"))
    monkeypatch.setattr(ui.common, "registry_or_embedded", lambda: (Registry({"script": prov}), None))
    ui.common._shared_registry_and_error.clear()
    ui.common._shared_models.clear()
    yield prov
    ui.common._shared_registry_and_error.clear()
    ui.common._shared_models.clear()


def test_follow_up_continues_each_columns_own_conversation(provider, tmp_path):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.selectbox(key="cmp_model_0").set_value("script/steady")
    at.selectbox(key="cmp_model_1").set_value("script/flaky")
    at.text_area(key="cmp_prompt").set_value("Bonjour")
    at.button(key="cmp_run").click().run()
    assert not at.exception, at.exception
    first = at.session_state["compare_state"]
    assert first["results"][0].text == "answer 1" and first["results"][1].error  # the error stays in column 2

    at.button(key="cmp_followup_send").click().run()  # empty: refused, nothing lost
    assert any("vide" in e.value for e in at.error)
    assert at.session_state["compare_state"]["results"][0].text == "answer 1"

    at.text_area(key="cmp_followup").set_value("Et ensuite ?")
    at.button(key="cmp_followup_send").click().run()
    assert not at.exception, at.exception
    state = at.session_state["compare_state"]
    steady, flaky = state["requests"]
    assert [(m.role, m.content) for m in steady.messages] == [
        ("user", "Bonjour"), ("assistant", "answer 1"), ("user", "Et ensuite ?")]
    assert [(m.role, m.content) for m in flaky.messages] == [("user", "Et ensuite ?")]  # turn 1 failed there
    assert [r.text for r in state["results"]] == ["answer 2", "answer 2"]
    assert len(state["turns"]) == 1 and at.text_area(key="cmp_followup").value == ""
    notes = [c.value for c in at.caption if "laissé de côté" in c.value]
    assert notes == ["Sans réponse dans cette colonne, donc laissé de côté : tour 1. "
                     "La conversation continue avec les tours qu'elle a."]
    from playground.store import HistoryStore

    [row] = HistoryStore(tmp_path / "h.sqlite").list_runs(kind="compare")  # one row for the conversation
    assert row.summary["turns"] == 2 and row.title == "Bonjour"

    at.button(key="cmp_new_conversation").click().run()
    assert "compare_state" not in at.session_state
    assert not [m for m in at.markdown if "pg-turn" in m.value]
