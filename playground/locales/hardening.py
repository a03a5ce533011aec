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
    "config.type.table": {"fr": "une table", "en": "a table"},
    "config.type.text": {"fr": "un texte", "en": "a text"},
    "config.type.number": {"fr": "un nombre", "en": "a number"},
    "config.type.whole number": {"fr": "un nombre entier", "en": "a whole number"},
    "config.type.boolean": {"fr": "un booléen (true/false)", "en": "a boolean (true/false)"},
    "config.type.list": {"fr": "une liste", "en": "a list"},
    "config.type.list of names": {"fr": "une liste de noms", "en": "a list of names"},
    "config.type.date": {"fr": "une date", "en": "a date"},
}
