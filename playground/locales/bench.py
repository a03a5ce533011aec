"""Strings of the Benchmark page."""

STRINGS = {
    "bench.title": {"fr": "Benchmark", "en": "Benchmark"},
    "bench.intro": {
        "fr": "Mesurez plusieurs modèles sur un jeu de prompts : TTFT, TPOT, ITL, latence totale, tokens/s, débit, "
              "taux d'erreur, avec moyenne et percentiles (définitions de vLLM / llmperf).",
        "en": "Measure several models on a prompt set: TTFT, TPOT, ITL, end-to-end latency, tokens/s, throughput, "
              "error rate, with mean and percentiles (vLLM / llmperf definitions).",
    },
    "bench.prompts": {"fr": "Jeu de prompts", "en": "Prompt set"},
    "bench.set.fr": {"fr": "Intégré, français (10)", "en": "Built-in, French (10)"},
    "bench.set.en": {"fr": "Intégré, anglais (10)", "en": "Built-in, English (10)"},
    "bench.set.upload": {"fr": "Fichier (CSV, JSONL, TXT)", "en": "File (CSV, JSONL, TXT)"},
    "bench.upload": {"fr": "Fichier de prompts", "en": "Prompt file"},
    "bench.upload_help": {
        "fr": "CSV avec une colonne « prompt » (et optionnellement id, system) ; JSONL d'objets {\"prompt\": …} ; "
              "TXT avec un prompt par ligne. 50 Mo maximum.",
        "en": "CSV with a “prompt” column (optionally id, system); JSONL of {\"prompt\": …} objects; TXT with one "
              "prompt per line. 50 MB at most.",
    },
    "bench.upload_needed": {"fr": "Choisissez un fichier de prompts.", "en": "Choose a prompt file."},
    "bench.n_prompts": {"fr": "Prompts utilisés (les N premiers)", "en": "Prompts used (the first N)"},
    "bench.preview": {"fr": "Voir les {n} prompts", "en": "Show the {n} prompts"},
    "bench.models": {"fr": "Modèles", "en": "Models"},
    "bench.repetitions": {"fr": "Répétitions", "en": "Repetitions"},
    "bench.mode": {"fr": "Mode", "en": "Mode"},
    "bench.mode.sequential": {"fr": "L'un après l'autre (mesure équitable)", "en": "One after another (fair timing)"},
    "bench.mode.parallel": {"fr": "En parallèle (concurrence)", "en": "In parallel (concurrency)"},
    "bench.concurrency": {"fr": "Niveaux de concurrence", "en": "Concurrency levels"},
    "bench.warmup": {"fr": "Échauffement (une requête non mesurée par modèle)", "en": "Warm-up (one unmeasured request per model)"},
    "bench.temperature": {"fr": "Température", "en": "Temperature"},
    "bench.max_tokens": {"fr": "Tokens max par réponse", "en": "Max tokens per answer"},
    "bench.seed": {"fr": "Graine", "en": "Seed"},
    "bench.total": {"fr": "{n} requêtes mesurées au total.", "en": "{n} measured requests in total."},
    "bench.run": {"fr": "▶ Lancer le benchmark", "en": "▶ Run benchmark"},
    "bench.cancel": {"fr": "■ Annuler", "en": "■ Cancel"},
    "bench.no_models": {"fr": "Choisissez au moins un modèle.", "en": "Pick at least one model."},
    "bench.no_prompts": {
        "fr": "Le jeu de prompts est vide : il faut au moins un prompt.",
        "en": "The prompt set is empty: a benchmark needs at least one prompt.",
    },
    "bench.progress": {
        "fr": "{done}/{total} requêtes · {errors} erreurs · écoulé {elapsed} · reste ≈ {eta}",
        "en": "{done}/{total} requests · {errors} errors · elapsed {elapsed} · ETA ≈ {eta}",
    },
    "bench.cancelled": {
        "fr": "Benchmark annulé : les résultats obtenus jusque-là sont conservés.",
        "en": "Benchmark cancelled: the results so far are kept.",
    },
    "bench.done": {"fr": "Terminé en {s} s.", "en": "Finished in {s} s."},
    "bench.warmup_failed": {"fr": "Échauffement de {model} en échec : {error}", "en": "Warm-up of {model} failed: {error}"},
    "bench.results": {"fr": "Résultats", "en": "Results"},
    "bench.per_model": {"fr": "Par modèle et niveau de concurrence", "en": "Per model and concurrency level"},
    "bench.box_ttft": {"fr": "TTFT par modèle (s)", "en": "TTFT per model (s)"},
    "bench.box_toks": {"fr": "Tokens/s par requête, par modèle", "en": "Tokens/s per request, per model"},
    "bench.throughput_line": {"fr": "Débit total selon la concurrence (tokens/s)", "en": "Overall throughput vs concurrency (tokens/s)"},
    "bench.concurrency_axis": {"fr": "Concurrence", "en": "Concurrency"},
    "bench.samples": {"fr": "Toutes les requêtes", "en": "Every request"},
    "bench.total_cost": {"fr": "Coût total : {cost}", "en": "Total cost: {cost}"},
    "bench.download_json": {"fr": "⬇ JSON (tout, rejouable)", "en": "⬇ JSON (everything, replayable)"},
    "bench.download_csv": {"fr": "⬇ CSV (métriques)", "en": "⬇ CSV (metrics)"},
    "bench.download_samples": {"fr": "⬇ CSV (requêtes)", "en": "⬇ CSV (requests)"},
    "bench.download_md": {"fr": "⬇ Markdown", "en": "⬇ Markdown"},
    "bench.tokens_note": {
        "fr": "Les tokens/s ne se comparent pas entre tokenizers différents : regardez aussi les caractères/s.",
        "en": "Tokens/s are not comparable across tokenizers: look at chars/s too.",
    },
}
