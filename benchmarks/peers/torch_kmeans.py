#!/usr/bin/env python3
"""PyTorch peer for jcnn.bench.KMeansBenchmark: 1-D k-means (Lloyd) of n weights into k clusters.

The straightforward torch formulation: each iteration computes the n x k distance matrix by
broadcasting, takes the argmin, and recomputes the centroids with scatter_add (bincount). Linear
initialisation between min and max, as jcnn's LINEAR init. Same data distribution as the JMH
benchmark (normal, std 0.1, n = 431,080 = LeNet-5's weight count), k = 32, 20 iterations.

Prints one JSON line: {"name": "pytorch-kmeans", "ms_per_op": ..., ...}.
Run: OPENBLAS_NUM_THREADS=1 python3 torch_kmeans.py --threads 2
"""
import argparse
import json
import statistics
import sys
import time


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=431080)
    p.add_argument("--k", type=int, default=32)
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=7)
    a = p.parse_args(argv)
    try:
        import torch
    except Exception as e:
        print(json.dumps({"available": False, "reason": "import torch failed: %s" % e}))
        return 0
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    w = torch.randn(a.n) * 0.1  # [n]

    def fit():
        c = torch.linspace(float(w.min()), float(w.max()), a.k)  # [k]
        for _ in range(a.iterations):
            idx = (w[:, None] - c[None, :]).abs().argmin(dim=1)  # [n]
            sums = torch.zeros(a.k).scatter_add_(0, idx, w)
            counts = torch.bincount(idx, minlength=a.k).to(w.dtype)
            c = torch.where(counts > 0, sums / counts.clamp(min=1), c)
        return c, idx

    fit()  # warm-up
    times = []
    for _ in range(a.repeats):
        t = time.perf_counter()
        fit()
        times.append((time.perf_counter() - t) * 1e3)
    print(json.dumps({"available": True, "name": "pytorch-kmeans", "version": torch.__version__,
                      "threads": a.threads, "n": a.n, "k": a.k, "iterations": a.iterations,
                      "ms_per_op": statistics.median(times), "ms_min": min(times)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
