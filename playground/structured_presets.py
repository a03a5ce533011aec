"""The course's structured-output exercise: "5 conversations … définition de l'acronyme SNCF",
asked for as JSON, with the schema that makes the answer checkable (FR and EN).

The schema is what a workshop attendee would write: a list of conversations, each a list of
turns with a role and a content. Bounds (5 conversations, 2–6 turns, short contents) keep a small
model's constrained answer inside a Compare column's token budget.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

SNCF_SCHEMA: dict = {
    "title": "sncf_conversations",
    "type": "object",
    "properties": {
        "conversations": {
            "type": "array",
            "minItems": 5,
            "maxItems": 5,
            "items": {
                "type": "object",
                "properties": {
                    "turns": {
                        "type": "array",
                        "minItems": 2,
                        "maxItems": 6,
                        "items": {
                            "type": "object",
                            "properties": {
                                "role": {"type": "string", "enum": ["user", "assistant"]},
                                "content": {"type": "string", "minLength": 1, "maxLength": 160},
                            },
                            "required": ["role", "content"],
                            "additionalProperties": False,
                        },
                    },
                },
                "required": ["turns"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["conversations"],
    "additionalProperties": False,
}

SNCF_PROMPT = {
    "fr": ("Génère 5 conversations courtes entre un utilisateur et un assistant, au format JSON. Dans chacune, "
           "l'utilisateur demande la définition de l'acronyme SNCF et l'assistant répond : Société nationale des "
           "chemins de fer français. Chaque conversation est une liste de tours (role : user ou assistant, content)."),
    "en": ("Generate 5 short conversations between a user and an assistant, as JSON. In each one, the user asks what "
           "the acronym SNCF stands for and the assistant answers: Société nationale des chemins de fer français "
           "(the French national railway company). Each conversation is a list of turns (role: user or assistant, "
           "content)."),
}


@dataclass(frozen=True)
class StructuredExercise:
    key: str  # catalogue key of its title: structured.exercise.<key>
    prompt: dict[str, str]  # language -> prompt
    schema: dict
    params: dict  # what makes the point in a Compare column (budget for 5 conversations, a seed)

    def schema_text(self) -> str:
        """The schema as the text area shows it: indented, readable, editable."""
        return json.dumps(self.schema, ensure_ascii=False, indent=2)


SNCF = StructuredExercise("sncf", SNCF_PROMPT, SNCF_SCHEMA, {"temperature": 0.7, "max_tokens": 1024, "seed": 42})
EXERCISES = {SNCF.key: SNCF}
