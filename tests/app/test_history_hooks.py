"""AppTest of ui.history_hooks.export_buttons (the Compare page's JSON / CSV / Markdown downloads)."""

from __future__ import annotations

from conftest import APP_TIMEOUT_S
from streamlit.testing.v1 import AppTest


def _script() -> None:
    from playground.runner import Result
    from providers.base import ChatMessage, GenerationRequest
    from ui.history_hooks import export_buttons

    model = "embedded/smollm2-135m-instruct"
    reqs = [GenerationRequest(model=model, messages=(ChatMessage("user", "Bonjour"),), max_tokens=8)]
    done = [Result(model=model, text="Salut", request_payload={"api_key": "sk-SECRET"})]
    export_buttons({"requests": reqs, "results": done, "running": False})  # finished: three buttons
    export_buttons({"requests": reqs, "results": done, "running": True}, key="live")  # streaming: none
    export_buttons({"requests": reqs, "results": [None], "running": False}, key="empty")  # no result: none
    export_buttons(None, key="none")


def test_export_buttons_only_for_finished_results():
    at = AppTest.from_function(_script, default_timeout=APP_TIMEOUT_S)
    at.run()
    assert not at.exception, at.exception
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert labels == ["JSON (tout)", "CSV", "Markdown"]
    assert all(b.proto.icon == ":material/download:" for b in buttons)
    assert all("cmp_export" in b.proto.id for b in buttons)
