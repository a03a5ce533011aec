"""The few-shot course demo on the real base model: three examples, and Gemma 3 270M (never told
to translate) continues "l'oiseau bleu" with its English translation, in both languages' prompts."""

from __future__ import annotations

import pytest

from playground.course_presets import course_preset
from playground.request import build_request
from playground.runner import run_stream


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_few_shot_examples_steer_the_base_model(registry, lang):
    p = course_preset("oiseau", lang)
    req = build_request(p.models[0], p.prompt, False, **dict(p.params))
    assert not req.is_chat  # the base model gets the raw text, no chat template
    r = run_stream(lambda: registry.stream(req), p.models[0])
    assert r.error is None
    assert r.text.strip().lower().startswith("the blue bird"), r.text
