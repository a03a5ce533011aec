"""Training-sentence generation (Tock's "Sentence generation"): prompt, robust JSON-list parsing, cleaning.

Small models rarely return clean JSON: the parser tries the whole answer, a fenced block, the
first bracketed list, then a repair pass (the json-repair library, after turning smart quotes
into plain ones), then list-looking lines, and only then gives up with the raw answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Sequence

import json_repair

from playground.request import build_request as make_request
from playground.sentence_checks import Screened, guess_language, screen
from providers.base import GenerationRequest

STYLES = ("spelling_mistakes", "sms", "formal", "informal")

STYLE_TEXT = {
    "fr": {
        "spelling_mistakes": "avec quelques fautes d'orthographe, comme en écrivent de vrais utilisateurs",
        "sms": "en style SMS, avec des abréviations (slt, stp, pk, jsp…)",
        "formal": "sur un ton formel (vouvoiement)",
        "informal": "sur un ton familier (tutoiement)",
    },
    "en": {
        "spelling_mistakes": "with a few spelling mistakes, as real users type them",
        "sms": "in SMS style, with abbreviations (u, pls, thx, idk…)",
        "formal": "in a formal tone",
        "informal": "in a casual, informal tone",
    },
}

# LANGUAGE_NAMES[prompt's language][variants' language]: the name is written in the prompt's own
# language ("en anglais", "in French"), never the other way round.
LANGUAGE_NAMES = {"fr": {"fr": "français", "en": "anglais"}, "en": {"fr": "French", "en": "English"}}

DEFAULT_TEMPLATE = {
    "fr": (
        "Tu aides à entraîner un chatbot de FAQ. Voici des phrases d'exemple qu'un utilisateur pourrait écrire :\n"
        "{examples}\n\n"
        "Écris {n} autres façons différentes de dire la même chose, en {language}{styles}.\n"
        "Réponds uniquement avec une liste JSON de chaînes, par exemple : [\"phrase 1\", \"phrase 2\"]"
    ),
    "en": (
        "You help train a FAQ chatbot. Here are example sentences a user might type:\n"
        "{examples}\n\n"
        "Write {n} other, different ways of saying the same thing, in {language}{styles}.\n"
        "Answer only with a JSON list of strings, for example: [\"sentence 1\", \"sentence 2\"]"
    ),
}


class SentenceParseError(ValueError):
    """No list of sentences could be found in the model's answer (the raw answer is kept)."""

    def __init__(self, message: str, raw: str) -> None:
        super().__init__(message)
        self.raw = raw


@dataclass(frozen=True)
class Parsed:
    sentences: list[str]
    method: str  # "json" | "fenced" | "bracketed" | "repaired" | "lines"


def template_language(template: str | None, ui_lang: str = "fr") -> str:
    """The language a template is written in: a default template's own, else a cheap guess from
    its words, else the interface's. (A French template kept after switching the interface to
    English must still say "en anglais", not "en English".)"""
    for code, default in DEFAULT_TEMPLATE.items():
        if template == default:
            return code
    guessed = guess_language(template) if template else None
    if guessed in DEFAULT_TEMPLATE:
        return guessed
    return ui_lang if ui_lang in DEFAULT_TEMPLATE else "fr"


def build_prompt(examples: Sequence[str], language: str, n: int, styles: Sequence[str] = (),
                 template: str | None = None, ui_lang: str = "fr") -> str:
    """Fill the template: {examples} (one per line), {n}, {language}, {styles}; the language's
    name and the styles are written in the template's own language."""
    tpl_lang = template_language(template, ui_lang)
    template = template if template is not None else DEFAULT_TEMPLATE[tpl_lang]
    style_bits = [STYLE_TEXT[tpl_lang][s] for s in styles if s in STYLE_TEXT[tpl_lang]]
    styles_text = (", " + ", ".join(style_bits)) if style_bits else ""
    lang_name = LANGUAGE_NAMES[tpl_lang].get(language, language)
    ex = "\n".join(f"- {e.strip()}" for e in examples if e.strip())
    try:
        return template.format(examples=ex, n=n, language=lang_name, styles=styles_text)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(
            f"The prompt template has an unknown placeholder or a stray brace ({exc}); use {{examples}}, {{n}}, "
            f"{{language}}, {{styles}}, and double the braces of literal JSON: {{{{ }}}}."
        ) from None


def build_request(model: str, prompt: str, temperature: float, max_tokens: int = 512, mode: str = "chat",
                  seed: int | None = None) -> GenerationRequest:
    """The sentences request, through the one request builder; a base model gets the JSON list
    opened for it (`["`), so it continues in JSON."""
    chat = mode == "chat"
    return make_request(model, prompt if chat else prompt + "\n", chat, assistant_prefix="" if chat else '["',
                                 temperature=temperature, max_tokens=max_tokens, seed=seed)


# ---------------------------------------------------------------- parsing
_FENCE = re.compile(r"```(?:json|JSON|javascript|js)?\s*\n?(.*?)(?:```|$)", re.S)
_SMART = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d{1,3}[.)])\s+(.+?)\s*$")


