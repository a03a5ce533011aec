"""Strings of the Score a text page."""

NNBSP = "\u202f"  # before : ; ! ? % in French

STRINGS = {
    "nav.score": {"fr": "Noter un texte", "en": "Score a text"},
    "score.title": {"fr": "Noter un texte", "en": "Score a text"},
    "score.intro": {
        "fr": "Collez un texte{NNBSP}: chaque token prend la couleur de la probabilité que le modèle lui donnait, "
              "sachant ce qui précède. Survolez un token pour voir ce que le modèle attendait à sa place.",
        "en": "Paste a text: each token takes the colour of the probability the model gave it, given what came "
              "before. Hover a token to see what the model expected instead.",
    },
    "score.model": {"fr": "Modèle", "en": "Model"},
    "score.text": {"fr": "Texte à noter", "en": "Text to score"},
    "score.text_default": {
        "fr": "Le chat dort sur le canapé. Le chat dort sur le réfrigérateur quantique.",
        "en": "The cat sleeps on the sofa. The cat sleeps on the quantum refrigerator.",
    },
    "score.run": {"fr": "Noter", "en": "Score"},
    "score.running": {"fr": "Évaluation des tokens… {done}/{total}", "en": "Evaluating the tokens… {done}/{total}"},
    "score.exact": {
        "fr": "Exact{NNBSP}: les logits complets du modèle embarqué, calculés comme l'explorateur du token suivant "
              "les calcule pas à pas (mêmes probabilités).",
        "en": "Exact: the embedded model's full logits, computed the way the next-token explorer computes them "
              "step by step (same probabilities).",
    },
    "score.echo": {
        "fr": "Probabilités calculées par le serveur (echo du prompt sur /v1/completions), telles quelles. "
              "Attention{NNBSP}: le serveur de llama-cpp-python les décale d'un token (mesuré){NNBSP}; pour des "
              "valeurs exactes, choisissez un modèle embarqué.",
        "en": "Probabilities computed by the server (prompt echo on /v1/completions), as sent. Beware: "
              "llama-cpp-python's server shifts them by one token (measured); for exact values, pick an "
              "embedded model.",
    },
    "score.truncated": {
        "fr": "Texte trop long{NNBSP}: seuls les {kept} premiers tokens sur {total} sont notés (chaque token est une "
              "évaluation du modèle). Raccourcissez le texte pour noter la suite.",
        "en": "Text too long: only the first {kept} of {total} tokens are scored (each token is one evaluation of "
              "the model). Shorten the text to score the rest.",
    },
    "score.perplexity": {"fr": "Perplexité", "en": "Perplexity"},
    "score.perplexity_help": {
        "fr": "exp(−moyenne des log-probabilités){NNBSP}: le nombre de choix équiprobables entre lesquels le modèle "
              "hésitait en moyenne. Dépend du tokenizer{NNBSP}: ne se compare pas entre modèles de vocabulaires différents.",
        "en": "exp(−mean log-probability): how many equally likely choices the model hesitated between, on average. "
              "Depends on the tokenizer: does not compare across models with different vocabularies.",
    },
    "score.surprisal": {"fr": "Surprise moyenne", "en": "Average surprisal"},
    "score.surprisal_value": {"fr": "{v}{NNBSP}bits", "en": "{v} bits"},
    "score.surprisal_help": {
        "fr": "−log₂ p par token{NNBSP}: 1 bit = une chance sur deux, 10 bits = une chance sur mille.",
        "en": "−log₂ p per token: 1 bit = one chance in two, 10 bits = one in a thousand.",
    },
    "score.n_tokens": {"fr": "Tokens notés", "en": "Tokens scored"},
    "score.first_token": {"fr": "premier token{NNBSP}: rien avant lui pour le prédire",
                          "en": "first token: nothing before it to predict it"},
    "score.surprising": {"fr": "Les tokens qui ont le plus surpris le modèle", "en": "The tokens that surprised the model most"},
    "score.col.pos": {"fr": "Position", "en": "Position"},
    "score.col.token": {"fr": "Token", "en": "Token"},
    "score.col.prob": {"fr": "Probabilité", "en": "Probability"},
    "score.col.bits": {"fr": "Surprise (bits)", "en": "Surprisal (bits)"},
    "score.col.expected": {"fr": "Le modèle attendait", "en": "The model expected"},
    "score.legend": {"fr": "Couleur = probabilité du token{NNBSP}: rouge improbable, vert attendu.",
                     "en": "Colour = the token's probability: red unlikely, green expected."},
    "score.error": {"fr": "Impossible de noter ce texte{NNBSP}: {error}", "en": "Cannot score this text: {error}"},
    "error.score_empty": {"fr": f"Le texte est vide{NNBSP}: collez le texte à noter.",
                          "en": "The text is empty: paste the text to score."},
    "error.score_unsupported": {
        "fr": f"{{model}} ne peut pas noter un texte donné{NNBSP}: son API ne renvoie pas les probabilités des tokens "
              "du prompt (seulement de ce qu'il génère). Choisissez un modèle embarqué, ou un serveur compatible "
              "OpenAI qui accepte «\u00a0echo\u00a0» (llama.cpp, vLLM).",
        "en": "{model} cannot score a given text: its API does not return the probabilities of the prompt's tokens "
              "(only of what it generates). Pick an embedded model, or an OpenAI-compatible server that accepts "
              "“echo” (llama.cpp, vLLM).",
    },
    "error.score_no_echo": {
        "fr": f"Le serveur a répondu sans les probabilités des tokens du texte{NNBSP}: il ne gère pas «\u00a0echo\u00a0». "
              "Choisissez un modèle embarqué.",
        "en": "The server answered without the text's token probabilities: it does not support “echo”. "
              "Pick an embedded model.",
    },
}

for _v in STRINGS.values():
    _v["fr"] = _v["fr"].replace("{NNBSP}", NNBSP)
