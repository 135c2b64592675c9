#!/usr/bin/env bash
# build-ptx.sh OUTDIR: compiles every src/main/cuda/*.cu to OUTDIR/<name>.ptx with nvcc, for the
# CUDA backend to load from the classpath (/jcnn/cuda/<name>.ptx). Maven runs it in the
# generate-resources phase with OUTDIR = target/classes/jcnn/cuda, so the PTX lands in the jar.
#
# PTX for virtual architecture compute_80 (Ampere): the driver JIT-compiles it for the GPU it
# finds (sm_80 and newer: A100, RTX 30xx/40xx, H100, ...); 80 is the oldest that has the TF32
# tensor cores of sgemm_v4_tf32_wmma (CUDA 13 dropped the pre-Turing targets anyway).
# Without nvcc (a laptop, CI without the CUDA toolkit) it says so in one line and exits 0: the
# build goes on without PTX and `--device cuda` reports that the kernels were not built.
# A .ptx newer than its .cu is kept. Override the compiler with NVCC=/path/to/nvcc.
set -euo pipefail

out="${1:?usage: build-ptx.sh OUTDIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
nvcc="${NVCC:-nvcc}"

if ! command -v "$nvcc" >/dev/null 2>&1; then
  echo "jcnn: nvcc not found: building without CUDA kernels; --device cuda will say so"
  exit 0
fi

mkdir -p "$out"
pids=()
for cu in "$here"/*.cu; do
  name="$(basename "$cu" .cu)"
  ptx="$out/$name.ptx"
  if [ -f "$ptx" ] && [ "$ptx" -nt "$cu" ]; then
    continue
  fi
  echo "jcnn: nvcc $name.cu -> $ptx"
  # Written under a temporary name and renamed: an interrupted build never leaves half a .ptx.
  ( "$nvcc" --ptx -arch=compute_80 -O3 -std=c++17 -o "$ptx.tmp" "$cu" && mv "$ptx.tmp" "$ptx" ) &
  pids+=($!)
done
status=0
for pid in "${pids[@]+"${pids[@]}"}"; do
  wait "$pid" || status=1
done
if [ "$status" -ne 0 ]; then
  echo "jcnn: nvcc failed on a kernel file (see above)" >&2
fi
exit "$status"
