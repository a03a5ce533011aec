"""Strings of the Tokenizers page added after the explorer (GGUF choice, FR/EN labels)."""

STRINGS = {
    "tok.gguf_choice": {"fr": "Fichier GGUF du serveur (optionnel)", "en": "Server GGUF file (optional)"},
    "tok.gguf_none": {"fr": "— aucun —", "en": "— none —"},
    # text labels rather than flag emoji: emoji fonts are missing on some projector machines
    "tok.pair_fr": {"fr": "**FR** · {text}", "en": "**FR** · {text}"},
    "tok.pair_en": {"fr": "**EN** · {text}", "en": "**EN** · {text}"},
}
