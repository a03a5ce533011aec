"""Error messages in the person's language: "error.<code>" for coded errors (see
ProviderError.code), "error.kind.<kind>" as a lead-in for the others."""

STRINGS = {
    "error.empty_prompt": {"fr": "Le prompt est vide : écrivez quelque chose à envoyer au modèle.",
                           "en": "The prompt is empty: type something to send to the model."},
    "error.temperature_range": {"fr": "La température doit être comprise entre 0 et 2 (reçu {value}).",
                                "en": "Temperature must be between 0 and 2 (got {value})."},
    "error.top_p_range": {"fr": "top_p doit être dans ]0, 1] (reçu {value}).", "en": "top_p must be in (0, 1] (got {value})."},
    "error.top_k_range": {"fr": "top_k doit valoir 0 (désactivé) ou un entier positif (reçu {value}).",
                          "en": "top_k must be 0 (off) or a positive integer (got {value})."},
    "error.min_p_range": {"fr": "min_p doit être compris entre 0 et 1 (reçu {value}).", "en": "min_p must be between 0 and 1 (got {value})."},
    "error.seed_range": {"fr": "La graine doit être un entier ≥ 0 (reçu {value}).", "en": "The seed must be a whole number ≥ 0 (got {value})."},
    "error.max_tokens_min": {"fr": "Tokens max doit valoir au moins 1 (reçu {value}).", "en": "Max tokens must be at least 1 (got {value})."},
    "error.max_tokens_context": {
        "fr": "Tokens max ({value}) dépasse le contexte du modèle ({context} tokens) : baissez-le à {context} au plus.",
        "en": "Max tokens ({value}) is larger than this model's context ({context} tokens). Lower it to at most {context}.",
    },
    "error.top_logprobs_range": {"fr": "Ce modèle renvoie au plus {max} alternatives par token (demandé : {value}).",
                                 "en": "This model returns at most {max} alternatives per token (asked for {value})."},
    "error.prompt_too_long": {"fr": "Le prompt fait {tokens} tokens mais le contexte de {model} n'en contient que {context} : raccourcissez-le.",
                              "en": "The prompt is {tokens} tokens long but {model}'s context holds {context}: shorten it."},
    "error.base_model_chat": {"fr": "{model} est un modèle de base sans template de chat : envoyez un prompt brut (mode complétion).",
                              "en": "{model} is a base model without a chat template: send a raw prompt (completion mode)."},
    "error.kind.invalid_request": {"fr": "Requête refusée", "en": "Request rejected"},
    "error.kind.model_not_found": {"fr": "Modèle introuvable", "en": "Model not found"},
    "error.kind.model_load": {"fr": "Modèle impossible à charger", "en": "Model could not be loaded"},
    "error.kind.unavailable": {"fr": "Serveur injoignable", "en": "Server unreachable"},
    "error.kind.auth": {"fr": "Clé refusée (401/403)", "en": "Key refused (401/403)"},
    "error.kind.rate_limited": {"fr": "Trop de requêtes (429)", "en": "Too many requests (429)"},
    "error.kind.server": {"fr": "Erreur du serveur", "en": "Server error"},
    "error.kind.interrupted": {"fr": "Flux interrompu (le texte reçu est conservé)", "en": "Stream interrupted (the text received is kept)"},
    "error.kind.error": {"fr": "Erreur", "en": "Error"},
}
