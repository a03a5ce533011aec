"""Course demos for everyone (ui/course_picker.py) and the Tokenizers page's price calculator.
(The first course demos' titles, course.souris … course.billes, live in locales/room.py.)"""

NNBSP = "\u202f"  # narrow no-break space: before ; : ! ? in French

STRINGS = {
    "course.oiseau": {"fr": f"L'oiseau bleu{NNBSP}: quelques exemples guident un modèle de base",
                      "en": "The blue bird: a few examples steer a base model"},
    "course.sncf": {"fr": f"SNCF{NNBSP}: 5 conversations en JSON", "en": "SNCF: 5 conversations as JSON"},
    "course.fr_en": {"fr": f"Le même texte en français et en anglais{NNBSP}: combien de tokens{NNBSP}?",
                     "en": "The same text in French and English: how many tokens?"},
    "course.picker": {"fr": "Démos du cours", "en": "Course demos"},
    "course.picker_help": {"fr": "Charge un exemple du cours dans cette page (texte, modèles, paramètres).",
                           "en": "Loads an example from the course into this page (text, models, parameters)."},
    "course.loaded": {"fr": f"Démo chargée{NNBSP}: {{title}}", "en": "Demo loaded: {title}"},
    "room.page.tokenizer": {"fr": "Tokenizers", "en": "Tokenizers"},
    # the price calculator (Tokenizers page)
    "price.title": {"fr": f"Combien ça coûte{NNBSP}?", "en": "What does it cost?"},
    "price.intro": {
        "fr": f"Les API facturent au token{NNBSP}: le texte ci-dessus compté par le tokenizer du modèle "
              "(o200k_base pour les modèles OpenAI récents, une estimation pour les autres), multiplié par le prix "
              "par million de tokens de prices.toml. Calcul hors ligne.",
        "en": "APIs bill per token: the text above counted by the model's tokenizer (o200k_base for recent OpenAI "
              "models, an estimate for the others), times the price per million tokens in prices.toml. "
              "Computed offline.",
    },
    "price.model": {"fr": "Modèle facturé", "en": "Priced model"},
    "price.model_option": {"fr": "{model} · entrée {input} · sortie {output} par million",
                           "en": "{model} · input {input} · output {output} per million"},
    "price.counted_with": {"fr": "Le texte ci-dessus, compté avec {enc}.", "en": "The text above, counted with {enc}."},
    "price.estimated_with": {"fr": f"Estimation{NNBSP}: le texte ci-dessus compté avec {{enc}} (le tokenizer de ce "
                                   "modèle n'est pas disponible hors ligne).",
                             "en": "An estimate: the text above counted with {enc} (this model's tokenizer is not "
                                   "available offline)."},
    "price.requests": {"fr": "Nombre de requêtes", "en": "Number of requests"},
    "price.output_tokens": {"fr": "Tokens de réponse attendus (par requête)", "en": "Expected output tokens (per request)"},
    "price.input_tokens": {"fr": "Tokens d'entrée (par requête)", "en": "Input tokens (per request)"},
    "price.per_request": {"fr": "Coût par requête", "en": "Cost per request"},
    "price.total": {"fr": "Coût total", "en": "Total cost"},
    "price.detail": {
        "fr": "{inp} tokens × {pin} + {out} tokens × {pout}, par million de tokens, × {n} requêtes",
        "en": "{inp} tokens × {pin} + {out} tokens × {pout}, per million tokens, × {n} requests",
    },
    "price.none": {"fr": f"Aucun prix dans {{path}}{NNBSP}: ajoutez une ligne [models] pour calculer un coût.",
                   "en": "No prices in {path}: add a [models] line to compute a cost."},
    "price.fr_en": {"fr": "Même sens, prix différent", "en": "Same meaning, different price"},
    "price.fr_en_caption": {
        "fr": "La phrase française et sa traduction anglaise envoyées {n} fois à {model} (en entrée), "
              "comptées avec {enc}.",
        "en": "The French sentence and its English translation sent {n} times to {model} (as input), "
              "counted with {enc}.",
    },
    "price.language": {"fr": "Langue", "en": "Language"},
    "price.tokens": {"fr": "Tokens", "en": "Tokens"},
    "price.cost": {"fr": "Coût", "en": "Cost"},
}
