"""Is a line a real sentence variant? Cheap, offline checks for what small models really return.

A 135M model asked for "a JSON list of variants" gives back, among real sentences, debris of the
JSON (`en" 2`), fragments (`1c`), numbers (`108585`), the prompt template's own example
(`phrase 1, phrase 2`), the examples themselves, duplicates and lines in the other language.
Each check below names one of those reasons; a line that fails one is shown unticked with its
reason, never offered as a variant.

The language check is deliberately cheap (no network, no model): counts of very common words
of French and English, plus French accents. It only rejects a line when the evidence points to
the other language; a line with no evidence either way ("Coucou !") passes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

# Why a line was rejected (i18n keys "sent.reason.<code>").
REASONS = ("empty", "number", "debris", "fragment", "template", "example", "duplicate", "language")

# Very common words (and greetings, SMS abbreviations: FAQ-bot sentences are short) of each
# language. Words that exist in both ("a", "on", "or", "car", "son", "plus", "bot"...) are left
# out: they say nothing.
STOPWORDS = {
    "fr": frozenset("""
        le la les un une des du de au aux et est sont je tu il elle nous vous ils elles ce cet cette ces
        mon ma mes ton ta tes sa ses notre nos votre vos leur leurs que qui quoi dont où ne pas
        avec dans sur par mais ou donc comment pourquoi quand est-ce bonjour salut coucou merci
        bonsoir oui non avez avoir être suis es sommes êtes fait faire peux peut pouvez veux voudrais
        aide aider besoin svp stp s'il plaît ça cela moi toi lui y en très bien slt bjr cc pk jsp tkt
    """.split()),
    "en": frozenset("""
        the and is are am was were i you he she we they it this that these those my your his her our
        their what which who whom where when why how not no yes with for from into of to in at by
        so do does did can could would should will have has had be been hello hi hey thanks thank
        please help need want there here us them its just about u pls plz thx idk ur
    """.split()),
}
_FRENCH_CHARS = set("éèêëàâäîïôöùûüçœæ")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
# The template's own example strings, echoed back: "phrase 1", "sentence 2", "variante 3"...
_TEMPLATE_ECHO = re.compile(r"^\W*(?:(?:phrase|sentence|variante?|example|exemple|texte?|string|cha[iî]ne)"
                            r"\s*(?:n[°o]\s*)?\d+\W*)+$", re.IGNORECASE)
# JSON punctuation inside a line, a line starting with a separator or ending with a key's colon
_DEBRIS = re.compile(r'[\[\]{}\\]|^\W*[,:]|:\s*$|^\s*(?:null|true|false|none)\s*$', re.IGNORECASE)


@dataclass(frozen=True)
class Screened:
    """The lines of one answer: the variants worth offering, and the others with their reason."""

    accepted: list[str]
    rejected: list[tuple[str, str]]  # (line, reason code)


def norm(s: str) -> str:
    """A comparison key: case, spaces and punctuation ignored."""
    s = unicodedata.normalize("NFKC", s).casefold()
    return re.sub(r"[\s\W_]+", " ", s).strip()


def language_scores(text: str) -> dict[str, int]:
    """Evidence for each language: common words found, plus one per French accented letter."""
    words = [w.casefold().replace("’", "'") for w in _WORD.findall(text)]
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in STOPWORDS.items()}
    scores["fr"] += sum(1 for ch in text.casefold() if ch in _FRENCH_CHARS)
    return scores


def guess_language(text: str) -> str | None:
    """"fr", "en", or None when the text gives no evidence either way (or as much for both)."""
    s = language_scores(text)
    if s["fr"] == s["en"]:
        return None
    return "fr" if s["fr"] > s["en"] else "en"


def reason(line: str, language: str | None = None) -> str | None:
    """Why `line` is not a sentence variant (a code of REASONS), or None when it looks like one.
    Duplicates and examples need the other lines: see `screen`."""
    s = line.strip()
    if not s:
        return "empty"
    letters = sum(ch.isalpha() for ch in s)
    digits = sum(ch.isdigit() for ch in s)
    if letters == 0 or digits > letters:
        return "number" if digits else "fragment"
    if _DEBRIS.search(s) or s.count('"') % 2:  # an unbalanced quote is what is left of a JSON string
        return "debris"
    if _TEMPLATE_ECHO.match(s):
        return "template"
    words = _WORD.findall(s)
    # one short "word" glued to digits (`1c`, `a2`), or a lone letter: not something a person types
    if letters < 2 or (len(s.split()) == 1 and digits) or not words:
        return "fragment"
    if language in STOPWORDS:
        guessed = guess_language(s)
        if guessed is not None and guessed != language:
            return "language"
    return None


def screen(lines: Iterable[str], originals: Sequence[str] = (), echoes: Iterable[str] = (),
           language: str | None = None) -> Screened:
    """Keep real variants in order; reject the rest with a reason. `originals` are the example
    sentences (a variant must differ from them), `echoes` strings quoted in the prompt (a small
    model often repeats the template's own example)."""
    examples = {norm(o) for o in originals if o.strip()}
    echoed = {norm(e) for e in echoes if e.strip()}
    seen: set[str] = set()
    accepted: list[str] = []
    rejected: list[tuple[str, str]] = []
    for raw in lines:
        s = " ".join(str(raw).split()).strip()
        # a stray pair of quotes around a whole line is the list's own punctuation, not debris
        if len(s) >= 2 and s[0] == s[-1] == '"':
            s = s[1:-1].strip()
        why = reason(s, language)
        key = norm(s)
        if why is None:
            if key in examples:
                why = "example"
            elif key in echoed:
                why = "template"
            elif key in seen:
                why = "duplicate"
        if why is None:
            seen.add(key)
            accepted.append(s)
        elif why != "empty":
            rejected.append((s, why))
    return Screened(accepted, rejected)
