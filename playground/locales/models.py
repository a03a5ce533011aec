"""The models page: the table, pulling (Ollama) and downloading (hub GGUF), deleting; and the
errors of pulls and deletions ("error.<code>", see providers.pulls)."""

STRINGS = {
    "nav.models": {"fr": "Modèles", "en": "Models"},
    "models.title": {"fr": "Modèles", "en": "Models"},
    "models.intro": {
        "fr": "Tous les modèles disponibles, ce qu'ils sont et où ils tournent. Ajoutez-en un depuis Ollama ou "
              "téléchargez un GGUF depuis Hugging Face : il apparaît aussitôt dans tous les sélecteurs.",
        "en": "Every model available, what it is and where it runs. Add one from Ollama or download a GGUF from "
              "Hugging Face: it shows up in every model picker at once.",
    },
    "models.col.model": {"fr": "Modèle", "en": "Model"},
    "models.col.family": {"fr": "Famille", "en": "Family"},
    "models.col.parameters": {"fr": "Paramètres", "en": "Parameters"},
    "models.col.quantization": {"fr": "Quantification", "en": "Quantization"},
    "models.col.size": {"fr": "Taille du fichier", "en": "File size"},
    "models.col.context": {"fr": "Contexte (tokens)", "en": "Context (tokens)"},
    "models.col.where": {"fr": "Où il tourne", "en": "Where it runs"},
    "models.where_inprocess": {"fr": "dans l'application · {file}", "en": "in-process · {file}"},
    "models.source.bundled": {"fr": "fourni", "en": "bundled"},
    "models.source.file": {"fr": "fichier configuré", "en": "configured file"},
    "models.source.hub": {"fr": "téléchargé (Hugging Face)", "en": "downloaded (Hugging Face)"},
    "models.col.source": {"fr": "Origine", "en": "Source"},
    "models.empty": {"fr": "Aucun modèle disponible.", "en": "No model available."},
    "models.backend_error": {"fr": "{provider} ne répond pas : {error}", "en": "{provider} did not answer: {error}"},
    "models.add_header": {"fr": "Ajouter un modèle", "en": "Add a model"},
    "models.tab_ollama": {"fr": "Ollama", "en": "Ollama"},
    "models.tab_hub": {"fr": "Hugging Face (GGUF embarqué)", "en": "Hugging Face (embedded GGUF)"},
    "models.no_ollama": {
        "fr": "Aucun serveur Ollama n'est configuré : définissez OLLAMA_HOST ou [ollama] host dans secrets.toml, "
              "ou ajoutez le vôtre dans Réglages.",
        "en": "No Ollama server is configured: set OLLAMA_HOST or [ollama] host in secrets.toml, or add your own "
              "in Settings.",
    },
    "models.ollama_host": {"fr": "Serveur Ollama", "en": "Ollama server"},
    "models.ollama_name": {"fr": "Modèle (nom:tag)", "en": "Model (name:tag)"},
    "models.ollama_help": {
        "fr": "Un nom de la bibliothèque Ollama, par exemple {examples}.",
        "en": "A name from the Ollama library, for example {examples}.",
    },
    "models.pull": {"fr": "Télécharger", "en": "Pull"},
    "models.hub_pick": {"fr": "Modèle proposé (tient sur un portable)", "en": "Suggested model (fits a laptop)"},
    "models.hub_custom": {"fr": "… ou n'importe quel fichier du hub", "en": "… or any file on the hub"},
    "models.hub_custom_help": {
        "fr": "propriétaire/dépôt/fichier.gguf — HF_ENDPOINT (miroir) et HF_TOKEN (dépôts privés ou soumis à "
              "licence) sont pris en compte.",
        "en": "owner/repo/file.gguf — HF_ENDPOINT (a mirror) and HF_TOKEN (private or gated repos) are honoured.",
    },
    "models.hub_size": {"fr": "Fichier : {size} · mémoire pour le faire tourner : environ {ram}",
                        "en": "File: {size} · memory to run it: about {ram}"},
    "models.ram_warning": {
        "fr": "Attention : ce modèle demande environ {ram} de mémoire vive. Sur un portable de 8 Go il risque de "
              "tout ralentir ; préférez un modèle plus petit pour un atelier.",
        "en": "Careful: this model needs about {ram} of RAM. On an 8 GB laptop it may slow everything down; "
              "pick a smaller model for a workshop.",
    },
    "models.download": {"fr": "Télécharger", "en": "Download"},
    "models.cancel": {"fr": "Annuler", "en": "Cancel"},
    "models.progress": {"fr": "{label} — {status} : {done} sur {total} ({percent})",
                        "en": "{label} — {status}: {done} of {total} ({percent})"},
    "models.progress_status": {"fr": "{label} — {status}…", "en": "{label} — {status}…"},
    "models.status.pulling manifest": {"fr": "lecture du manifeste", "en": "pulling manifest"},
    "models.status.pulling": {"fr": "téléchargement d'une couche", "en": "downloading a layer"},
    "models.status.verifying sha256 digest": {"fr": "vérification de l'empreinte sha256",
                                              "en": "verifying the sha256 digest"},
    "models.status.writing manifest": {"fr": "écriture du manifeste", "en": "writing the manifest"},
    "models.status.success": {"fr": "terminé", "en": "done"},
    "models.status.downloading": {"fr": "téléchargement", "en": "downloading"},
    "models.status.checking": {"fr": "interrogation du hub", "en": "asking the hub"},
    "models.status.starting": {"fr": "démarrage", "en": "starting"},
    "models.pulled": {"fr": "{model} est installé : il apparaît dans tous les sélecteurs de modèles.",
                      "en": "{model} is installed: it appears in every model picker."},
    "models.busy": {"fr": "Un téléchargement est déjà en cours : attendez sa fin ou annulez-le.",
                    "en": "A download is already running: wait for it or cancel it."},
    "models.delete_header": {"fr": "Supprimer un modèle", "en": "Delete a model"},
    "models.delete_none": {
        "fr": "Rien à supprimer : seuls les modèles Ollama et les GGUF téléchargés depuis le hub peuvent l'être.",
        "en": "Nothing to delete: only Ollama models and GGUFs downloaded from the hub can be deleted.",
    },
    "models.delete_pick": {"fr": "Modèle à supprimer", "en": "Model to delete"},
    "models.delete": {"fr": "Supprimer…", "en": "Delete…"},
    "models.delete_confirm": {
        "fr": "Supprimer définitivement {model} ? Il faudra le télécharger à nouveau pour s'en servir.",
        "en": "Delete {model} for good? It will have to be downloaded again to be used.",
    },
    "models.delete_yes": {"fr": "Oui, supprimer", "en": "Yes, delete"},
    "models.delete_no": {"fr": "Non, garder", "en": "No, keep it"},
    "models.deleted": {"fr": "{model} est supprimé.", "en": "{model} is deleted."},
    "models.locked": {
        "fr": "Mode formateur : seul le formateur peut télécharger ou supprimer des modèles.",
        "en": "Instructor mode: only the instructor may pull or delete models.",
    },
    # errors of pulls and deletions (ProviderError.code)
    "error.pull_cancelled": {"fr": "Téléchargement de {model} annulé : rien n'a été installé.",
                             "en": "Download of {model} cancelled: nothing was installed."},
    "error.pull_unknown_model": {
        "fr": "{model} n'existe pas dans la bibliothèque Ollama : vérifiez le nom et le tag (par exemple qwen2.5:0.5b).",
        "en": "{model} is not in the Ollama library: check the name and tag (for example qwen2.5:0.5b).",
    },
    "error.pull_disk_full": {
        "fr": "Le disque du serveur Ollama ({host}) est plein : libérez de la place (supprimez un modèle) puis "
              "relancez le téléchargement de {model}.",
        "en": "The Ollama server's disk ({host}) is full: free some space (delete a model), then pull {model} again.",
    },
    "error.pull_unreachable": {
        "fr": "Impossible de joindre {host} : Ollama est-il lancé (ollama serve) ? {model} n'a pas été modifié.",
        "en": "Cannot reach {host}: is Ollama running (ollama serve)? {model} was not changed.",
    },
    "error.pull_server_gone": {
        "fr": "Le serveur {host} a disparu pendant le téléchargement de {model} : rien n'a été installé, relancez-le.",
        "en": "The server {host} went away while pulling {model}: nothing was installed, pull it again.",
    },
    "error.pull_failed": {"fr": "Échec du téléchargement de {model} : {detail}",
                          "en": "Pulling {model} failed: {detail}"},
    "error.pull_bad_target": {
        "fr": "« {model} » : écrivez ollama/nom:tag (par exemple ollama/qwen2.5:0.5b) ou hf:propriétaire/dépôt/fichier.gguf.",
        "en": "“{model}”: write ollama/name:tag (e.g. ollama/qwen2.5:0.5b) or hf:owner/repo/file.gguf.",
    },
    "error.pull_no_ollama": {
        "fr": "Aucun serveur Ollama nommé « {provider} » n'est configuré (OLLAMA_HOST ou [ollama] host).",
        "en": "No Ollama server named “{provider}” is configured (OLLAMA_HOST or [ollama] host).",
    },
    "error.delete_unknown": {"fr": "{model} n'est pas installé : rien à supprimer.",
                             "en": "{model} is not installed: nothing to delete."},
    "error.delete_not_downloaded": {
        "fr": "{model} n'a pas été téléchargé ici (modèle fourni ou fichier configuré) : il ne peut pas être supprimé.",
        "en": "{model} was not downloaded here (a bundled model or a configured file): it cannot be deleted.",
    },
    "error.delete_not_local": {"fr": "{model} tourne dans le cloud : il ne se supprime pas d'ici.",
                               "en": "{model} runs in the cloud: it cannot be deleted from here."},
    "error.hf_bad_spec": {
        "fr": "« {spec} » n'est pas un fichier GGUF du hub : écrivez propriétaire/dépôt/fichier.gguf.",
        "en": "“{spec}” is not a GGUF file on the hub: write owner/repo/file.gguf.",
    },
    "error.hf_gated": {
        "fr": "{model} est soumis à licence : acceptez-la sur le hub puis définissez HF_TOKEN.",
        "en": "{model} is gated: accept its licence on the hub, then set HF_TOKEN.",
    },
    "error.hf_repo_not_found": {
        "fr": "Dépôt introuvable sur {host} pour {model} (ou dépôt privé : définissez HF_TOKEN).",
        "en": "No such repository on {host} for {model} (or it is private: set HF_TOKEN).",
    },
    "error.hf_file_not_found": {"fr": "Ce fichier n'existe pas dans le dépôt : {model}.",
                                "en": "That file is not in the repository: {model}."},
    "error.hf_unreachable": {
        "fr": "Impossible de joindre {host} pour télécharger {model} : vérifiez le réseau ou HF_ENDPOINT.",
        "en": "Cannot reach {host} to download {model}: check the network or HF_ENDPOINT.",
    },
    "error.hf_disk_full": {
        "fr": "Pas assez de place sur le disque ({path}) pour {model} : libérez de la place puis recommencez.",
        "en": "Not enough disk space ({path}) for {model}: free some space and try again.",
    },
    "error.hf_not_gguf": {"fr": "{model} n'est pas un fichier GGUF (en-tête incorrect) : il a été retiré.",
                          "en": "{model} is not a GGUF file (wrong header): it was removed."},
}
