"""Strings of the "nothing lies, everything reads well" pass: run outcomes in the history,
labels that were still English, French wording fixes."""

STRINGS = {
    "history.interrupted_kept": {
        "fr": "Cette exécution a été interrompue avant la fin (onglet fermé ou processus arrêté) : voici ce qui était terminé.",
        "en": "This run was interrupted before the end (tab closed or process stopped): here is what had finished.",
    },
    # the bundled models' labels, model details, the Compare summary's parameter columns
    "label.chat_embedded": {"fr": "(chat, embarqué)", "en": "(chat, embedded)"},
    "label.completion_embedded": {"fr": "(complétion, embarqué)", "en": "(completion, embedded)"},
    "label.hub_embedded": {"fr": "({repo}, embarqué)", "en": "({repo}, embedded)"},
    "details.family": {"fr": "famille : {value}", "en": "family: {value}"},
    "details.parameter_size": {"fr": "taille : {value}", "en": "parameter size: {value}"},
    "details.quantization": {"fr": "quantification : {value}", "en": "quantization: {value}"},
    "details.vocab_size": {"fr": "vocabulaire : {value} tokens", "en": "vocab size: {value}"},
    "details.context": {"fr": "contexte : {n} tokens", "en": "context: {n} tokens"},
    "summary.temperature": {"fr": "Température", "en": "Temperature"},
    "summary.top_p": {"fr": "Top-p", "en": "Top-p"},
    "summary.top_k": {"fr": "Top-k", "en": "Top-k"},
    "summary.min_p": {"fr": "Min-p", "en": "Min-p"},
    "summary.seed": {"fr": "Graine", "en": "Seed"},
    "summary.max_tokens": {"fr": "Tokens max", "en": "Max tokens"},
    "common.choose": {"fr": "Choisissez…", "en": "Choose…"},
    # the sampling lab's typed temperatures (error codes of playground.sampling_lab)
    "error.lab_temperature_invalid": {
        "fr": "« {part} » n'est pas une température : écrivez des nombres séparés par des points-virgules ou des espaces (ex. 0 ; 0,7 ; 1,5).",
        "en": "“{part}” is not a temperature: write numbers separated by commas, semicolons or spaces (e.g. 0, 0.7, 1.5).",
    },
    "error.lab_temperature_range": {
        "fr": "La température {value} est hors limites : utilisez des valeurs entre 0 et 2.",
        "en": "Temperature {value} is out of range: use values between 0 and 2.",
    },
    "error.lab_no_temperature": {
        "fr": "Donnez au moins une température (ex. 0 ; 0,7 ; 1,5).",
        "en": "Give at least one temperature (e.g. 0, 0.7, 1.5).",
    },
    "error.lab_no_samples": {
        "fr": "Demandez au moins un échantillon par température.",
        "en": "Ask for at least one sample per temperature.",
    },
    # singulars (ui.common.trn picks `key.one` for one; in French for zero too)
    "history.count.one": {"fr": "{shown} affichée sur {n} exécution", "en": "{shown} shown of {n} run"},
    "sent.kept.one": {"fr": "{n} phrase gardée", "en": "{n} sentence kept"},
    "sent.count.one": {
        "fr": "{n} variante retenue, cochée ; {rejected} lignes écartées, décochées avec la raison.",
        "en": "{n} variant kept, ticked; {rejected} lines rejected, unticked with the reason.",
    },
    "nt.trail_caption.one": {
        "fr": "{n} token choisi · log-probabilité de la suite : {lp:.2f} (sous chaque token : sa probabilité au moment du choix)",
        "en": "{n} token chosen · log-probability of the sequence: {lp:.2f} (under each token: its probability when chosen)",
    },
    # Markdown exports (playground.export.to_markdown)
    "md.comparison": {"fr": "# Comparaison", "en": "# Comparison"},
    "md.compare_header": {
        "fr": "| # | Modèle | File d'attente (s) | TTFT (s) | Total (s) | tok/s | Tokens | Coût | Raison de l'arrêt |",
        "en": "| # | Model | Queue (s) | TTFT (s) | Total (s) | tok/s | Tokens | Cost | Finish |",
    },
    "md.error": {"fr": "**Erreur :** {error}", "en": "**Error:** {error}"},
    "md.sentences": {"fr": "# Phrases d'entraînement ({model})", "en": "# Training sentences ({model})"},
    "md.sampling": {"fr": "# Labo d'échantillonnage ({model})", "en": "# Sampling lab ({model})"},
    "md.bench_line": {
        "fr": "{prompts} prompts × {reps} répétition(s), mode {mode}, requêtes simultanées {levels}",
        "en": "{prompts} prompts × {reps} repetition(s), mode {mode}, concurrency {levels}",
    },
    "md.partial": {"fr": " — annulé, résultats partiels", "en": " — cancelled, partial results"},
    "md.bench_header": {
        "fr": "| Modèle | Simult. | Requêtes | Erreurs | TTFT p50 (s) | TTFT p99 (s) | TPOT p50 (ms) | E2E p50 (s) "
              "| tok/s moyen | Débit (tok/s) | Coût |",
        "en": "| Model | Conc. | Requests | Errors | TTFT p50 (s) | TTFT p99 (s) | TPOT p50 (ms) | E2E p50 (s) "
              "| tok/s mean | Throughput (tok/s) | Cost |",
    },
    "md.sampling_line": {
        "fr": "Températures {temps} × {n} tirage(s), graines {seed} + i ; {params}",
        "en": "Temperatures {temps} × {n} sample(s), seeds {seed} + i; {params}",
    },
    "md.diversity_header": {"fr": "| T | Sorties distinctes | distinct-2 | Échecs |",
                            "en": "| T | Distinct outputs | distinct-2 | Failed |"},
    "md.empty": {"fr": "*(sortie vide)*", "en": "*(empty output)*"},
    "md.seed_line": {"fr": "- graine {seed} : {text}", "en": "- seed {seed}: {text}"},
    "md.determinism": {"fr": "## Vérification du déterminisme", "en": "## Determinism check"},
    "md.det_line": {"fr": "T = {t}, graine {seed} : ", "en": "T = {t}, seed {seed}: "},
    "md.identical": {"fr": "sorties identiques", "en": "identical outputs"},
    "md.differ": {"fr": "les sorties diffèrent", "en": "outputs differ"},
    "history.sample_label": {"fr": "T = {t} · n° {i} (graine {seed})", "en": "T={t} · #{i} (seed {seed})"},
}
