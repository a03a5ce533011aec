"""Pure helpers behind the pages: stop lines, translated errors, raw output, parallel listing."""

import threading

from support.scripted import ScriptedProvider

from playground.i18n import translate
from playground.runner import Result
from providers.base import ServerError
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


def _listed_only_together(barrier: threading.Barrier, fail: bool = False):
    """A listing that answers only when the other providers are being asked at the same time."""

    def on_list(provider):
        barrier.wait(timeout=10)  # raises BrokenBarrierError if providers are asked one by one
        if fail:
            raise ServerError(f"{provider.name} is down")

    return on_list


def test_providers_are_listed_in_parallel_in_configured_order():
    barrier = threading.Barrier(3)
    reg = Registry({name: ScriptedProvider(name=name, on_list=_listed_only_together(barrier, fail=name == "c"))
                    for name in ("b", "a", "c")})
    models, errors = reg.list_models()
    assert [m.id for m in models] == ["b/m", "a/m"]
    assert errors == {"c": "c is down"}
