"""Configuration problems, server error pages, and messages that say what really happened
(a missing model list, a key with a line break, a prompt beyond the context, a refused box value)."""

STRINGS = {
    # ---------------------------------------------------------------- secrets.toml (providers.config_values)
    "config.syntax": {"fr": "{file} n'est pas du TOML valide (ligne {line}, colonne {column}) ; le journal du serveur donne le détail.",
                      "en": "{file} is not valid TOML (line {line}, column {column}); the server log has the details."},
    "config.unreadable": {"fr": "{file} ne peut pas être lu ({reason}).", "en": "{file} cannot be read ({reason})."},
    "config.wrong_type": {"fr": "secrets.toml : {where} doit être {expected}, pas {got}.",
                          "en": "secrets.toml: {where} must be {expected}, not {got}."},
    "config.timeout_range": {"fr": "{where} doit être un nombre de secondes supérieur à 0 (reçu {value}).",
                             "en": "{where} must be a number of seconds above 0 (got {value})."},
    "config.unusable": {"fr": "secrets.toml contient une valeur inutilisable ({error}) ; le journal du serveur donne le détail.",
                        "en": "secrets.toml holds a value this app cannot use ({error}); the server log has the details."},
    "config.invalid": {"fr": "{detail}", "en": "{detail}"},
    "config.needs": {"fr": "secrets.toml : {where} doit contenir {line}.", "en": "secrets.toml: {where} needs {line}."},
    "config.reserved_name": {"fr": "secrets.toml : {where} : « {name} » est un nom de backend réservé, choisissez-en un autre.",
                             "en": "secrets.toml: {where}: “{name}” is a reserved backend name, pick another one."},
    "config.type.table": {"fr": "une table", "en": "a table"},
    "config.type.text": {"fr": "un texte", "en": "a text"},
    "config.type.number": {"fr": "un nombre", "en": "a number"},
    "config.type.whole number": {"fr": "un nombre entier", "en": "a whole number"},
    "config.type.boolean": {"fr": "un booléen (true/false)", "en": "a boolean (true/false)"},
    "config.type.list": {"fr": "une liste", "en": "a list"},
    "config.type.list of names": {"fr": "une liste de noms", "en": "a list of names"},
    "config.type.date": {"fr": "une date", "en": "a date"},
    # ---------------------------------------------------------------- errors of a column ("error.<code>")
    "error.html_page": {"fr": "{where} a répondu par une page d'erreur HTML (HTTP {status}, « {title} ») pour « {model} » ; la page complète est dans le journal du serveur.",
                        "en": "{where} answered with an HTML error page (HTTP {status}, “{title}”) for “{model}”; the whole page is in the server log."},
    "error.no_model_list": {"fr": "{where} n'a pas de liste de modèles (HTTP 404 sur /models) : vérifiez l'URL de base (les serveurs compatibles OpenAI répondent en général sous /v1).",
                            "en": "{where} has no model list (HTTP 404 on /models): check the base URL (OpenAI-compatible servers usually answer under /v1)."},
    "error.ollama_no_list": {"fr": "{where} n'a pas de liste de modèles (HTTP 404 sur /api/tags) : vérifiez que cet hôte et ce port sont bien ceux d'un serveur Ollama.",
                             "en": "{where} has no model list (HTTP 404 on /api/tags): check that this host and port are an Ollama server."},
    "error.key_characters": {"fr": "La clé d'API configurée pour {where} contient {what} : copiez-la de nouveau sans (la requête n'est pas partie).",
                             "en": "The API key configured for {where} contains {what}: copy it again without it (the request was not sent)."},
    "error.empty_stream": {"fr": "{where} a fermé le flux avant que « {model} » n'envoie quoi que ce soit : le prompt dépasse probablement le contexte du modèle. Raccourcissez-le ou baissez « Tokens max ».",
                           "en": "{where} ended the stream before “{model}” sent anything: the prompt probably exceeds the model's context. Shorten it or lower max tokens."},
    # ---------------------------------------------------------------- widgets
    "widget.brought_within": {"fr": "{label} : {typed} est hors des limites ({lo} à {hi}) ; ramené à {value}, la valeur envoyée.",
                              "en": "{label}: {typed} is outside {lo}–{hi}; set to {value}, the value sent."},
    # ---------------------------------------------------------------- prompt files (playground.prompt_sets)
    "prompts.lone_surrogate": {"fr": "« {name} » ligne {line} : le texte contient un demi-caractère (un échappement comme \\ud800 seul) ; corrigez-le ou supprimez-le.",
                               "en": "“{name}” line {line}: the text holds a lone surrogate (an escape such as \\ud800 that is half a character); fix or remove it."},
    "prompts.too_deep": {"fr": "« {name} » est imbriqué trop profondément pour être une liste de prompts.",
                         "en": "“{name}” is nested too deeply to be a prompt list."},
    "prompts.system_text": {"fr": "« {name} » ligne {line} : « system » doit être un texte.",
                            "en": "“{name}” line {line}: “system” must be a text."},
}
