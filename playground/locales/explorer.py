"""Strings of the next-token explorer, the token heatmap, the sampling lab and the tokenizer view."""

STRINGS = {
    # navigation
    "nav.next_token": {"fr": "Prochain token", "en": "Next token"},
    "nav.sampling_lab": {"fr": "Labo d'échantillonnage", "en": "Sampling lab"},
    "nav.tokenizer": {"fr": "Tokenizers", "en": "Tokenizers"},
    # next-token page
    "nt.title": {"fr": "Comment le modèle choisit le prochain token", "en": "How the model picks the next token"},
    "nt.intro": {
        "fr": "Le modèle donne une probabilité à chaque token de son vocabulaire. Bougez la température, top-k, "
              "top-p et min-p : la distribution se recalcule sans rappeler le modèle, exactement comme l'échantillonneur.",
        "en": "The model gives every token of its vocabulary a probability. Move temperature, top-k, top-p and "
              "min-p: the distribution is recomputed without calling the model again, exactly as the sampler does.",
    },
    "nt.mode": {"fr": "Mode", "en": "Mode"},
    "nt.mode_raw": {"fr": "Complétion brute", "en": "Raw completion"},
    "nt.mode_chat": {"fr": "Chat (template)", "en": "Chat (template)"},
    "nt.prompt": {"fr": "Début du texte", "en": "Text so far"},
    "nt.prompt_default": {"fr": "La souris de l'ordinateur est un", "en": "La souris de l'ordinateur est un"},
    "nt.show": {"fr": "Tokens affichés", "en": "Tokens shown"},
    "nt.temperature_help": {
        "fr": "softmax(logits / T) : T < 1 concentre la probabilité sur les favoris, T > 1 l'étale. T = 0 : toujours le plus probable.",
        "en": "softmax(logits / T): T < 1 sharpens towards the favourites, T > 1 flattens. T = 0: always the most likely.",
    },
    "nt.top_k_help": {"fr": "Ne garder que les k tokens les plus probables (0 = désactivé).", "en": "Keep only the k most likely tokens (0 = off)."},
    "nt.top_p_help": {
        "fr": "Garder les plus probables jusqu'à atteindre cette masse de probabilité (1 = désactivé).",
        "en": "Keep the most likely tokens until they hold this much probability (1 = off).",
    },
    "nt.min_p_help": {
        "fr": "Écarter les tokens moins probables que min-p × la probabilité du favori (0 = désactivé).",
        "en": "Drop tokens less likely than min-p × the favourite's probability (0 = off).",
    },
    "nt.computing": {"fr": "Le modèle calcule la distribution…", "en": "The model computes the distribution…"},
    "nt.approx": {
        "fr": "Approximation : ce backend ne renvoie que ses {n} tokens les plus probables, avec des logprobs brutes "
              "(avant température, top-k, top-p). Ils portent {mass:.1f}\u202f% de la masse ; la distribution affichée est "
              "recalculée sur ces seuls tokens.",
        "en": "Approximate: this backend returns only its {n} most likely tokens, with raw logprobs (before "
              "temperature, top-k, top-p). They hold {mass:.1f}% of the mass; the distribution shown is recomputed "
              "over those tokens only.",
    },
    "nt.exact": {
        "fr": "Exact : calculé sur tout le vocabulaire ({vocab} tokens), contexte de {ctx} tokens.",
        "en": "Exact: computed over the whole vocabulary ({vocab} tokens), context of {ctx} tokens.",
    },
    "nt.cut": {"fr": "coupé", "en": "cut"},
    "nt.other": {"fr": "autres", "en": "other"},
    "nt.other_help": {
        "fr": "Masse des tokens gardés qui ne sont pas affichés",
        "en": "Mass of the kept tokens that are not shown",
    },
    "nt.entropy_t": {"fr": "Entropie à T", "en": "Entropy at T"},
    "nt.entropy_final": {"fr": "Entropie après filtres", "en": "Entropy after filters"},
    "nt.kept": {"fr": "Tokens gardés", "en": "Tokens kept"},
    "nt.of_vocab": {"fr": "sur {n}", "en": "of {n}"},
    "nt.top_token": {"fr": "Favori", "en": "Favourite"},
    "nt.entropy_vs_t": {"fr": "Entropie selon la température", "en": "Entropy against temperature"},
    "nt.entropy_curve": {"fr": "entropie de softmax(logits / T)", "en": "entropy of softmax(logits / T)"},
    "nt.entropy_now": {"fr": "T actuelle", "en": "current T"},
    "nt.entropy_filtered": {"fr": "après filtres", "en": "after filters"},
    "nt.entropy_axis": {"fr": "entropie (nats)", "en": "entropy (nats)"},
    "nt.entropy_help": {
        "fr": "L'entropie mesure l'hésitation du modèle : 0 = un seul choix possible ; elle monte avec T.",
        "en": "Entropy measures how undecided the model is: 0 = a single possible choice; it rises with T.",
    },
    "nt.step_title": {"fr": "Pas à pas : et on recommence", "en": "Step by step: and again"},
    "nt.trail_caption": {
        "fr": "{n} tokens choisis · log-probabilité de la suite : {lp:.2f} (sous chaque token : sa probabilité au moment du choix)",
        "en": "{n} tokens chosen · log-probability of the sequence: {lp:.2f} (under each token: its probability when chosen)",
    },
    "nt.most_likely": {"fr": "Le plus probable", "en": "Most likely"},
    "nt.sample": {"fr": "Tirer au sort", "en": "Sample"},
    "nt.undo": {"fr": "Annuler", "en": "Undo"},
    "nt.reset": {"fr": "Tout effacer", "en": "Clear"},
    "nt.pick_caption": {
        "fr": "Cliquez sur une barre ou sur un candidat pour l'ajouter (touches 1 à 9 ; L = le plus probable, S = tirage, U = annuler).",
        "en": "Click a bar or a candidate to append it (keys 1 to 9; L = most likely, S = sample, U = undo).",
    },
    "nt.branch_title": {"fr": "Repartir d'une étape précédente", "en": "Branch from an earlier step"},
    "nt.branch_at": {"fr": "Garder les étapes jusqu'à", "en": "Keep the steps up to"},
    "nt.branch_option": {"fr": "étape {i} ({text})", "en": "step {i} ({text})"},
    "nt.branch": {"fr": "Repartir d'ici", "en": "Branch here"},
    "nt.branches": {"fr": "Branches abandonnées ({n})", "en": "Abandoned branches ({n})"},
    "nt.restore": {"fr": "Reprendre", "en": "Restore"},
    "nt.trail_heatmap": {"fr": "Carte de chaleur de la suite choisie", "en": "Heatmap of the chosen sequence"},
    "nt.generate_title": {"fr": "Une réponse entière, token par token", "en": "A whole answer, token by token"},
    "nt.generate": {"fr": "Générer avec ces réglages", "en": "Generate with these settings"},
    "nt.generating": {"fr": "Génération…", "en": "Generating…"},
    # heatmap
    "hm.none": {"fr": "Pas de probabilités pour ce texte (backend sans logprobs, ou non demandées).",
                "en": "No probabilities for this text (backend without logprobs, or not requested)."},
    "hm.mean_logprob": {"fr": "Logprob moyenne", "en": "Mean logprob"},
    "hm.perplexity": {"fr": "Perplexité", "en": "Perplexity"},
    "hm.min_prob": {"fr": "Token le moins sûr", "en": "Least confident token"},
    "hm.note": {
        "fr": "Couleur = probabilité du token choisi (survolez pour voir les alternatives). Logprob moyenne et "
              "perplexité dépendent du tokenizer : ne les comparez pas entre modèles aux vocabulaires différents.",
        "en": "Colour = probability of the chosen token (hover for the alternatives). Mean logprob and perplexity "
              "depend on the tokenizer: do not compare them across models with different vocabularies.",
    },
    "hm.prob": {"fr": "probabilité du token choisi (%)", "en": "chosen token probability (%)"},
    "hm.entropy": {"fr": "entropie des alternatives (nats)", "en": "entropy of the alternatives (nats)"},
    "hm.position": {"fr": "position du token", "en": "token position"},
    "hm.alternatives": {"fr": "Alternatives token par token", "en": "Alternatives token by token"},
    "hm.token": {"fr": "Token", "en": "Token"},
    "hm.alts": {"fr": "Alternatives", "en": "Alternatives"},
    "hm.expander": {"fr": "Carte de chaleur des probabilités", "en": "Probability heatmap"},
    # sampling lab
    "lab.title": {"fr": "Labo d'échantillonnage : l'effet de la température", "en": "Sampling lab: what temperature does"},
    "lab.intro": {
        "fr": "Un prompt, plusieurs températures, N tirages avec des graines fixes : voyez la diversité monter avec T, "
              "et vérifiez que la même graine redonne le même texte.",
        "en": "One prompt, several temperatures, N seeded samples: watch diversity rise with T, and check that the "
              "same seed gives the same text again.",
    },
    "lab.prompt": {"fr": "Prompt", "en": "Prompt"},
    "lab.prompt_default": {"fr": "La souris de l'ordinateur est un", "en": "La souris de l'ordinateur est un"},
    "lab.temperatures": {"fr": "Températures (séparées par « ; » ou des espaces)", "en": "Temperatures (comma-separated)"},
    "lab.samples": {"fr": "Tirages par température", "en": "Samples per temperature"},
    "lab.max_tokens": {"fr": "Tokens max par tirage", "en": "Max tokens per sample"},
    "lab.seed": {"fr": "Graine de départ (tirage i : graine + i)", "en": "Base seed (sample i: seed + i)"},
    "lab.run": {"fr": "Lancer la grille", "en": "Run the grid"},
    "lab.progress": {"fr": "{done}/{total} · T = {t} · tirage {i}", "en": "{done}/{total} · T = {t} · sample {i}"},
    "lab.grid": {"fr": "Les sorties", "en": "The outputs"},
    "lab.sample_col": {"fr": "Tirage {i} (graine {seed})", "en": "Sample {i} (seed {seed})"},
    "lab.diversity": {"fr": "Diversité selon la température", "en": "Diversity against temperature"},
    "lab.distinct_outputs": {"fr": "sorties distinctes / tirages", "en": "distinct outputs / samples"},
    "lab.distinct_2": {"fr": "bigrammes distincts (distinct-2)", "en": "distinct bigrams (distinct-2)"},
    "lab.diversity_help": {
        "fr": "Sorties distinctes : combien de textes différents sur N. Distinct-2 : part des paires de mots qui ne se répètent pas entre les tirages.",
        "en": "Distinct outputs: how many different texts out of N. Distinct-2: share of word pairs that do not repeat across the samples.",
    },
    "lab.determinism": {"fr": "Test de déterminisme", "en": "Determinism check"},
    "lab.det_temperature": {"fr": "Température", "en": "Temperature"},
    "lab.det_seed": {"fr": "Graine", "en": "Seed"},
    "lab.det_run": {"fr": "Même graine deux fois", "en": "Same seed twice"},
    "lab.det_same": {"fr": "Identique : même graine → même texte (T = {t}, graine {seed}).",
                     "en": "Identical: same seed → same text (T = {t}, seed {seed})."},
    "lab.det_diff": {"fr": "Différent malgré la même graine (T = {t}, graine {seed}) : voici l'écart.",
                     "en": "Different despite the same seed (T = {t}, seed {seed}): here is the difference."},
    "lab.errors": {"fr": "Erreurs pendant la grille : {errors}", "en": "Errors during the grid: {errors}"},
    "lab.mode_note": {"fr": "Modèle de chat : le prompt est envoyé comme message utilisateur.",
                      "en": "Chat model: the prompt is sent as a user message."},
    # tokenizer
    "tok.title": {"fr": "Tokenizers : comment le texte devient des nombres", "en": "Tokenizers: how text becomes numbers"},
    "tok.intro": {
        "fr": "Le même texte découpé par plusieurs tokenizers : chaque case est un token (· = espace, ↵ = retour à la ligne), avec son numéro.",
        "en": "The same text cut by several tokenizers: each box is a token (· = space, ↵ = newline), with its id.",
    },
    "tok.text": {"fr": "Texte", "en": "Text"},
    "tok.text_default": {"fr": "La souris de l'ordinateur est un périphérique.", "en": "La souris de l'ordinateur est un périphérique."},
    "tok.tokenizers": {"fr": "Tokenizers", "en": "Tokenizers"},
    "tok.gguf_path": {"fr": "Fichier GGUF local (optionnel, chemin sur le serveur)", "en": "Local GGUF file (optional, path on the server)"},
    "tok.count": {"fr": "Tokens", "en": "Tokens"},
    "tok.chars_per_token": {"fr": "Caractères / token", "en": "Characters / token"},
    "tok.vocab": {"fr": "Taille du vocabulaire", "en": "Vocabulary size"},
    "tok.special_note": {"fr": "Inclut le token de début <bos> que ce modèle ajoute (en gris).",
                         "en": "Includes the <bos> start token this model adds (grey)."},
    "tok.fr_en": {"fr": "Le français coûte plus cher", "en": "French costs more"},
    "tok.fr_en_intro": {
        "fr": "La même phrase en français et en anglais : les tokenizers, entraînés surtout sur de l'anglais, découpent le français en plus de morceaux.",
        "en": "The same sentence in French and English: tokenizers, trained mostly on English, cut French into more pieces.",
    },
    "tok.fr": {"fr": "Français", "en": "French"},
    "tok.en": {"fr": "Anglais", "en": "English"},
    "tok.ratio": {"fr": "FR / EN", "en": "FR / EN"},
    "tok.tokenizer": {"fr": "Tokenizer", "en": "Tokenizer"},
    "tok.ids": {"fr": "Numéros des tokens", "en": "Token ids"},
    "tok.empty": {"fr": "Tapez un texte à découper.", "en": "Type some text to tokenize."},
    "tok.none_selected": {"fr": "Choisissez au moins un tokenizer.", "en": "Pick at least one tokenizer."},
    # Tokenizers: the server GGUF choice and FR/EN labels; next-token units
    "tok.gguf_choice": {"fr": "Fichier GGUF du serveur (optionnel)", "en": "Server GGUF file (optional)"},
    "tok.gguf_none": {"fr": "— aucun —", "en": "— none —"},
    # text labels rather than flag emoji: emoji fonts are missing on some projector machines
    "tok.pair_fr": {"fr": "**FR** · {text}", "en": "**FR** · {text}"},
    "tok.pair_en": {"fr": "**EN** · {text}", "en": "**EN** · {text}"},
    # units: same number format as the charts' bar labels, in both languages
    "nt.nats": {"fr": "{v:.2f} nats", "en": "{v:.2f} nats"},
    "nt.bits": {"fr": "{v:.2f} bits", "en": "{v:.2f} bits"},
    "nt.percent": {"fr": "{p:.1f}\u202f%", "en": "{p:.1f}%"},
    "nt.pick_label": {"fr": "{rank}. {piece} · {p:.1f}\u202f%", "en": "{rank}. {piece} · {p:.1f}%"},
}
