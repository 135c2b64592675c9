#!/usr/bin/env bash
# The training numbers of the closing notes: LeNet-5 and LeNet-300-100 accuracy (10 epochs, seed 1),
# LeNet-5 training throughput over a full MNIST epoch (batch 64, 2 threads) beside PyTorch's in
# the same run, and ResNet-20 training throughput on CIFAR-10 (a 5,120-image slice, batch 128).
# Usage: benchmarks/measure-training.sh [OUT_DIR]    (JSON lines go to OUT_DIR/training.jsonl)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-runs/measure}"
mkdir -p "$out"
: > "$out/training.jsonl"
data="${JCNN_DATA:-$(pwd)/datasets}"
uptime | tee "$out/training-load.txt"
# Throughput over one full epoch of all 60,000 training images (no validation split).
./jcnn train --model lenet5 --epochs 1 --val 0 --threads 2 --quiet --out "$out/lenet5-speed" --json \
  | tail -n 1 | tee -a "$out/training.jsonl"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/torch_lenet5_train.py \
    --mnist "$(pwd)/datasets/mnist" --threads 2 | tee -a "$out/training.jsonl"
fi
./jcnn train --model lenet5 --epochs 10 --threads 2 --seed 1 --quiet --out "$out/lenet5" --json \
  | tail -n 1 | tee -a "$out/training.jsonl"
./jcnn train --model lenet300 --epochs 10 --threads 2 --seed 1 --quiet --out "$out/lenet300" --json \
  | tail -n 1 | tee -a "$out/training.jsonl"
if [ -e "$data/cifar10" ]; then
  ./jcnn train --model resnet20 --epochs 1 --limit 5120 --batch 128 --lr 0.1 --threads 2 --quiet \
    --data-dir "$data" --out "$out/resnet20-speed" --json | tail -n 1 | tee -a "$out/training.jsonl"
fi
uptime | tee -a "$out/training-load.txt"
