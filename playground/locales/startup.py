"""Strings of a model's first use: the page is drawn from the GGUF header, the weights load on the
first generation (providers/embedded/gguf_meta.py)."""

STRINGS = {
    "startup.loading_model": {
        "fr": "Chargement de {model} en mémoire (première utilisation)…",
        "en": "Loading {model} into memory (first use)…",
    },
}
