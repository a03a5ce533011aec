"""Strings of the "nothing lies, everything reads well" pass: run outcomes in the history,
labels that were still English, French wording fixes."""

STRINGS = {
    "history.interrupted_kept": {
        "fr": "Cette exécution a été interrompue avant la fin (onglet fermé ou processus arrêté) : voici ce qui était terminé.",
        "en": "This run was interrupted before the end (tab closed or process stopped): here is what had finished.",
    },
}
