#!/usr/bin/env bash
# Speed of seq4j's recurrent core against PyTorch on this machine, in one run, same thread count, same OpenBLAS core
# type on both sides (whatever OPENBLAS_CORETYPE says in this shell). Needs Debian's python3-torch and
# libopenblas0-openmp (apt-get install python3-torch libopenblas0-openmp) and ../shared/bench/torch_rnn_bench.py.
# Usage: toolkit-bench/scripts/speed-vs-torch.sh [OUT_DIR]    (about 15 minutes; WORKLOADS=a,b picks workloads)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-out/speed}"
mkdir -p "$out"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
torch_bench="${TORCH_BENCH:-../shared/bench/torch_rnn_bench.py}"
: > "$out/torch.jsonl"
for wl in lstm_h128 lstm_h256 lstm_h512 gru_h128 gru_h256 gru_h512 rnn_h128 rnn_h256 rnn_h512 bilstm_h256 lstm2_h256; do
  /usr/bin/python3 "$torch_bench" "$wl" --threads "$OMP_NUM_THREADS" | grep '^RESULT' | sed 's/^RESULT //' >> "$out/torch.jsonl"
done
/usr/bin/python3 "$torch_bench" matmul --threads "$OMP_NUM_THREADS" | grep '^RESULT' | sed 's/^RESULT //' >> "$out/torch.jsonl"
# sample mode: every call timed, so the median compares with PyTorch's median (the mean is reported beside it).
# 12 s of warm-up: C2 is still compiling the core's loops after 4-8 s (an SRN H128 inference took 2.5 ms in the
# fourth second, 1.6 ms from the tenth on), and a warm-up of 2 × 2 s put that into the measured means.
workloads="${WORKLOADS:-lstm_h128,lstm_h256,lstm_h512,gru_h128,gru_h256,gru_h512,srn_h128,srn_h256,srn_h512,bilstm_h256,lstm2_h256,scrn_h128,scrn_h256}"
./seq4j jmh CellBenchmark -p workload="$workloads" -bm sample -tu ms -wi 4 -w 3s -i 5 -r 2s -rf json \
    -rff "$out/seq4j.json" > "$out/jmh.log" 2>&1
/usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
torch = {}
for line in open(out + "/torch.jsonl"):
    d = json.loads(line); torch[d["wl"]] = d
seq = {}
for r in json.load(open(out + "/seq4j.json")):
    wl = r["params"]["workload"]; kind = r["benchmark"].split(".")[-1]
    m = r["primaryMetric"]
    seq.setdefault(wl, {})[kind] = (m["scorePercentiles"]["50.0"], m["score"])   # median, mean
rows = ["Medians on both sides (seq4j's mean in brackets); ratio = seq4j median / PyTorch median.", "",
        "| workload | seq4j train ms | PyTorch train ms | ratio | seq4j inference ms | PyTorch inference ms | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|"]
for wl, s in seq.items():
    t = torch.get(wl.replace("srn_", "rnn_"))
    (tr, trm), (inf, infm) = s["trainStep"], s["inference"]
    if t:
        rows.append("| %s | %.1f (%.1f) | %.1f | %.2f | %.1f (%.1f) | %.1f | %.2f |" % (wl, tr, trm,
                    t["train_ms_median"], tr / t["train_ms_median"], inf, infm, t["infer_ms_median"],
                    inf / t["infer_ms_median"]))
    else:
        rows.append("| %s | %.1f (%.1f) | – | – | %.1f (%.1f) | – | – |" % (wl, tr, trm, inf, infm))
mm = torch.get("matmul2048")
if mm:
    rows.append("\nPyTorch sgemm 2048³: %.1f GFLOP/s on %d thread(s)." % (mm["gflops"], mm["threads"]))
open(out + "/table.md", "w").write("\n".join(rows) + "\n")
print("\n".join(rows))
PY
