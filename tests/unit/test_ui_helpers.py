"""Pure helpers behind the pages: stop lines, translated errors, raw output, parallel listing."""

import threading

from playground.i18n import translate
from playground.runner import Result
from providers.base import ModelInfo, ServerError
from providers.registry import Registry
from ui.widgets import error_text, output_html, parse_stop_lines


def test_stop_lines_keep_accents_and_trailing_backslashes():
    assert parse_stop_lines("Réponse\nfin\\\n\\n\\nQ:\n") == ("Réponse", "fin\\", "\n\nQ:")


def test_coded_errors_are_translated_and_others_get_a_translated_lead():
    r = Result(model="m", error="Temperature must be between 0 and 2 (got 3).", error_kind="invalid_request",
               error_code="temperature_range", error_params={"value": 3})
    assert error_text(r, "fr") == "La température doit être comprise entre 0 et 2 (reçu 3)."
    other = Result(model="m", error="Cannot connect to http://h:1 (connection refused).", error_kind="unavailable")
    assert error_text(other, "fr") == "Serveur injoignable — Cannot connect to http://h:1 (connection refused)."
    assert error_text(r, "en") == translate("error.temperature_range", "en", value=3)


def test_model_output_is_shown_raw_and_escaped():
    out = output_html("<|im_start|>assistant\n<img src=x onerror=alert(1)> $x$")
    assert "&lt;|im_start|&gt;" in out and "&lt;img src=x" in out and "<img" not in out
    assert "white-space:pre-wrap" in out


class _SlowProvider:
    """Answers only when the other provider is being asked at the same time."""

    def __init__(self, name: str, barrier: threading.Barrier, fail: bool = False) -> None:
        self.name, self.barrier, self.fail = name, barrier, fail

    def list_models(self):
        self.barrier.wait(timeout=10)  # raises BrokenBarrierError if providers are asked one by one
        if self.fail:
            raise ServerError(f"{self.name} is down")
        return [ModelInfo(id=f"{self.name}/m", provider=self.name, name="m")]


def test_providers_are_listed_in_parallel_in_configured_order():
    barrier = threading.Barrier(3)
    reg = Registry({"b": _SlowProvider("b", barrier), "a": _SlowProvider("a", barrier), "c": _SlowProvider("c", barrier, True)})
    models, errors = reg.list_models()
    assert [m.id for m in models] == ["b/m", "a/m"]
    assert errors == {"c": "c is down"}
