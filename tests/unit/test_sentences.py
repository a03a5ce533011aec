"""Training-sentence generation: prompt building and JSON repair on a corpus of broken model answers."""

from __future__ import annotations

import pytest

from playground.sentence_checks import guess_language, reason, screen
from playground.sentences import (
    DEFAULT_TEMPLATE,
    SentenceParseError,
    build_prompt,
    clean,
    echoes_of,
    parse_sentences,
)

# Answers of the kind small models (SmolLM2 135M among them) really give for "a JSON list of strings".
CORPUS = [
    ('["Salut le bot", "Coucou le bot", "Hello bot"]', "json", ["Salut le bot", "Coucou le bot", "Hello bot"]),
    ('Voici les phrases :\n```json\n["Salut le bot", "Coucou"]\n```\nJ\'espère que ça aide !', "fenced",
     ["Salut le bot", "Coucou"]),
    ('Bien sûr ! ["Salut le bot", "Coucou"] Ces phrases sont variées.', "bracketed", ["Salut le bot", "Coucou"]),
    ('["Salut le bot", "Coucou",]', "repaired", ["Salut le bot", "Coucou"]),
    ("['Salut le bot', 'Coucou le bot']", "repaired", ["Salut le bot", "Coucou le bot"]),
    ('[“Salut le bot”, “Coucou le bot”]', "repaired", ["Salut le bot", "Coucou le bot"]),
    ('["Salut le bot"\n"Coucou le bot"\n"Yo le bot"]', "repaired", ["Salut le bot", "Coucou le bot", "Yo le bot"]),
    ('["Salut le bot", "Coucou le bot", "Bonjou', "repaired", ["Salut le bot", "Coucou le bot", "Bonjou"]),
    ('```json\n["Salut le bot", "Coucou le bot",\n', "repaired", ["Salut le bot", "Coucou le bot"]),
    ('[Salut le bot, Coucou le bot]', "repaired", ["Salut le bot", "Coucou le bot"]),
    ('{"sentences": ["Salut le bot", "Coucou"]}', "json", ["Salut le bot", "Coucou"]),
    ('[{"sentence": "Salut le bot"}, {"sentence": "Coucou"}]', "json", ["Salut le bot", "Coucou"]),
    ('1. Salut le bot\n2. Coucou le bot\n3) Yo', "lines", ["Salut le bot", "Coucou le bot", "Yo"]),
    ('- "Salut le bot"\n- "Coucou le bot"', "lines", ["Salut le bot", "Coucou le bot"]),
    ('Here:\n```json\n{\n  "sentence 1": [\n    {\n      "type": "json",\n      "', "repaired", ["json"]),
    ('Voici : "Salut le bot" et "Coucou le bot", voilà', "repaired", ["Salut le bot", "Coucou le bot"]),
    ('Here: ["Salut \\"toi\\" le bot", "Coucou"] done', "bracketed", ['Salut "toi" le bot', "Coucou"]),
    ('["Salut le bot", "Coucou" "Hey le bot"]', "repaired", ["Salut le bot", "Coucou", "Hey le bot"]),
]


@pytest.mark.parametrize("answer,method,expected", CORPUS)
def test_corpus_of_broken_answers(answer, method, expected):
    got = parse_sentences(answer)
    assert got.sentences == expected
    assert got.method == method


@pytest.mark.parametrize("answer", ["", "   ", "Je ne sais pas.", "Bonjour ! Comment puis-je vous aider aujourd'hui ?"])
def test_no_list_is_a_clear_error_with_the_raw_answer(answer):
    with pytest.raises(SentenceParseError) as info:
        parse_sentences(answer)
    assert info.value.raw == answer
    assert "empty" in str(info.value) or "no JSON list" in str(info.value)


def test_clean_dedupes_and_drops_originals():
    got = clean(["Bonjour le bot", "Salut le bot !", "salut  le bot", "", "  Coucou  ", "Coucou."],
                originals=["bonjour le bot"])
    assert got == ["Salut le bot !", "Coucou"]


def test_clean_drops_echoes_of_the_prompt_example():
    prompt = 'Answer only with a JSON list, for example: ["sentence 1", "sentence 2"]'
    assert clean(["sentence 1", "Sentence 2!", "hi bot"], ["hello bot"], prompt) == ["hi bot"]


def test_build_prompt_fills_template_and_styles():
    p = build_prompt(["bonjour le bot", "salut"], "fr", 5, ["sms", "informal"], ui_lang="fr")
    assert "- bonjour le bot\n- salut" in p and "5 autres" in p and "français" in p and "style SMS" in p
    assert "tutoiement" in p and "JSON" in p
    en = build_prompt(["hello bot"], "en", 3, [], ui_lang="en")
    assert "3 other" in en and "English" in en