def _as_strings(value) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        for key in ("sentences", "phrases", "variants", "variantes", "examples", "items", "data", "list"):
            if isinstance(value.get(key), list):
                return _as_strings(value[key])
        for key in ("sentence", "phrase", "text", "texte"):
            if isinstance(value.get(key), str):
                return [value[key]]
        return None
    if isinstance(value, list):
        out: list[str] = []
        for v in value:
            got = _as_strings(v)
            if got:
                out.extend(got)
        return out
    return None


def _try_json(text: str) -> list[str] | None:
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None
    got = _as_strings(value)
    return got if got else None


def _bracketed(text: str) -> str | None:
    """The first balanced [...] (string-aware), or None."""
    start = text.find("[")
    if start < 0:
        return None
    depth, in_str, esc = 0, False, False
    for i in range(start, len(text)):
        ch = text[i]
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
    return None


def repair(text: str) -> list | dict | None:
    """Best-effort parse of a JSON list written by a small model (json-repair: single quotes, missing
    or trailing commas, bare words, truncated endings); None when no list or object is found."""
    # Curly quotes are not JSON quotes to json-repair either: they would end up inside the strings.
    value = json_repair.loads(text.translate(_SMART))
    # a lone string is what json-repair makes of prose; the quoted-strings fallback reads it better
    return value if isinstance(value, (list, dict)) else None


def _quoted_strings(text: str) -> list[str]:
    """Every "quoted" string that is not a JSON object key (those are followed by a colon)."""
    out = []
    for m in re.finditer(r'"((?:[^"\\\n]|\\.)+)"(\s*:)?', text):
        if m.group(2):
            continue
        raw = m.group(1)
        try:
            out.append(json.loads(f'"{raw}"') if "\\" in raw else raw)
        except json.JSONDecodeError:
            out.append(raw)
    return out


def parse_sentences(answer: str) -> Parsed:
    """The list of sentences in a model's answer, or SentenceParseError with the raw answer."""
    raw = answer or ""
    text = raw.strip()
    if not text:
        raise SentenceParseError("The model returned an empty answer.", raw)
    got = _try_json(text)
    if got:
        return Parsed(got, "json")
    for block in _FENCE.findall(text):
        got = _try_json(block.strip())
        if got:
            return Parsed(got, "fenced")
    fenced = _FENCE.findall(text)
    body = fenced[0] if fenced else text
    br = _bracketed(body)
    if br:
        got = _try_json(br)
        if got:
            return Parsed(got, "bracketed")
    quoted: list[str] = []
    if "[" in body or '"' in body.translate(_SMART):
        got = _as_strings(repair(body))
        if got:
            return Parsed(got, "repaired")
        quoted = _quoted_strings(body.translate(_SMART))
    # a numbered / bulleted list reads better than scattered quoted strings
    lines = [m.group(1).strip().strip('"').strip() for m in map(_LIST_LINE.match, text.splitlines()) if m]
    lines = [x for x in lines if x]
    if lines:
        return Parsed(lines, "lines")
    if quoted:
        return Parsed(quoted, "repaired")
    raise SentenceParseError(
        "The model's answer contains no JSON list of sentences, even after repair. Try a lower temperature, "
        "a larger model, or edit the prompt template.", raw)


def echoes_of(prompt: str) -> list[str]:
    """Strings quoted in the prompt (the template's own example, `["phrase 1", "phrase 2"]`)."""
    return re.findall(r'"([^"\n]+)"', prompt)


def clean(sentences: Sequence[str], originals: Sequence[str] = (), prompt: str = "",
          language: str | None = None) -> list[str]:
    """The real variants only (see playground.sentence_checks): no empties, duplicates (ignoring
    case, spaces, punctuation), originals, echoes of the prompt, debris, numbers, fragments or
    (given `language`) lines in the other language."""
    return screen(sentences, originals, echoes_of(prompt), language).accepted


@dataclass(frozen=True)
class Generation:
    """One generation: the measured Result, how the list was read, the variants worth offering
    and the lines rejected with their reason; `error` when no list could be read at all."""

    result: object  # playground.runner.Result
    accepted: list[str]
    rejected: list[tuple[str, str]]
    method: str | None
    error: str | None

    @property
    def usable(self) -> bool:
        return bool(self.accepted)

    def rows(self) -> list[tuple[bool, str, str | None]]:
        """(ticked, line, reason) for the page's table: the variants ticked, then every rejected
        line unticked with its reason. Nothing that failed a check is ever ticked."""
        return [(True, s, None) for s in self.accepted] + [(False, s, why) for s, why in self.rejected]


def generate(registry, request: GenerationRequest, originals: Sequence[str], language: str | None = None,
             prompt: str | None = None) -> Generation:
    """Run the request, read its list and screen every line. `prompt` is the text whose quoted
    strings are echoes (default: the request's own text)."""
    import time

    from playground.bench import run_one

    result = run_one(registry, request, time.perf_counter, None)
    if result.error:
        return Generation(result, [], [], None, result.error)
    text = result.text
    if request.prompt is not None and request.prompt.endswith('["'):
        text = '["' + text  # the base-model prompt opened the list for it
    try:
        parsed = parse_sentences(text)
    except SentenceParseError as exc:
        return Generation(result, [], [], None, str(exc))
    screened: Screened = screen(parsed.sentences, originals,
                                echoes_of(prompt if prompt is not None else request.user_text()), language)
    return Generation(result, screened.accepted, screened.rejected, parsed.method, None)
