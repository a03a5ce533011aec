"""Course presets the instructor can push to the room in one click (FR and EN texts).

Each one is a demo from the course material (PRODUCT.md): the page it opens, the prompt in the
instructor's language, the bundled models it needs (the base model for next-token demos: the
camembert/souris demo needs a model that continues text), and the parameters that make the
point (a temperature to play with, a seed so the room can compare).
"""

from __future__ import annotations

from dataclasses import dataclass

from playground.classroom import Preset
from playground.structured_presets import SNCF
from providers.structured import canonical_schema

BASE = "embedded/gemma-3-270m"  # a base model: it continues the text
CHAT = "embedded/smollm2-135m-instruct"  # a small chat model


@dataclass(frozen=True)
class CoursePreset:
    key: str  # catalogue key of its title: course.<key>
    page: str
    prompt: dict[str, str]  # language -> prompt
    models: tuple[str, ...]
    params: dict
    json_schema: str = ""  # Compare opens with "JSON output" and this schema (compact JSON)


COURSE_PRESETS: tuple[CoursePreset, ...] = (
    CoursePreset("souris", "next-token",
                 {"fr": "La souris de l'ordinateur est un", "en": "The computer mouse is a"},
                 (BASE,), {"temperature": 1.0, "top_k": 0, "top_p": 1.0, "min_p": 0.0}),
    CoursePreset("gratin", "next-token",
                 {"fr": "Le gratin dauphinois est un plat", "en": "Gratin dauphinois is a dish"},
                 (BASE,), {"temperature": 1.0, "top_k": 0, "top_p": 1.0, "min_p": 0.0}),
    CoursePreset("cupboard", "compare",
                 {"fr": "J'ai dans mon placard des tomates pelées, du riz et du poulet. Qu'est-ce que je peux cuisiner ?",
                  "en": "In my cupboard I have peeled tomatoes, rice and chicken. What can I cook?"},
                 (BASE, CHAT), {"temperature": 0.7, "max_tokens": 96, "seed": 42}),
    CoursePreset("temperature", "compare",
                 {"fr": "Écris une phrase d'accroche pour une boulangerie de quartier.",
                  "en": "Write a one-line slogan for a neighbourhood bakery."},
                 (CHAT, CHAT, CHAT), {"temperature": 1.5, "max_tokens": 48, "seed": 7}),
    CoursePreset("billes", "compare",
                 {"fr": "Si tu as 20 billes et tu en donnes 5 à chaque enfant, combien d'enfants reçoivent des billes ? "
                        "Est-ce que ce sont 3 enfants ?",
                  "en": "If you have 20 marbles and give 5 to each child, how many children get marbles? Is it 3 children?"},
                 (CHAT,), {"temperature": 0.2, "max_tokens": 128, "seed": 42}),
    # structured output: the chat model next to the base model, both held to the same schema
    CoursePreset("sncf", "compare", SNCF.prompt, (CHAT, BASE), dict(SNCF.params),
                 canonical_schema(SNCF.schema_text()) or ""),
)


def course_preset(key: str, lang: str, title: str = "") -> Preset:
    """The Preset for course preset `key`, its prompt in `lang` (French when missing)."""
    c = next(c for c in COURSE_PRESETS if c.key == key)
    return Preset(page=c.page, prompt=c.prompt.get(lang) or c.prompt["fr"], models=c.models, params=dict(c.params),
                  title=title, json_schema=c.json_schema)
