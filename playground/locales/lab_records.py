"""UI strings: sampling-lab history and exports, Compare exports (issue 5 follow-ups)."""

STRINGS = {
    "labrec.failed_col": {"fr": "tirages échoués", "en": "failed samples"},
    "labrec.failed_note": {
        "fr": "{n} tirage(s) en erreur ou vide(s) : exclus des scores de diversité.",
        "en": "{n} sample(s) failed or came back empty: left out of the diversity scores.",
    },
    "labrec.saved": {"fr": "Grille enregistrée dans l'historique (n° {id}).", "en": "Grid saved to history (#{id})."},
    "labrec.not_saved": {"fr": "Historique indisponible : grille non enregistrée.",
                         "en": "History unavailable: the grid was not saved."},
    "labrec.title": {"fr": "Labo · {model} · T {temps} × {n}", "en": "Lab · {model} · T {temps} × {n}"},
    "labrec.det_title": {"fr": "Labo · déterminisme · {model}", "en": "Lab · determinism · {model}"},
    "labrec.checking": {"fr": "Deux générations avec la même graine…", "en": "Two generations with the same seed…"},
    "labrec.temperature_col": {"fr": "T", "en": "T"},
    "hooks.export_json": {"fr": "⬇ JSON (tout)", "en": "⬇ JSON (everything)"},
    "hooks.export_csv": {"fr": "⬇ CSV", "en": "⬇ CSV"},
    "hooks.export_md": {"fr": "⬇ Markdown", "en": "⬇ Markdown"},
}
