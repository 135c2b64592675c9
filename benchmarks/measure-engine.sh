#!/usr/bin/env bash
# The engine numbers of the closing notes: SGEMM 1024^3 and the LeNet-5 conv2 layer (forward and
# both backward passes), at 1 and 2 threads, each beside PyTorch in the same run (--peer).
# PyTorch peer: apt-get install -y python3-torch libopenblas0-pthread (optional; skipped if absent).
# Usage: benchmarks/measure-engine.sh [OUT_DIR]    (JSON lines go to OUT_DIR/engine.jsonl)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-runs/measure}"
mkdir -p "$out"
: > "$out/engine.jsonl"
uptime | tee "$out/engine-load.txt"
for t in 1 2; do
  ./jcnn bench sgemm --size 1024 --threads "$t" --peer --json | tail -n 1 | tee -a "$out/engine.jsonl"
  ./jcnn bench conv --shape lenet5.conv2 --threads "$t" --peer --json | tail -n 1 | tee -a "$out/engine.jsonl"
done
uptime | tee -a "$out/engine-load.txt"
