#!/usr/bin/env bash
# The seeds' table (Mikolov et al. 2014, Table 1) on PTB: SRN, SCRN (fixed and learned α), LSTM and GRU with 100
# hidden units (SCRN: 100 + 40 context), embedding 100, one layer, the same recipe for every cell: bptt 20, batch 20,
# Adam (lr 0.002) halved every epoch after DECAY_AFTER, clip 5, init ±0.1. Validation perplexity and time per epoch.
# (Zaremba's SGD at lr 1 diverges for the SRN: train cross-entropy 13.9 nats/token after 4 epochs, worse than
# uniform; Adam trains every cell with one setting.) CELLS picks the cells (default: all six; srn-sigmoid is Mikolov et
# al.'s SRN, whose hidden layer is sigmoid as SCRN's is; srn is tanh). CONVERGE=1 trains to convergence instead:
# the rate halved whenever validation does not improve, early stop after 3 such epochs, at most EPOCHS epochs.
# RESTORE=1 (with CONVERGE=1) adds the SCRN reference code's plateau rule: after an epoch that does not improve, go back to
# the best epoch's parameters and optimizer state, then halve the rate; early stop after 2 such epochs in a row.
# Usage: toolkit-bench/scripts/lm-table.sh OUT [EPOCHS=3] [DECAY_AFTER=2] [SEEDS="1"]
#        CONVERGE=1 toolkit-bench/scripts/lm-table.sh OUT 12 0 "1 2"
#        CONVERGE=1 RESTORE=1 toolkit-bench/scripts/lm-table.sh OUT 12 0 "1 2 3"
# Needs ../shared/data/lm/ptb (or PTB=dir with ptb.train.txt(.gz) and ptb.valid.txt(.gz)). SEQ4J="java -jar COPY.jar"
# runs a copy of the jar (a rebuild during a long run replaces the classes the running JVM still loads).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:?usage: lm-table.sh OUT [EPOCHS] [DECAY_AFTER] [SEEDS]}"
epochs="${2:-3}"
decay_after="${3:-2}"
cells="${CELLS:-srn srn-sigmoid scrn-fixed lstm gru scrn-learned}"
seeds="${4:-1}"
ptb="${PTB:-$here/../shared/data/lm/ptb}"
train=$(ls "$ptb"/ptb.train.txt* | head -1)
valid=$(ls "$ptb"/ptb.valid.txt* | head -1)
mkdir -p "$out"
if [[ "${CONVERGE:-0}" == 1 && "${RESTORE:-0}" == 1 ]]; then
  schedule="--plateau-decay 0.5 --plateau-restore --patience 2"
elif [[ "${CONVERGE:-0}" == 1 ]]; then
  schedule="--plateau-decay 0.5 --patience 3"
else
  schedule="--decay-after $decay_after"
fi
run() {  # name, seed, extra options
  local name="$1" seed="$2"; shift 2
  local dir="$out/$name-s$seed"
  [[ -f "$dir/valid-metrics.json" ]] && return 0
  ${SEQ4J:-"$here/seq4j"} lm train --train "$train" --valid "$valid" --units 100 --layers 1 --embedding 100 \
      --epochs "$epochs" $schedule --optimizer adam --lr 0.002 --seed "$seed" --quiet \
      --checkpoint-every 0 \
      --out "$dir" "$@" > "$dir.log" 2>&1 || { echo "$name seed $seed failed: see $dir.log" >&2; return 1; }
}
options() {
  case "$1" in
    srn) echo --cell srn ;;
    srn-sigmoid) echo --cell srn --activation sigmoid ;;
    scrn-fixed) echo --cell scrn --scrn-context 40 --alpha 0.95 ;;
    scrn-learned) echo --cell scrn --scrn-context 40 --alpha 0.95 --learn-alpha ;;
    lstm) echo --cell lstm ;;
    gru) echo --cell gru ;;
    *) echo "unknown cell $1" >&2; exit 2 ;;
  esac
}
for seed in $seeds; do
  for c in $cells; do
    # shellcheck disable=SC2046
    run "$c" "$seed" $(options "$c")
  done
done
/usr/bin/env python3 - "$out" <<'PY'
import json, sys, glob, os, statistics, collections
out = sys.argv[1]
rows = collections.defaultdict(list)
for f in sorted(glob.glob(os.path.join(out, "*", "valid-metrics.json"))):
    name = os.path.basename(os.path.dirname(f)).rsplit("-s", 1)[0]
    j = json.load(open(f))
    t = j["result"]["training"]
    rows[name].append((j["perplexity"], t["seconds"] / t["epochs"], j["model"], t["epochs"]))
print("| cell | seeds | valid perplexity (mean ± sd) | best epoch's valid ppl per seed | s/epoch |")
print("|---|---:|---:|---|---:|")
for name in ["srn", "srn-sigmoid", "scrn-fixed", "scrn-learned", "lstm", "gru"]:
    if name not in rows: continue
    p = [r[0] for r in rows[name]]
    sd = statistics.stdev(p) if len(p) > 1 else 0.0
    print(f"| {name} | {len(p)} | {statistics.mean(p):.1f} ± {sd:.1f} | {', '.join(f'{x:.1f}' for x in p)} | "
          f"{statistics.mean(r[1] for r in rows[name]):.0f} |")
PY
