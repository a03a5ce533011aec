"""Training-sentence generation: prompt building and JSON repair on a corpus of broken model answers."""

from __future__ import annotations

import pytest

from playground.sentences import SentenceParseError, build_prompt, clean, parse_sentences

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