def test_bad_template_is_a_clear_error():
    with pytest.raises(ValueError, match="placeholder"):
        build_prompt(["x"], "fr", 3, [], template="Give me {count} of {examples}")
    with pytest.raises(ValueError, match="double the braces"):
        build_prompt(["x"], "fr", 3, [], template='{"a": 1} {examples}')


# What SmolLM2-135M really answered (all of it once pre-ticked as "variants"), among real ones.
JUNK_ANSWER = '["Salut le bot", "en\\" 2", "1c", "108585", "phrase 1, phrase 2", "phrase 1", "salut  le bot !", ' \
              '"bonjour le bot", "Hello bot, how are you?", "Coucou !", "", "Yo le bot, ça va ?"]'


def test_junk_lines_are_rejected_with_their_reason_and_real_variants_kept():
    prompt = build_prompt(["bonjour le bot"], "fr", 5, ui_lang="fr")
    lines = parse_sentences(JUNK_ANSWER).sentences
    got = screen(lines, ["bonjour le bot"], echoes_of(prompt), "fr")
    assert got.accepted == ["Salut le bot", "Coucou !", "Yo le bot, ça va ?"]
    assert got.rejected == [
        ('en" 2', "debris"), ("1c", "fragment"), ("108585", "number"), ("phrase 1, phrase 2", "template"),
        ("phrase 1", "template"), ("salut le bot !", "duplicate"), ("bonjour le bot", "example"),
        ("Hello bot, how are you?", "language"),
    ]
    # clean() is the same screen, accepted lines only
    assert clean(lines, ["bonjour le bot"], prompt, "fr") == got.accepted


@pytest.mark.parametrize("line,why", [
    ("108585", "number"), ("12 345", "number"), ("1c", "fragment"), ("a2", "fragment"), ("x", "fragment"),
    ('en" 2', "debris"), ('"sentences": [', "debris"), ("sentence 1:", "debris"), ("null", "debris"),
    ("phrase 3", "template"), ("Sentence 1, sentence 2", "template"), ("variante n°4", "template"),
    ("", "empty"), ("...", "fragment"),
])
def test_each_kind_of_junk_has_its_reason(line, why):
    assert reason(line, "fr") == why


@pytest.mark.parametrize("line", ["Coucou", "Yo", "Salut \"toi\" le bot", "J'ai 2 questions pour le bot",
                                  "slt le bot", "Bjr, t ki ?"])
def test_real_french_variants_pass(line):
    assert reason(line, "fr") is None


def test_language_check_is_cheap_and_only_rejects_on_evidence():
    assert guess_language("Bonjour, pouvez-vous m'aider ?") == "fr"
    assert guess_language("Hello, can you help me?") == "en"
    assert guess_language("Yo") is None and guess_language("OK bot") is None  # no evidence: kept
    assert reason("OK bot", "fr") is None and reason("OK bot", "en") is None
    assert guess_language("Ça marche") == "fr"  # accents count
    assert reason("Hi there, I need help", "fr") == "language"
    assert reason("Salut, j'ai besoin d'aide", "en") == "language"
    assert reason("Salut, j'ai besoin d'aide", "fr") is None
    assert reason("Hi there, I need help", "en") is None


@pytest.mark.parametrize("ui_lang,language,expected,wrong", [
    ("fr", "fr", "en français", "French"), ("fr", "en", "en anglais", "English"),
    ("en", "fr", "in French", "français"), ("en", "en", "in English", "anglais"),
])
def test_the_language_name_is_written_in_the_prompts_language(ui_lang, language, expected, wrong):
    p = build_prompt(["bonjour le bot"], language, 3, ui_lang=ui_lang)
    assert expected in p and wrong not in p


def test_a_template_keeps_its_own_language_whatever_the_interface():
    # the French default template kept after switching the interface to English
    p = build_prompt(["hello bot"], "en", 3, ["formal"], template=DEFAULT_TEMPLATE["fr"], ui_lang="en")
    assert "en anglais, sur un ton formel" in p
    # a person's own English template, interface in French
    own = "Give {n} variants of these, in {language}{styles}:\n{examples}"
    p = build_prompt(["bonjour le bot"], "fr", 3, ["informal"], template=own, ui_lang="fr")
    assert "in French, in a casual, informal tone" in p


def test_the_table_ticks_the_variants_only():
    from playground.sentences import Generation

    g = Generation(None, ["Salut le bot"], [("1c", "fragment"), ("108585", "number")], "json", None)
    assert g.rows() == [(True, "Salut le bot", None), (False, "1c", "fragment"), (False, "108585", "number")]
    assert g.usable and not Generation(None, [], [("1c", "fragment")], "json", None).usable
