#!/usr/bin/env bash
# Training speed of `seq4j lm` against PyTorch's word_language_model setup on the same machine, back to back, one
# thread each, the same OPENBLAS_CORETYPE: Zaremba's small model (2 × 200 LSTM, bptt 20, batch 20, SGD, clip 5) on
# PTB (vocabulary 10,002 as seq4j builds it), 300 segments, tokens per second of training only (the progress bar's
# rate, which leaves out validation).
# Usage: toolkit-bench/scripts/lm-speed-vs-torch.sh [SEQ4J_COMMAND]   (PyTorch: apt-get install python3-torch)
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
seq4j="${1:-$here/seq4j}"
ptb="${PTB:-$here/../shared/data/lm/ptb}"
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-Haswell}"
out=$(mktemp -d)
$seq4j lm train --train "$ptb/ptb.train.txt.gz" --valid "$ptb/ptb.valid.txt.gz" --max-iterations 300 --epochs 1 \
    --checkpoint-every 0 --out "$out" 2> "$out/progress.txt" > /dev/null
v=$(grep -o 'vocabulary [0-9,]*' "$out/valid-metrics.md" | head -1 | tr -dc '0-9')
seq=$(tr '\r' '\n' < "$out/progress.txt" | grep -o '[0-9,]* tok/s' | tail -1 | tr -dc '0-9')
torch=$(/usr/bin/python3 "$here/toolkit-bench/scripts/torch_word_lm.py" --vocab "$v" --threads 1 --seconds 30 \
    | grep RESULT | sed 's/RESULT //' | /usr/bin/python3 -c "import json,sys; print(round(json.load(sys.stdin)['tokens_per_s']))")
echo "vocabulary $v: seq4j $seq tokens/s, PyTorch $torch tokens/s, ratio seq4j/PyTorch $(/usr/bin/python3 -c "print(round($seq/$torch, 2))")"
