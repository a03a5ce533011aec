"""Strings of conversations in Compare (follow-ups), and where they are kept and exported."""

STRINGS = {
    "conv.follow_up": {"fr": "Message de suivi", "en": "Follow-up message"},
    "conv.placeholder": {
        "fr": "Chaque colonne le reçoit à la suite de sa propre conversation…",
        "en": "Each column gets it after its own conversation…",
    },
    "conv.send": {"fr": "Envoyer la suite", "en": "Send follow-up"},
    "conv.new": {"fr": "Nouvelle conversation", "en": "New conversation"},
    "conv.help": {
        "fr": "Chaque colonne poursuit sa propre conversation (vos messages et ses propres réponses) avec son "
              "modèle et ses paramètres du premier tour. « Lancer » commence une nouvelle conversation.",
        "en": "Each column continues its own conversation (your messages and its own answers) with its model and "
              "parameters of the first turn. “Run” starts a new conversation.",
    },
    "conv.base_models": {
        "fr": "Un modèle de base (sans chat) n'a pas de tours de parole : il reçoit le texte qu'il a déjà "
              "continué (chaque message suivi de sa propre suite), une ligne vide, puis le nouveau message, "
              "et continue ce texte.",
        "en": "A base (non-chat) model has no turns: it gets the text it has been continuing (each message "
              "followed by its own continuation), a blank line, then the new message, and continues that text.",
    },
    "conv.turn": {"fr": "Tour {n} · vous : {prompt}", "en": "Turn {n} · you: {prompt}"},
    "conv.missing": {
        "fr": "Sans réponse dans cette colonne, donc laissé de côté : tour {turns}. La conversation continue "
              "avec les tours qu'elle a.",
        "en": "Failed in this column, so left out: turn {turns}. The conversation continues with the turns it has.",
    },
    "conv.empty": {
        "fr": "Le message de suivi est vide : écrivez quelque chose à envoyer à chaque colonne.",
        "en": "The follow-up message is empty: type something to send to every column.",
    },
    "conv.no_conversation": {
        "fr": "Pas de conversation à poursuivre : lancez d'abord un prompt (« Lancer »).",
        "en": "No conversation to continue: run a prompt first (“Run”).",
    },
    "conv.history_turns": {"fr": "{n} tours", "en": "{n} turns"},
    "md.conversation": {"fr": "# Conversation ({n} tours)", "en": "# Conversation ({n} turns)"},
    "md.conversation_metrics": {
        "fr": "Mesures du tour {n} ; chaque tour de chaque colonne ci-dessous.",
        "en": "Metrics of turn {n}; every turn of each column below.",
    },
    "md.turn": {"fr": "### Tour {n}", "en": "### Turn {n}"},
}
