"""Strings of the Compare page."""

STRINGS = {
    "compare.title": {"fr": "Comparer des modèles", "en": "Compare models"},
    "compare.intro": {
        "fr": "Choisissez jusqu'à 4 modèles, un prompt, et regardez-les répondre en parallèle.",
        "en": "Pick up to 4 models, one prompt, and watch them answer side by side.",
    },
    "compare.prompt": {"fr": "Prompt", "en": "Prompt"},
    "compare.prompt_default": {
        "fr": "J'ai dans mon placard des tomates pelées, du riz et du poulet. Qu'est-ce que je peux cuisiner ?",
        "en": "I have canned tomatoes, rice and chicken in my cupboard. What can I cook?",
    },
    "compare.system": {"fr": "Prompt système (optionnel)", "en": "System prompt (optional)"},
    "compare.columns": {"fr": "Nombre de colonnes", "en": "Number of columns"},
    "compare.same_params": {"fr": "Mêmes paramètres pour toutes les colonnes", "en": "Same parameters for all columns"},
    "compare.shared_params": {"fr": "Paramètres communs", "en": "Shared parameters"},
    "compare.params": {"fr": "Paramètres", "en": "Parameters"},
    "compare.column": {"fr": "Colonne {n}", "en": "Column {n}"},
    "compare.run": {"fr": "▶ Lancer", "en": "▶ Run"},
    "compare.stop": {"fr": "■ Arrêter", "en": "■ Stop"},
    "compare.stopped": {"fr": "Arrêté : le texte reçu jusqu'ici est conservé.", "en": "Stopped: the text received so far is kept."},
    "compare.waiting": {"fr": "En attente…", "en": "Waiting…"},
    "compare.queued": {"fr": "En file d'attente : position {n}, attente estimée {wait}", "en": "Queued: position {n}, estimated wait {wait}"},
    "compare.summary": {"fr": "Résumé", "en": "Summary"},
    "compare.request": {"fr": "Requête exacte envoyée", "en": "Exact request sent"},
    "compare.rendered": {"fr": "Prompt après application du template de chat", "en": "Prompt after the chat template was applied"},
    "compare.raw_prompt": {"fr": "Prompt brut (modèle de base, sans template)", "en": "Raw prompt (base model, no template)"},
    "compare.server_timings": {"fr": "Mesures du serveur (ms)", "en": "Server timings (ms)"},
    "compare.empty_prompt": {"fr": "Le prompt est vide : écrivez quelque chose à envoyer.", "en": "The prompt is empty: type something to send."},
    "compare.continues": {"fr": "Modèle de base : il continue le texte « {prompt} »", "en": "Base model: it continues the text “{prompt}”"},
    "compare.notes": {"fr": "Remarques", "en": "Notes"},
}
