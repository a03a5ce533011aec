"""Strings of the training-sentence generation page."""

STRINGS = {
    "sent.title": {"fr": "Génération de phrases d'entraînement", "en": "Training-sentence generation"},
    "sent.intro": {
        "fr": "Comme la « génération de phrases » de Tock : à partir de quelques exemples, un modèle propose des "
              "variantes pour entraîner un bot de FAQ. Cochez celles à garder, puis exportez.",
        "en": "Like Tock's “sentence generation”: from a few examples, a model proposes variants to train a FAQ bot. "
              "Tick the ones to keep, then export.",
    },
    "sent.model": {"fr": "Modèle", "en": "Model"},
    "sent.examples": {"fr": "Phrases d'exemple (une par ligne)", "en": "Example sentences (one per line)"},
    "sent.examples_default": {"fr": "bonjour le bot", "en": "hello bot"},
    "sent.language": {"fr": "Langue des variantes", "en": "Language of the variants"},
    "sent.lang.fr": {"fr": "français", "en": "French"},
    "sent.lang.en": {"fr": "anglais", "en": "English"},
    "sent.n": {"fr": "Nombre de variantes", "en": "Number of variants"},
    "sent.temperature": {"fr": "Température", "en": "Temperature"},
    "sent.max_tokens": {"fr": "Tokens max", "en": "Max tokens"},
    "sent.styles": {"fr": "Style", "en": "Style"},
    "sent.style.spelling_mistakes": {"fr": "Fautes d'orthographe", "en": "Spelling mistakes"},
    "sent.style.sms": {"fr": "Abréviations / style SMS", "en": "Abbreviations / SMS style"},
    "sent.style.formal": {"fr": "Formel", "en": "Formal"},
    "sent.style.informal": {"fr": "Familier", "en": "Informal"},
    "sent.template": {"fr": "Gabarit de prompt (modifiable)", "en": "Prompt template (editable)"},
    "sent.template_help": {
        "fr": "Emplacements : {examples}, {n}, {language}, {styles}. Doublez les accolades littérales : {{ }}.",
        "en": "Placeholders: {examples}, {n}, {language}, {styles}. Double literal braces: {{ }}.",
    },
    "sent.reset_template": {"fr": "Rétablir le modèle par défaut", "en": "Reset the default template"},
    "sent.preview": {"fr": "Prompt envoyé", "en": "Prompt sent"},
    "sent.generate": {"fr": "Générer", "en": "Generate"},
    "sent.no_examples": {"fr": "Écrivez au moins une phrase d'exemple.", "en": "Type at least one example sentence."},
    "sent.generating": {"fr": "Génération en cours…", "en": "Generating…"},
    "sent.parse_failed": {"fr": "Réponse inutilisable : {error}", "en": "Unusable answer: {error}"},
    "sent.raw": {"fr": "Réponse brute du modèle", "en": "The model's raw answer"},
    "sent.method.json": {"fr": "JSON valide.", "en": "Valid JSON."},
    "sent.method.fenced": {"fr": "JSON trouvé dans un bloc de code.", "en": "JSON found in a code block."},
    "sent.method.bracketed": {"fr": "Liste JSON extraite du texte.", "en": "JSON list extracted from the text."},
    "sent.method.repaired": {"fr": "JSON cassé, réparé automatiquement.", "en": "Broken JSON, repaired automatically."},
    "sent.method.lines": {"fr": "Pas de JSON : liste lue ligne par ligne.", "en": "No JSON: list read line by line."},
    "sent.count": {
        "fr": "{n} variantes retenues, cochées ; {rejected} lignes écartées, décochées avec la raison.",
        "en": "{n} variants kept, ticked; {rejected} lines rejected, unticked with the reason.",
    },
    "sent.nothing_usable": {
        "fr": "Ce modèle n'a produit aucune variante utilisable ({rejected} lignes écartées : leur raison est "
              "affichée, rien n'est coché).",
        "en": "This model produced no usable variant ({rejected} lines rejected: their reason is shown, nothing "
              "is ticked).",
    },
    "sent.try_bigger": {
        "fr": "Essayez un modèle instruct plus gros (par exemple qwen2.5:3b ou mistral:7b avec Ollama) ou une "
              "température plus basse.",
        "en": "Try a bigger instruct model (for example qwen2.5:3b or mistral:7b with Ollama) or a lower "
              "temperature.",
    },
    "sent.reason": {"fr": "Écartée car", "en": "Rejected because"},
    "sent.reason.number": {"fr": "un nombre, pas une phrase", "en": "a number, not a sentence"},
    "sent.reason.debris": {"fr": "un reste de JSON", "en": "leftover JSON"},
    "sent.reason.fragment": {"fr": "un fragment, pas une phrase", "en": "a fragment, not a sentence"},
    "sent.reason.template": {"fr": "l'exemple du modèle de prompt, répété", "en": "the prompt template's example, echoed"},
    "sent.reason.example": {"fr": "une de vos phrases d'exemple", "en": "one of your example sentences"},
    "sent.reason.duplicate": {"fr": "un doublon", "en": "a duplicate"},
    "sent.reason.language": {"fr": "pas dans la langue demandée", "en": "not in the requested language"},
    "sent.reason.empty": {"fr": "vide", "en": "empty"},
    "sent.keep": {"fr": "Garder", "en": "Keep"},
    "sent.sentence": {"fr": "Phrase", "en": "Sentence"},
    "sent.kept": {"fr": "{n} phrases gardées", "en": "{n} sentences kept"},
    "sent.export_csv": {"fr": "CSV", "en": "CSV"},
    "sent.export_json": {"fr": "JSON", "en": "JSON"},
}
