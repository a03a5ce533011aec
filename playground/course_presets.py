"""The course's demos (FR and EN texts), for everyone's "Course demos" picker and for the
instructor's room.

Each one is a demo from the course material (docs PRODUCT.md): the page it opens, the prompt in
the visitor's language (French as the course writes it, English a faithful translation), the
bundled models it needs (the base model for next-token demos: the camembert/souris demo needs a
model that continues text), and the parameters that make the point (a temperature to play with,
a seed so a room can compare). On the Tokenizers page the "models" are the tokenizers to show.
"""

from __future__ import annotations

from dataclasses import dataclass

from playground.classroom import Preset
from playground.structured_presets import SNCF
from playground.tokenize import FR_EN_PAIR
from providers.structured import canonical_schema

BASE = "embedded/gemma-3-270m"  # a base model: it continues the text
CHAT = "embedded/smollm2-135m-instruct"  # a small chat model
O200K = "tiktoken/o200k_base"  # GPT-4o's tokenizer, bundled offline
FLAT = {"temperature": 1.0, "top_k": 0, "top_p": 1.0, "min_p": 0.0}  # the model's own distribution


@dataclass(frozen=True)
class CoursePreset:
    key: str  # catalogue key of its title: course.<key>
    page: str
    prompt: dict[str, str]  # language -> prompt
    models: tuple[str, ...]
    params: dict
    json_schema: str = ""  # Compare opens with "JSON output" and this schema (compact JSON)


# A few-shot prompt: a base model has never been told "translate"; the examples alone make the
# next line a translation (it continues after the last label). It ends on the course's "l'oiseau
# bleu" in both languages (only the labels are translated); few tokens: the answer, not a new example.
_FEW_SHOT = {
    "fr": "Français : le chat noir\nAnglais : the black cat\n\n"
          "Français : la maison rouge\nAnglais : the red house\n\n"
          "Français : le chien blanc\nAnglais : the white dog\n\n"
          "Français : l'oiseau bleu\nAnglais :",
    "en": "French: le chat noir\nEnglish: the black cat\n\n"
          "French: la maison rouge\nEnglish: the red house\n\n"
          "French: le chien blanc\nEnglish: the white dog\n\n"
          "French: l'oiseau bleu\nEnglish:",
}

# The course's JSON exercise: synthetic conversations for a FAQ bot, asked as JSON.
# The same sentence in both languages (the Tokenizers page's French vs English cost).
FR_EN = dict(zip(("fr", "en"), FR_EN_PAIR))

COURSE_PRESETS: tuple[CoursePreset, ...] = (
    CoursePreset("souris", "next-token",
                 {"fr": "La souris de l'ordinateur est un", "en": "The computer mouse is a"}, (BASE,), FLAT),
    CoursePreset("gratin", "next-token",
                 {"fr": "Le gratin dauphinois est un plat", "en": "Gratin dauphinois is a dish"}, (BASE,), FLAT),
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
    CoursePreset("oiseau", "compare", _FEW_SHOT, (BASE,), {"temperature": 0.2, "max_tokens": 5, "seed": 42}),
    # structured output: the chat model next to the base model, both held to the same schema
    CoursePreset("sncf", "compare", SNCF.prompt, (CHAT, BASE), dict(SNCF.params),
                 canonical_schema(SNCF.schema_text()) or ""),
    CoursePreset("fr_en", "tokenizer", FR_EN, (CHAT, BASE, O200K), {}),
)


def course_presets(page: str | None = None) -> tuple[CoursePreset, ...]:
    """The course's demos, those of one page when `page` is given."""
    return tuple(c for c in COURSE_PRESETS if page is None or c.page == page)


def course_preset(key: str, lang: str, title: str = "") -> Preset:
    """The Preset for course preset `key`, its prompt in `lang` (French when missing)."""
    c = next(c for c in COURSE_PRESETS if c.key == key)
    return Preset(page=c.page, prompt=c.prompt.get(lang) or c.prompt["fr"], models=c.models, params=dict(c.params),
                  title=title, json_schema=c.json_schema)
