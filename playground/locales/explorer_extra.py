"""Explorer strings added after issue 4: Tokenizers GGUF choice and FR/EN labels, next-token units."""

STRINGS = {
    "tok.gguf_choice": {"fr": "Fichier GGUF du serveur (optionnel)", "en": "Server GGUF file (optional)"},
    "tok.gguf_none": {"fr": "— aucun —", "en": "— none —"},
    # text labels rather than flag emoji: emoji fonts are missing on some projector machines
    "tok.pair_fr": {"fr": "**FR** · {text}", "en": "**FR** · {text}"},
    "tok.pair_en": {"fr": "**EN** · {text}", "en": "**EN** · {text}"},
    # units: same number format as the charts' bar labels, in both languages
    "nt.nats": {"fr": "{v:.2f} nats", "en": "{v:.2f} nats"},
    "nt.bits": {"fr": "{v:.2f} bits", "en": "{v:.2f} bits"},
    "nt.percent": {"fr": "{p:.1f}%", "en": "{p:.1f}%"},
    "nt.pick_label": {"fr": "{rank}. {piece} · {p:.1f}%", "en": "{rank}. {piece} · {p:.1f}%"},
}
