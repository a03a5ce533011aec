"""Strings of structured output (JSON output, JSON Schema) on the Compare page and in errors."""

STRINGS = {
    "structured.toggle": {"fr": "Sortie JSON", "en": "JSON output"},
    "structured.toggle_help": {
        "fr": "Demande à chaque modèle une seule valeur JSON. Avec un schéma, la réponse doit aussi le respecter : "
              "les modèles embarqués y sont contraints token par token (grammaire llama.cpp).",
        "en": "Asks each model for one JSON value. With a schema, the answer must satisfy it too: embedded models "
              "are constrained to it token by token (llama.cpp grammar).",
    },
    "structured.unsupported": {"fr": "Aucun des modèles choisis ne propose de sortie JSON.",
                               "en": "None of the chosen models offers JSON output."},
    "structured.column_unsupported": {"fr": "{model} ne propose pas de sortie JSON : réponse en texte libre.",
                                      "en": "{model} offers no JSON output: free-text answer."},
    "structured.schema": {"fr": "Schéma JSON (optionnel)", "en": "JSON Schema (optional)"},
    "structured.schema_help": {
        "fr": "Un JSON Schema (draft 2020-12 ou plus ancien). Vide : n'importe quel JSON valide.",
        "en": "A JSON Schema (draft 2020-12 or older). Empty: any valid JSON.",
    },
    "structured.schema_ok": {"fr": "Schéma valide", "en": "Valid schema"},
    "structured.load_sncf": {"fr": "Charger l'exercice SNCF", "en": "Load the SNCF exercise"},
    "structured.load_sncf_help": {
        "fr": "Le prompt du cours (5 conversations sur l'acronyme SNCF) et son schéma ; sortie JSON activée.",
        "en": "The course prompt (5 conversations about the acronym SNCF) and its schema; JSON output on.",
    },
    "structured.exercise.sncf": {"fr": "Exercice : 5 conversations SNCF en JSON",
                                 "en": "Exercise: 5 SNCF conversations as JSON"},
    "structured.valid": {"fr": "JSON valide", "en": "valid JSON"},
    "structured.valid_schema": {"fr": "JSON valide — conforme au schéma", "en": "valid JSON — matches the schema"},
    "structured.invalid_json": {"fr": "JSON invalide : {error}", "en": "Invalid JSON: {error}"},
    "structured.schema_errors": {"fr": "JSON valide, mais {n} écart(s) au schéma :",
                                 "en": "Valid JSON, but {n} schema error(s):"},
    "structured.cut": {"fr": "La réponse a été coupée par « Tokens max » : augmentez-le pour obtenir le JSON complet.",
                       "en": "The answer was cut by Max tokens: raise it to get the whole JSON."},
    "structured.pretty": {"fr": "JSON mis en forme", "en": "Pretty-printed JSON"},
    "structured.not_enforced_server": {
        "fr": "Ce serveur a reçu response_format json_object (le schéma à côté, comme le lisent les serveurs llama.cpp) : "
              "d'autres serveurs n'imposent pas le schéma. La vérification ci-dessous dit s'il est respecté.",
        "en": "This server was sent response_format json_object (the schema beside it, as llama.cpp servers read it): "
              "other servers do not enforce the schema. The check below says whether it holds.",
    },
    "structured.not_enforced_raw": {
        "fr": "Une complétion brute n'accepte pas de response_format : ni le JSON ni le schéma n'ont été imposés.",
        "en": "Raw completions take no response_format: neither JSON nor the schema were enforced.",
    },
    "structured.not_enforced_grammar": {
        "fr": "Le convertisseur de grammaire de llama.cpp ne gère pas ce schéma : la réponse est du JSON valide, "
              "vérifié ensuite contre le schéma.",
        "en": "llama.cpp's grammar converter does not support this schema: the answer is valid JSON, checked "
              "against the schema afterwards.",
    },
    "error.schema_not_json": {
        "fr": "Le schéma JSON n'est pas du JSON valide (ligne {line}, colonne {col} : {detail}). Corrigez-le ou videz le champ.",
        "en": "The JSON Schema is not valid JSON (line {line}, column {col}: {detail}). Fix it or empty the box.",
    },
    "error.schema_not_object": {"fr": "Le schéma JSON doit être un objet JSON ({…}). Corrigez-le ou videz le champ.",
                                "en": "The JSON Schema must be a JSON object ({…}). Fix it or empty the box."},
    "error.schema_invalid": {
        "fr": "Le schéma JSON est invalide en {where} : {detail}. Corrigez-le ou videz le champ.",
        "en": "The JSON Schema is invalid at {where}: {detail}. Fix it or empty the box.",
    },
    "error.json_unsupported": {"fr": "{model} ne propose pas de sortie JSON : décochez « Sortie JSON » pour ce modèle.",
                               "en": "{model} cannot be asked for JSON output: untick “JSON output” for this model."},
    "error.grammar_failed": {
        "fr": "llama.cpp n'a pas pu lire la grammaire tirée de ce schéma JSON : simplifiez le schéma.",
        "en": "llama.cpp could not read the grammar built from this JSON Schema: simplify the schema.",
    },
}
