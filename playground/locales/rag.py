"""Mini-RAG: documents, chunks, retrieval, the augmented prompt and the two answers."""

NNBSP = "\u202f"  # before : ; ! ? % in French
NBSP = "\u00a0"  # inside « »

STRINGS = {
    "nav.rag": {"fr": "Mini-RAG", "en": "Mini-RAG"},
    "rag.title": {"fr": "Mini-RAG : répondre à partir de vos documents", "en": "Mini-RAG: answering from your documents"},
    "rag.intro": {
        "fr": "Collez des textes ou déposez des fichiers : ils sont découpés en extraits, chaque extrait devient un vecteur "
              "(embedding), et les extraits les plus proches de la question sont ajoutés au prompt. Le même modèle répond "
              "avec et sans ce contexte, côte à côte. Tout reste en mémoire, le temps de votre session.",
        "en": "Paste texts or drop files: they are cut into chunks, each chunk becomes a vector (embedding), and the "
              "chunks nearest to the question are added to the prompt. The same model answers with and without that "
              "context, side by side. Everything stays in memory, for your session only.",
    },
    "rag.docs": {"fr": "1. Les documents", "en": "1. The documents"},
    "rag.paste": {"fr": "Textes collés (séparez les documents par une ligne « --- »)",
                  "en": "Pasted texts (separate documents with a line “---”)"},
    "rag.upload": {"fr": "Ou déposez des fichiers (.txt, .md, .pdf ; 5\u00a0Mo au total)",
                   "en": "Or drop files (.txt, .md, .pdf; 5 MB in all)"},
    "rag.pasted_name": {"fr": "texte {n}", "en": "text {n}"},
    "rag.chunking": {"fr": "2. Le découpage et les embeddings", "en": "2. Chunking and embeddings"},
    "rag.size": {"fr": "Taille d'un extrait (caractères)", "en": "Chunk size (characters)"},
    "rag.overlap": {"fr": "Chevauchement (caractères)", "en": "Overlap (characters)"},
    "rag.overlap_help": {
        "fr": "Chaque extrait reprend la fin du précédent : une phrase coupée en deux reste entière dans l'un des deux.",
        "en": "Each chunk repeats the end of the one before: a sentence cut in two stays whole in one of them.",
    },
    "rag.overlap_capped": {
        "fr": "Chevauchement ramené à {overlap} caractères, la moitié d'un extrait.",
        "en": "Overlap brought down to {overlap} characters, half a chunk.",
    },
    "rag.embed_model": {"fr": "Modèle d'embeddings", "en": "Embedding model"},
    "rag.default_embed": {"fr": "{model} (hors ligne, par défaut)", "en": "{model} (offline, default)"},
    "rag.embedding": {"fr": "Calcul des embeddings…", "en": "Computing the embeddings…"},
    "rag.embed_failed": {
        "fr": f"Les embeddings n'ont pas pu être calculés{NNBSP}: {{error}}. Choisissez un autre modèle d'embeddings ou réessayez.",
        "en": "The embeddings could not be computed: {error}. Pick another embedding model or try again.",
    },
    "rag.topk": {"fr": "Extraits retenus (top-k)", "en": "Chunks retrieved (top-k)"},
    "rag.summary": {"fr": "{docs} document(s), {chunks} extrait(s)", "en": "{docs} document(s), {chunks} chunk(s)"},
    "rag.ask_section": {"fr": "3. La question", "en": "3. The question"},
    "rag.question": {"fr": "Votre question", "en": "Your question"},
    "rag.answer_model": {"fr": "Modèle qui répond", "en": "Answering model"},
    "rag.ask": {"fr": "Chercher et répondre", "en": "Retrieve and answer"},
    "rag.stop": {"fr": "Arrêter", "en": "Stop"},
    "rag.hits": {"fr": "Extraits retrouvés", "en": "Retrieved chunks"},
    "rag.hit": {"fr": "[{n}] {doc}, extrait {k} · score {score}", "en": "[{n}] {doc}, chunk {k} · score {score}"},
    "rag.hits_help": {
        "fr": "Score = similarité cosinus entre la question et l'extrait (1 = même direction, 0 = sans rapport).",
        "en": "Score = cosine similarity between the question and the chunk (1 = same direction, 0 = unrelated).",
    },
    "rag.embedded_with": {"fr": f"Embeddings{NNBSP}: {{model}} ({{dims}} dimensions)", "en": "Embeddings: {model} ({dims} dimensions)"},
    "rag.prompt_shown": {"fr": "Le prompt augmenté, exactement tel qu'envoyé", "en": "The augmented prompt, exactly as sent"},
    "rag.with": {"fr": "Avec le contexte", "en": "With the context"},
    "rag.without": {"fr": "Sans le contexte (la question seule)", "en": "Without the context (the question alone)"},
    "rag.stopped": {"fr": "Arrêté : ce qui était déjà écrit est gardé.", "en": "Stopped: what was already written is kept."},
    "rag.no_embedding_models": {
        "fr": "Aucun modèle d'embeddings n'est disponible : installez le modèle hors ligne par défaut (voir README).",
        "en": "No embedding model is available: install the default offline model (see README).",
    },
    # The prompt sent to the model (shown exactly on the page)
    "rag.prompt.instruction": {
        "fr": "Réponds à la question uniquement à partir du contexte ci-dessous. Si la réponse n'y figure pas, "
              f"dis-le{NNBSP}: «{NBSP}Le contexte ne le dit pas.{NBSP}»",
        "en": "Answer the question using only the context below. If the answer is not there, say so: "
              "\"The context does not say.\"",
    },
    "rag.prompt.context": {"fr": f"Contexte{NNBSP}:", "en": "Context:"},
    "rag.prompt.chunk": {"fr": "[{n}] ({doc}, extrait {k})", "en": "[{n}] ({doc}, chunk {k})"},
    "rag.prompt.question": {"fr": f"Question{NNBSP}: {{question}}", "en": "Question: {question}"},
    "rag.prompt.answer": {"fr": f"Réponse{NNBSP}:", "en": "Answer:"},
    # Refusals (playground.rag.RagError codes)
    "rag.err.too_big": {
        "fr": "Ces documents pèsent {size}\u00a0Mo au total, au-delà de la limite de {limit}\u00a0Mo : retirez-en ou déposez des fichiers plus petits.",
        "en": "These documents add up to {size} MB, over the {limit} MB limit: remove some or drop smaller files.",
    },
    "rag.err.too_many_chunks": {
        "fr": "Plus de {limit} extraits : augmentez la taille des extraits, réduisez le chevauchement ou retirez des documents.",
        "en": "More than {limit} chunks: raise the chunk size, lower the overlap or remove documents.",
    },
    "rag.err.pdf_unreadable": {
        "fr": "Le PDF « {name} » est illisible (fichier abîmé ou qui n'est pas un PDF) : exportez-le de nouveau ou collez son texte.",
        "en": "The PDF “{name}” cannot be read (damaged, or not a PDF): export it again or paste its text.",
    },
    "rag.err.pdf_encrypted": {
        "fr": "Le PDF « {name} » est protégé par un mot de passe : enregistrez-en une copie sans protection ou collez son texte.",
        "en": "The PDF “{name}” is password-protected: save an unprotected copy or paste its text.",
    },
    "rag.err.pdf_no_text": {
        "fr": "Le PDF « {name} » ne contient pas de texte lisible (sans doute des images scannées) : collez son texte.",
        "en": "The PDF “{name}” holds no readable text (probably scanned images): paste its text.",
    },
    "rag.err.file_type": {
        "fr": "« {name} » : type de fichier non pris en charge (acceptés : {types}).",
        "en": "“{name}”: unsupported file type (accepted: {types}).",
    },
    "rag.err.empty_file": {"fr": "« {name} » est vide.", "en": "“{name}” is empty."},
    "rag.err.no_documents": {
        "fr": "Aucun document : collez un texte ou déposez un fichier, puis recommencez.",
        "en": "No documents: paste a text or drop a file, then try again.",
    },
    "rag.err.empty_question": {"fr": "Écrivez d'abord une question.", "en": "Write a question first."},
}
