"""Benchmark prompt sets: the built-in French and English sets, and uploads (CSV, JSONL, TXT)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from playground.i18n import catalogue, translate

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Prompt:
    """One benchmark prompt (`id` is stable across repetitions, for tables and exports)."""

    id: str
    text: str
    system: str | None = None


BUILTIN_SETS: dict[str, tuple[Prompt, ...]] = {
    "fr": tuple(
        Prompt(f"fr-{i + 1:02d}", t)
        for i, t in enumerate(
            [
                "Explique en deux phrases ce qu'est un grand modèle de langage.",
                "La souris de l'ordinateur est un …",
                "Donne la recette du gratin dauphinois en cinq étapes.",
                "J'ai dans mon placard des tomates pelées, du riz et du poulet. Qu'est-ce que je peux cuisiner ?",
                "Que signifie l'acronyme SNCF ?",
                "Si tu as 20 billes et tu en donnes 5 à chaque enfant, combien d'enfants reçoivent des billes ?",
                "Écris un haïku sur la pluie à Paris.",
                "Traduis en anglais : « Le chat dort sur le canapé. »",
                "Cite trois fromages français et leur région d'origine.",
                "Résume l'histoire du Petit Chaperon rouge en trois phrases.",
            ]
        )
    ),
    "en": tuple(
        Prompt(f"en-{i + 1:02d}", t)
        for i, t in enumerate(
            [
                "Explain in two sentences what a large language model is.",
                "The computer mouse is a …",
                "Give a recipe for pancakes in five steps.",
                "I have canned tomatoes, rice and chicken in my cupboard. What can I cook?",
                "What does the acronym NASA stand for?",
                "If you have 20 marbles and give 5 to each child, how many children get marbles?",
                "Write a haiku about rain in London.",
                "Translate into French: \"The cat is sleeping on the sofa.\"",
                "Name three planets of the solar system and one fact about each.",
                "Summarise the story of Little Red Riding Hood in three sentences.",
            ]
        )
    ),
}


class PromptSetError(ValueError):
    """An upload that cannot be used as a prompt set; the message says why and what to do.

    With a `code`, the catalogue says it in the person's language ("prompts.<code>", with `params`)."""

    def __init__(self, message: str, *, code: str | None = None, params: dict | None = None) -> None:
        super().__init__(message)
        self.code, self.params = code, dict(params or {})


def _has_lone_surrogate(text: str) -> bool:
    """JSON may escape half of a UTF-16 pair ("\\ud800"): Python reads it as a lone surrogate,
    which no UTF-8 file, table or web page can hold (the upload, then the export, would fail)."""
    return any("\ud800" <= c <= "\udfff" for c in text)


def _checked(name: str, n: int, prompt: Prompt) -> Prompt:
    for field in (prompt.text, prompt.id, prompt.system or ""):
        if _has_lone_surrogate(field):
            raise PromptSetError(
                f"“{name}” line {n}: the text holds a lone surrogate (an escape such as \\ud800 that is half "
                f"a character); fix or remove it.", code="lone_surrogate", params={"name": name, "line": n})
    return prompt


def parse_prompt_file(name: str, data: bytes, max_bytes: int = MAX_UPLOAD_BYTES) -> list[Prompt]:
    """Prompts from an uploaded CSV (column `prompt`, optional `id`, `system`), JSONL (objects
    with `prompt`) or TXT (one prompt per non-empty line)."""
    size = len(data)
    if size > max_bytes:
        raise PromptSetError(
            f"“{name}” is {size / 2**20:.1f} MB; prompt files are limited to {max_bytes / 2**20:.0f} MB."
        )
    if not data.strip():
        raise PromptSetError(f"“{name}” is empty: it contains no prompt.")
    if b"\x00" in data[:8192]:
        raise PromptSetError(f"“{name}” looks like a binary file; upload a CSV, JSONL or TXT text file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PromptSetError(f"“{name}” is not UTF-8 text; save it as UTF-8 (CSV, JSONL or TXT).") from None
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        prompts = _parse_csv(name, text)
    elif suffix in (".jsonl", ".ndjson", ".json"):
        prompts = _parse_jsonl(name, text)
    elif suffix in (".txt", ".md", ""):
        prompts = [Prompt(f"p{i + 1:03d}", line.strip()) for i, line in enumerate(
            ln for ln in text.splitlines() if ln.strip())]
    else:
        raise PromptSetError(f"“{name}”: unknown file type “{suffix}”; use .csv, .jsonl or .txt.")
    if not prompts:
        raise PromptSetError(f"“{name}” contains no prompt.")
    return prompts


def _parse_csv(name: str, text: str) -> list[Prompt]:
    try:
        reader = csv.DictReader(io.StringIO(text))
        fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise PromptSetError(f"“{name}” is not valid CSV: {exc}.") from None
    if "prompt" not in fields:
        found = ", ".join(f"“{f}”" for f in fields if f) or "none"
        raise PromptSetError(
            f"“{name}” has no “prompt” column (columns found: {found}). The first line must name the "
            f"columns: prompt, and optionally id and system."
        )
    out = []
    try:
        for i, row in enumerate(reader):
            row = {(k or "").strip().lower(): (v or "") for k, v in row.items() if k is not None}
            p = row.get("prompt", "").strip()
            if not p:
                continue
            out.append(Prompt(row.get("id", "").strip() or f"p{i + 1:03d}", p, row.get("system", "").strip() or None))
    except csv.Error as exc:
        raise PromptSetError(f"“{name}” is not valid CSV: {exc}.") from None
    return out


def _parse_jsonl(name: str, text: str) -> list[Prompt]:
    stripped = text.strip()
    if stripped.startswith("["):  # a plain JSON array is accepted too
        try:
            items = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise PromptSetError(f"“{name}” is not valid JSON: {exc.msg} (line {exc.lineno}).") from None
        except RecursionError:
            raise PromptSetError(f"“{name}” is nested too deeply to be a prompt list.", code="too_deep",
                                 params={"name": name}) from None
        lines = list(enumerate(items, 1))
    else:
        lines = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                lines.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise PromptSetError(f"“{name}” line {n} is not valid JSON: {exc.msg}.") from None
            except RecursionError:
                raise PromptSetError(f"“{name}” is nested too deeply to be a prompt list.", code="too_deep",
                                     params={"name": name}) from None
    out = []
    for n, item in lines:
        if isinstance(item, str):
            item = {"prompt": item}
        if not isinstance(item, dict) or not isinstance(item.get("prompt"), str):
            raise PromptSetError(f"“{name}” line {n}: each line must be an object with a “prompt” text field.")
        if not isinstance(item.get("system") or "", str):
            raise PromptSetError(f"“{name}” line {n}: “system” must be a text.", code="system_text",
                                 params={"name": name, "line": n})
        if item["prompt"].strip():
            out.append(_checked(name, n, Prompt(str(item.get("id") or f"p{len(out) + 1:03d}"), item["prompt"].strip(),
                                                item.get("system") or None)))
    return out


def describe_prompt_set_error(exc: PromptSetError, lang: str) -> str:
    """The error in the person's language when the catalogue has it, else its English message."""
    key = f"prompts.{exc.code}"
    return translate(key, lang, **exc.params) if exc.code and key in catalogue() else str(exc)


WARMUP_PROMPT = Prompt("warmup", "Warm-up: reply with one word.")
