"""Writes 12 seeded hypothesis/reference sets from real sentences and sacreBLEU's scores (expected.tsv) into the
current directory; sacrebleu-check.sh runs it and compares seq4j's scores."""
import gzip
import os
import random

from sacrebleu.metrics import BLEU, CHRF

random.seed(1)
here = os.path.dirname(os.path.abspath(__file__))
data = os.environ.get("SEQ4J_SHARED", os.path.join(here, "..", "..", "..", "shared")) + "/data/translation/"
ding = [l.rstrip("\n").split("\t") for l in open(data + "ding-de-en.tsv", encoding="utf-8")][1:]
ddtp = [l.rstrip("\n").split("\t") for l in gzip.open(data + "ddtp-en-fr.tsv.gz", "rt", encoding="utf-8")][1:]
def perturb(s, rate):
    w = s.split(" ")
    out = []
    for x in w:
        r = random.random()
        if r < rate / 3: continue
        if r < 2 * rate / 3: out.append(x.lower()); continue
        if r < rate: out.append(random.choice(w)); continue
        out.append(x)
    if random.random() < rate: out.reverse()
    return " ".join(out)
sets = []
for i, (name, rows, col) in enumerate([("ding-en", ding, 1), ("ding-de", ding, 0), ("ddtp-en", ddtp, 0), ("ddtp-fr", ddtp, 1)]):
    for rate in (0.1, 0.3, 0.6):
        sample = random.sample(rows, 2000)
        refs = [r[col] for r in sample]
        hyps = [perturb(r, rate) for r in refs]
        sets.append((f"{name}-{rate}", hyps, refs))
with open("expected.tsv", "w") as f:
    for name, hyps, refs in sets:
        open(f"{name}.hyp", "w", encoding="utf-8").write("\n".join(hyps) + "\n")
        open(f"{name}.ref", "w", encoding="utf-8").write("\n".join(refs) + "\n")
        b = BLEU().corpus_score(hyps, [refs]).score
        c = CHRF().corpus_score(hyps, [refs]).score
        cpp = CHRF(word_order=2).corpus_score(hyps, [refs]).score
        f.write(f"{name}\t{b!r}\t{c!r}\t{cpp!r}\n")
print(len(sets), "sets,", sum(len(s[1]) for s in sets), "pairs")
