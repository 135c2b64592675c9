#!/usr/bin/env bash
# Training throughput of the compact CIFAR-10 networks beside the PyTorch peer, in one run: for
# each network, jcnn.bench.TrainStepBenchmark (JMH, one SGD step on one random batch of 128,
# 2 threads, 8 warm-up steps untimed, mean of 8 timed ones), then
# benchmarks/peers/torch_compact_train.py on the same network, batch and threads (3 warm-up steps,
# 20 timed). Then the depthwise layers' forward + backward (`jcnn bench conv --peer`, GFLOP/s and
# GB/s). Results go to OUT_DIR/compact.jsonl and OUT_DIR/compact-jmh.txt.
# Usage: benchmarks/measure-compact.sh [OUT_DIR] [MODEL...]
#   defaults: runs/measure mobilenet2 squeezenet mobilenet1 sepnet
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-runs/measure}"
shift $(( $# > 0 ? 1 : 0 ))
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(mobilenet2 squeezenet mobilenet1 sepnet)
./jcnn --version >/dev/null # builds the jar if needed
mkdir -p "$out"
: > "$out/compact.jsonl"
: > "$out/compact-jmh.txt"
uptime | tee "$out/compact-load.txt"
heap="${JCNN_BENCH_HEAP:--XX:MaxRAMPercentage=50}"
for m in "${models[@]}"; do
  java --add-modules jdk.incubator.vector -cp "target/jcnn.jar:target/lib/*" org.openjdk.jmh.Main \
    TrainStepBenchmark -p model="$m" -p batch=128 -p threads=2 -wi 8 -i 8 -f 1 \
    -jvmArgsAppend "--add-modules=jdk.incubator.vector $heap" 2>&1 \
    | grep -v '^WARNING' | tee -a "$out/compact-jmh.txt" | grep '^TrainStepBenchmark'
  if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/torch_compact_train.py --model "$m" \
      --batch 128 --threads 2 --batches 20 --warmup 3 | tee -a "$out/compact.jsonl"
  fi
done
for s in mobilenet2.dw mobilenet2.dw-s2 mobilenet2.pw; do
  ./jcnn bench conv --shape "$s" --threads 2 --peer --json 2>/dev/null | tail -n 1 | tee -a "$out/compact.jsonl"
done
uptime | tee -a "$out/compact-load.txt"
