"""Strings of the live next-token chart (the browser component that reshapes without a rerun).

Templates use plain `{v}` / `{n}` placeholders: the browser fills them with numbers it has
already formatted (decimal comma and a narrow no-break space before % in French)."""

NNBSP = "\u202f"  # narrow no-break space: French thousands and the space before %

STRINGS = {
    "live.decimal": {"fr": ",", "en": "."},
    "live.thousands": {"fr": NNBSP, "en": ","},
    "live.percent": {"fr": "{v}" + NNBSP + "%", "en": "{v}%"},
    "live.nats": {"fr": "{v} nats", "en": "{v} nats"},
    "live.bits": {"fr": "{v} bits", "en": "{v} bits"},
    "live.of_vocab": {"fr": "sur {n}", "en": "of {n}"},
    "live.off": {"fr": "désactivé", "en": "off"},
    "live.bars_title": {"fr": "Probabilités des prochains tokens", "en": "Next-token probabilities"},
    "live.pie_title": {"fr": "Le camembert : ce que l'échantillonneur peut tirer",
                       "en": "The pie: what the sampler can draw"},
    "live.cut_list": {"fr": "Coupés par les filtres :", "en": "Cut by the filters:"},
    "live.none_cut": {"fr": "Aucun token affiché n'est coupé.", "en": "No token shown is cut."},
    "live.click_hint": {"fr": "Cliquez sur une barre pour ajouter ce token.", "en": "Click a bar to append that token."},
    "live.hover_raw": {"fr": "p(T=1) {p} · logprob {lp}", "en": "p(T=1) {p} · logprob {lp}"},
    "live.hover_t": {"fr": "p(T) {p} → {q}", "en": "p(T) {p} → {q}"},
    "live.loading": {"fr": "Chargement du graphique…", "en": "Loading the chart…"},
    "live.failed": {
        "fr": "Le graphique interactif n'a pas pu démarrer ({error}). Rechargez la page ; si cela persiste, "
              "signalez-le à l'animateur.",
        "en": "The live chart could not start ({error}). Reload the page; if it persists, tell the instructor.",
    },
    "live.sliders": {"fr": "Réglages de l'échantillonnage", "en": "Sampling settings"},
}
