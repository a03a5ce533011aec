"""Strings of the Model anatomy page."""

NNBSP = "\u202f"  # before : ; ! ? % in French

STRINGS = {
    "nav.anatomy": {"fr": "Anatomie d'un modèle", "en": "Model anatomy"},
    "anat.title": {"fr": "Anatomie d'un modèle", "en": "Model anatomy"},
    "anat.intro": {
        "fr": "De quoi un modèle est fait, lu dans l'en-tête de son fichier GGUF (ou auprès d'Ollama) sans charger "
              f"les poids{NNBSP}: paramètres, quantification de chaque tenseur, contexte, vocabulaire, modèle de "
              "conversation, et la mémoire qu'il demande. Choisissez plusieurs modèles pour les comparer en colonnes.",
        "en": "What a model is made of, read from its GGUF file's header (or from Ollama) without loading the "
              "weights: parameters, each tensor's quantization, context, vocabulary, chat template, and the memory "
              "it needs. Pick several models to compare them in columns.",
    },
    "anat.models": {"fr": "Modèles", "en": "Models"},
    "anat.none": {"fr": "Aucun modèle ne décrit son intérieur ici (modèles embarqués GGUF et Ollama seulement).",
                  "en": "No model here describes its insides (embedded GGUF models and Ollama only)."},
    "anat.pick": {"fr": "Choisissez au moins un modèle.", "en": "Pick at least one model."},
    "anat.ctx": {"fr": "Contexte pour l'estimation mémoire (tokens)", "en": "Context for the memory estimate (tokens)"},
    "anat.kv_type": {"fr": "Type du cache KV", "en": "KV cache type"},
    "anat.kv.q8_0": {"fr": "q8_0 (celui de notre moteur embarqué)", "en": "q8_0 (our embedded engine's)"},
    "anat.kv.f16": {"fr": "f16 (défaut de llama.cpp et d'Ollama)", "en": "f16 (llama.cpp's and Ollama's default)"},
    "anat.n_seq": {"fr": "Séquences simultanées", "en": "Sequences at once"},
    "anat.n_seq_help": {
        "fr": "Chaque séquence a ses propres cellules de cache. Notre moteur embarqué en sert jusqu'à {n} à la fois "
              f"(max_active) et réserve en tout {{streams}} zones{NNBSP}: celles-ci, les prompts gardés en cache et une zone technique.",
        "en": "Each sequence has its own cache cells. Our embedded engine serves up to {n} at once (max_active) and "
              "reserves {streams} areas in all: those, the prompts it keeps cached and one technical area.",
    },
    "anat.source.gguf": {"fr": "Fichier GGUF", "en": "GGUF file"},
    "anat.source.ollama": {"fr": "Ollama (/api/show)", "en": "Ollama (/api/show)"},
    "anat.file_size": {"fr": "Taille du fichier", "en": "File size"},
    "anat.params": {"fr": "Paramètres", "en": "Parameters"},
    "anat.quant": {"fr": "Quantification", "en": "Quantization"},
    "anat.context": {"fr": "Contexte d'entraînement", "en": "Trained context"},
    "anat.vocab": {"fr": "Vocabulaire", "en": "Vocabulary"},
    "anat.shape": {
        "fr": "{arch} · {layers} couches · {heads} têtes d'attention ({kv} pour K/V) · dimension {embd}",
        "en": "{arch} · {layers} layers · {heads} attention heads ({kv} for K/V) · width {embd}",
    },
    "anat.summary": {"fr": "Côte à côte", "en": "Side by side"},
    "anat.ram": {"fr": "Mémoire estimée", "en": "Estimated memory"},
    "anat.ram_split": {"fr": "poids {w} + cache KV {kv}", "en": "weights {w} + KV cache {kv}"},
    "anat.ram_formula": {"fr": "Le calcul", "en": "The formula"},
    "anat.ram_formula_body": {
        "fr": "cache KV = couches × contexte × séquences × têtes K/V × (dim. K + dim. V) × octets par élément\n"
              "         = {layers} × {ctx} × {seq} × {kv} × ({k} + {v}) × {bpe}\n"
              "         = {kv_bytes}\n"
              "poids    = {w}\n"
              "total    = {total}",
        "en": "KV cache = layers × context × sequences × K/V heads × (K dim + V dim) × bytes per element\n"
              "         = {layers} × {ctx} × {seq} × {kv} × ({k} + {v}) × {bpe}\n"
              "         = {kv_bytes}\n"
              "weights  = {w}\n"
              "total    = {total}",
    },
    "anat.ram_note": {
        "fr": "Un plancher{NNBSP}: les tampons de calcul et le programme lui-même s'y ajoutent. q8_0 coûte 34 octets "
              "par bloc de 32 valeurs (1,0625 octet), f16 2 octets. Notre moteur embarqué stocke son cache en q8_0 "
              "(moitié moins que f16), une zone par séquence.".replace("{NNBSP}", NNBSP),
        "en": "A floor: compute buffers and the program itself come on top. q8_0 costs 34 bytes per block of 32 "
              "values (1.0625 bytes), f16 2 bytes. Our embedded engine keeps its cache in q8_0 (half of f16), one "
              "area per sequence.",
    },
    "anat.swa_note": {
        "fr": "Ce modèle a une fenêtre glissante de {n} tokens sur une partie de ses couches{NNBSP}: llama.cpp y garde "
              "moins de cellules, l'estimation est un majorant pour le cache.".replace("{NNBSP}", NNBSP),
        "en": "This model has a sliding window of {n} tokens on some of its layers: llama.cpp keeps fewer cells "
              "there, so the cache figure is an upper bound.",
    },
    "anat.kv_unknown": {"fr": "Cache KV inconnu (architecture non décrite par le serveur).",
                        "en": "KV cache unknown (the server does not describe the architecture)."},
    "anat.hist": {"fr": "Quantification des tenseurs", "en": "Tensor quantization"},
    "anat.hist_caption": {
        "fr": "Paramètres stockés dans chaque type ggml ({n} tenseurs en tout). Un fichier «\u00a0Q4_K_M\u00a0» mélange "
              "plusieurs types{NNBSP}: les normes restent en F32, certaines matrices gardent plus de bits."
              .replace("{NNBSP}", NNBSP),
        "en": "Parameters stored in each ggml type ({n} tensors in all). A “Q4_K_M” file mixes several types: "
              "norms stay in F32, some matrices keep more bits.",
    },
    "anat.col.type": {"fr": "Type", "en": "Type"},
    "anat.col.tensors": {"fr": "Tenseurs", "en": "Tensors"},
    "anat.col.params": {"fr": "Paramètres", "en": "Parameters"},
    "anat.col.share": {"fr": "Part", "en": "Share"},
    "anat.col.bytes": {"fr": "Octets", "en": "Bytes"},
    "anat.col.bits": {"fr": "Bits par paramètre", "en": "Bits per parameter"},
    "anat.col.layer": {"fr": "Couche", "en": "Layer"},
    "anat.col.types": {"fr": "Types", "en": "Types"},
    "anat.outside": {"fr": "hors couches", "en": "outside layers"},
    "anat.layers": {"fr": "Tenseurs par couche", "en": "Tensors by layer"},
    "anat.template": {"fr": "Modèle de conversation (chat template)", "en": "Chat template"},
    "anat.no_template": {"fr": f"Pas de modèle de conversation{NNBSP}: un modèle de base, qui continue le texte.",
                         "en": "No chat template: a base model, which continues text."},
    "anat.parameters": {"fr": "Paramètres par défaut (Ollama)", "en": "Default parameters (Ollama)"},
    "anat.no_tensors": {"fr": f"Ollama ne donne pas la liste des tenseurs{NNBSP}: pas d'histogramme.",
                        "en": "Ollama does not list the tensors: no histogram."},
    "error.anatomy_unsupported": {
        "fr": f"{{model}} ne décrit pas son intérieur{NNBSP}: seuls les modèles embarqués (GGUF) et Ollama le font.",
        "en": "{model} does not describe its insides: only embedded GGUF models and Ollama do.",
    },
}
