#!/usr/bin/env python3
"""PyTorch peer for `jcnn bench ... --peer`: times the same op as jcnn's JMH benchmark, on the CPU.

  sgemm: C = A @ B for float32 size x size matrices (torch.mm).
  conv:  one layer's forward (F.conv2d) plus torch.autograd.grad for input and weight, i.e. the
         same forward + backward-data + backward-weight that jcnn.bench.ConvBenchmark times.

jcnn passes every dimension and the FLOP count on the command line, so jcnn.bench.ConvShapes stays
the single source of both. Timing follows JMH's schedule: --warmup iterations of --time seconds
are discarded, then --iterations are measured; each iteration repeats the op until its time is up.
Prints exactly one JSON line: {"name":"pytorch","version":...,"ms_per_op":...,"gflops":...}, or
{"available":false,"reason":...} when PyTorch cannot be imported (exit code 0 either way).

Threads: torch.set_num_threads(--threads) sets PyTorch's own (OpenMP) pool, which runs the convs.
A Debian-style PyTorch (BLAS_INFO=generic) hands torch.mm to the system libblas in one call without
splitting it, so the BLAS needs the same thread count: jcnn sets OPENBLAS_NUM_THREADS=--threads.
The BLAS library actually loaded is reported as "blas": with the reference (netlib) libblas the
sgemm peer is a baseline, not a competitor.

Run by hand, e.g.:
  OPENBLAS_NUM_THREADS=2 python3 torch_bench.py sgemm --size 1024 --threads 2 --flops 2147483648
"""
import argparse
import json
import statistics
import sys
import time


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="op", required=True)
    sgemm = sub.add_parser("sgemm", help="C = A @ B, size x size float32")
    sgemm.add_argument("--size", type=int, required=True)
    conv = sub.add_parser("conv", help="conv2d forward + grad of input and weight")
    for dim in ("n", "c", "k", "h", "w", "r", "s"):
        conv.add_argument("--" + dim, type=int, required=True)
    conv.add_argument("--stride", type=int, default=1)
    conv.add_argument("--pad", type=int, default=0)
    conv.add_argument("--groups", type=int, default=1)
    for q in (sgemm, conv):
        q.add_argument("--threads", type=int, required=True)
        q.add_argument("--warmup", type=int, default=3)
        q.add_argument("--iterations", type=int, default=5)
        q.add_argument("--time", type=float, default=1.0, help="seconds per iteration")
        q.add_argument("--flops", type=float, required=True, help="FLOPs of one op")
        q.add_argument("--device", default="cpu", help="cpu or cuda (float32, TF32 off)")
    return p.parse_args(argv)


def sgemm_op(torch, a):
    d = a.device
    x = torch.randn(a.size, a.size, device=d)  # [size, size]
    y = torch.randn(a.size, a.size, device=d)  # [size, size]
    out = torch.empty(a.size, a.size, device=d)  # [size, size]
    return lambda: torch.mm(x, y, out=out)


def conv_op(torch, a):
    import torch.nn.functional as F

    d = a.device
    x = torch.randn(a.n, a.c, a.h, a.w, requires_grad=True, device=d)  # [N, C, H, W]
    w = torch.randn(a.k, a.c // a.groups, a.r, a.s, requires_grad=True, device=d)  # [K, C/g, R, S]
    b = torch.randn(a.k, device=d)  # [K]: jcnn's forward adds a bias too; its gradient is not timed
    conv = lambda: F.conv2d(x, w, b, stride=a.stride, padding=a.pad, groups=a.groups)
    with torch.no_grad():
        gy = torch.randn_like(conv())  # [N, K, P, Q]

    def step():
        return torch.autograd.grad(conv(), (x, w), grad_outputs=gy)

    return step


def iteration(op, seconds, sync=lambda: None):
    """Mean ms per op over one iteration: repeat op until `seconds` have passed.

    On a GPU, ops are queued: `sync` waits for them before the clock is read."""
    reps = 0
    start = time.perf_counter()
    while True:
        op()
        reps += 1
        sync()
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed * 1e3 / reps


def loaded_blas():
    """Path of the BLAS library mapped into this process (Linux), or "unknown"."""
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                name = path.rsplit("/", 1)[-1]
                if "blas" in name or name.startswith("libmkl"):
                    return path
    except OSError:
        pass
    return "unknown"


def main(argv):
    a = parse_args(argv)
    try:
        import torch
    except Exception as e:  # ImportError, or a broken install failing inside torch
        print(json.dumps({"available": False, "reason": "import torch failed: %s" % e}))
        return 0
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    sync = lambda: None
    if a.device != "cpu":
        if not torch.cuda.is_available():
            print(json.dumps({"available": False, "reason": "torch.cuda.is_available() is False"}))
            return 0
        # jcnn's kernels are float32 end to end: compare against float32, not TF32.
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        sync = torch.cuda.synchronize
    op = sgemm_op(torch, a) if a.op == "sgemm" else conv_op(torch, a)
    for _ in range(a.warmup):
        iteration(op, a.time, sync)
    times = [iteration(op, a.time, sync) for _ in range(a.iterations)]
    ms = statistics.mean(times)
    print(
        json.dumps(
            {
                "available": True,
                "name": "pytorch",
                "version": torch.__version__,
                "threads": torch.get_num_threads(),
                "blas": loaded_blas(),
                "device": a.device if a.device == "cpu" else torch.cuda.get_device_name(),
                "ms_per_op": ms,
                "ms_stdev": statistics.stdev(times) if len(times) > 1 else None,
                "gflops": a.flops / (ms * 1e6),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
