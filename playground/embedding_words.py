"""Built-in word lists for the Embeddings page: the secret words of the guessing game (common French
nouns), and the French and English vocabularies that word arithmetic and the game's scale search.

Lists, not a dictionary file: a few hundred everyday words embed in a second or two with the
offline model, and every one of them is a word an attendee knows."""

from __future__ import annotations

# Common, concrete French nouns: guessable in a workshop without a dictionary.
SECRET_WORDS = (
    "maison chien chat voiture arbre soleil pluie neige montagne rivière mer plage forêt fleur jardin "
    "pain fromage vin café chocolat pomme orange gâteau soupe cuisine table chaise lit fenêtre porte "
    "livre école professeur élève médecin hôpital train avion vélo bateau route ville village pays "
    "musique chanson guitare piano film théâtre peinture couleur lumière nuit matin hiver été printemps "
    "automne ami famille enfant mère père frère sœur roi reine château guerre paix argent banque travail "
    "ordinateur téléphone journal lettre cheval oiseau poisson vache lion étoile lune feu eau terre"
).split()

FRENCH_WORDS = tuple(dict.fromkeys((
    "roi reine homme femme prince princesse garçon fille père mère fils frère sœur oncle tante mari épouse "
    "grand-père grand-mère neveu nièce acteur actrice chanteur chanteuse serveur serveuse "
    "empereur impératrice duc duchesse comte comtesse monarque trône couronne royaume palais château "
    "paris france londres angleterre rome italie berlin allemagne madrid espagne tokyo japon "
    "français anglais italien allemand espagnol japonais "
    "chien chat cheval vache cochon mouton poule oiseau poisson lion tigre loup renard ours souris lapin "
    "chiot chaton poulain veau agneau poussin "
    "grand petit chaud froid rapide lent jeune vieux heureux triste beau laid bon mauvais fort faible "
    "plus grand plus petit "
    "marcher courir manger boire dormir parler lire écrire chanter danser nager voler "
    "marchait courait mangeait buvait dormait parlait "
    "jour nuit matin soir hiver été printemps automne lundi dimanche janvier décembre "
    "soleil lune étoile ciel nuage pluie neige vent orage mer océan plage rivière lac montagne colline "
    "forêt arbre fleur herbe feuille jardin champ désert île "
    "pain fromage vin bière café thé lait eau chocolat sucre sel beurre pomme poire orange banane fraise "
    "gâteau soupe viande poulet légume tomate carotte riz pâtes cuisine repas restaurant "
    "maison appartement immeuble chambre cuisine salon table chaise lit fenêtre porte toit mur escalier "
    "ville village pays capitale rue route pont gare aéroport port "
    "voiture camion bus train avion vélo moto bateau métro taxi "
    "livre journal lettre stylo crayon papier cahier bibliothèque école université professeur élève "
    "étudiant cours examen leçon "
    "médecin infirmier hôpital malade santé maladie remède pharmacie "
    "ordinateur téléphone écran clavier internet logiciel programme robot machine "
    "musique chanson guitare piano violon tambour concert film cinéma théâtre peinture tableau photo "
    "couleur rouge bleu vert jaune noir blanc lumière ombre "
    "ami amie famille enfant bébé adulte voisin collègue patron ouvrier "
    "guerre paix armée soldat bataille arme victoire défaite "
    "argent banque prix marché magasin travail emploi salaire entreprise usine "
    "amour haine joie peur colère tristesse espoir rêve "
    "feu eau terre air pierre fer or argent bois verre "
    "tête main pied bras jambe œil oreille bouche nez cœur "
    "vérité mensonge loi justice juge tribunal police voleur prison"
).split()))

ENGLISH_WORDS = tuple(dict.fromkeys((
    "king queen man woman prince princess boy girl father mother son daughter brother sister uncle aunt "
    "husband wife actor actress emperor empress duke duchess throne crown kingdom palace castle "
    "paris france london england rome italy berlin germany madrid spain tokyo japan "
    "french english italian german spanish japanese "
    "dog cat horse cow pig sheep chicken bird fish lion tiger wolf fox bear mouse rabbit "
    "puppy kitten foal calf lamb chick "
    "big small hot cold fast slow young old happy sad good bad strong weak bigger smaller "
    "walk run eat drink sleep speak read write sing dance swim fly walked ran ate drank slept spoke "
    "day night morning evening winter summer spring autumn monday sunday january december "
    "sun moon star sky cloud rain snow wind storm sea ocean beach river lake mountain hill "
    "forest tree flower grass leaf garden field desert island "
    "bread cheese wine beer coffee tea milk water chocolate sugar salt butter apple pear orange banana "
    "cake soup meat chicken vegetable tomato carrot rice pasta kitchen meal restaurant "
    "house flat building bedroom table chair bed window door roof wall stairs "
    "city village country capital street road bridge station airport harbour "
    "car truck bus train plane bike motorbike boat subway taxi "
    "book newspaper letter pen pencil paper notebook library school university teacher pupil student "
    "doctor nurse hospital patient health illness medicine pharmacy "
    "computer phone screen keyboard internet software program robot machine "
    "music song guitar piano violin drum concert film cinema theatre painting picture photo "
    "colour red blue green yellow black white light shadow "
    "friend family child baby adult neighbour colleague boss worker "
    "war peace army soldier battle weapon victory defeat "
    "money bank price market shop work job salary company factory "
    "love hate joy fear anger sadness hope dream "
    "fire earth air stone iron gold silver wood glass "
    "head hand foot arm leg eye ear mouth nose heart "
    "truth lie law justice judge court police thief prison"
).split()))

VOCABULARIES = {"fr": FRENCH_WORDS, "en": ENGLISH_WORDS}

# Classic examples offered on the page: (a, b, c) reads "a − b + c".
ARITHMETIC_EXAMPLES = {
    "fr": (("roi", "homme", "femme"), ("chaton", "chat", "chien")),
    "en": (("king", "man", "woman"), ("kitten", "cat", "dog")),
}
