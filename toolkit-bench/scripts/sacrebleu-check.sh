#!/usr/bin/env bash
# Compares seq4j's BLEU, chrF and chrF++ with sacreBLEU on real text: 12 sets of 2,000 sentences from the Ding de-en
# and DDTP en-fr files (../shared/data/translation), each scored against a seeded perturbation of itself.
# Needs a Python with sacrebleu 2.x (PYTHON=...; e.g. python3 -m venv /tmp/sb && /tmp/sb/bin/pip install sacrebleu)
# and the bench jar (mvn -o package -DskipTests). Prints the largest difference per set.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="${SEQ4J_JAR:-$here/../target/toolkit-bench.jar}"
work="$(mktemp -d)"
cd "$work"
"${PYTHON:-python3}" "$here/sacrebleu_real_text.py"
for f in *.hyp; do
  n="${f%.hyp}"
  java -jar "$jar" translate score --hyp "$f" --ref "$n.ref" \
    | awk -F' = ' '{print $2}' | cut -d' ' -f1 | paste -sd'\t' | sed "s/^/$n\t/"
done > got.tsv
"${PYTHON:-python3}" - <<'PY'
exp = {l.split("\t")[0]: [float(x) for x in l.split("\t")[1:]] for l in open("expected.tsv")}
got = {l.split("\t")[0]: [float(x) for x in l.split("\t")[1:]] for l in open("got.tsv")}
worst = 0.0
for k in exp:
    d = max(abs(a - b) for a, b in zip(exp[k], got[k]))
    worst = max(worst, d)
    print(f"{k}\tBLEU {exp[k][0]:.4f}\tchrF {exp[k][1]:.4f}\tchrF++ {exp[k][2]:.4f}\tmax |seq4j - sacreBLEU| {d:.1e}")
print(f"largest difference over all sets and metrics: {worst:.1e}")
PY
