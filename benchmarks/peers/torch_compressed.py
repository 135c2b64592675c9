#!/usr/bin/env python3
"""PyTorch peer for `jcnn bench sparse` and `jcnn bench xnor`: the same layers, timed the same way.

  sparse: lenet5.fc1 (800 -> 500) and lenet300.fc1 (784 -> 300) at each --sparsity and --batch,
          as a dense F.linear on the pruned weight ("dense") and as torch.sparse: the weight in CSR
          ("csr", W_csr @ x^T) and COO ("coo", torch.sparse.mm); lenet5.conv2 (20 -> 50, 5x5 on
          12x12) dense at --conv-sparsity (torch has no sparse conv); the whole LeNet-5 ("lenet5")
          in float32 at batch 1.
  xnor:   fc4096 (4096 -> 4096) and conv256 (256 -> 256, 3x3, pad 1, on 8x8) in float32 on +-1
          weights and inputs ("dense"): PyTorch has no binary kernels, so float is its best.

Everything runs under torch.no_grad(). Timing follows JMH's schedule (--warmup iterations of
--time seconds discarded, --iterations measured); the result is the mean ms per op over the
measured iterations. Prints one JSON line: {"available":true,"version":..,"threads":..,
"cases":{"lenet5.fc1/0.95/1/csr": ms, ...}} or {"available":false,"reason":..}. A case torch
cannot run (CSR matmul on some builds) is reported as {"case": "...", "error": "..."} in "errors".

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 torch_compressed.py sparse --threads 2
"""
import argparse
import json
import sys
import time


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("bench", choices=("sparse", "xnor"))
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--sparsity", default="0.9,0.95,0.98")
    p.add_argument("--conv-sparsity", type=float, default=0.88)
    p.add_argument("--batch", default="1,64")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--time", type=float, default=1.0)
    return p.parse_args(argv)


def mean_ms(op, a):
    def iteration():
        reps, t0 = 0, time.perf_counter()
        while True:
            op()
            reps += 1
            t = time.perf_counter() - t0
            if t >= a.time:
                return 1000 * t / reps

    for _ in range(a.warmup):
        iteration()
    return sum(iteration() for _ in range(a.iterations)) / a.iterations


def pruned(torch, shape, sparsity):
    w = torch.randn(*shape)
    k = int(round(sparsity * w.numel()))
    if k > 0:
        cut = w.abs().flatten().kthvalue(min(k, w.numel())).values
        w[w.abs() <= cut] = 0
    return w


def sparse_cases(torch, a, out, errors):
    import torch.nn.functional as F

    for name, (k, c) in (("lenet5.fc1", (500, 800)), ("lenet300.fc1", (300, 784))):
        for s in [float(v) for v in a.sparsity.split(",")]:
            w = pruned(torch, (k, c), s)
            for n in [int(v) for v in a.batch.split(",")]:
                x = torch.randn(n, c)
                xt = x.t().contiguous()
                key = "%s/%s/%d/" % (name, s, n)
                out[key + "dense"] = mean_ms(lambda: F.linear(x, w), a)
                for form, mk, mm in (
                    ("csr", lambda: w.to_sparse_csr(), lambda ws: ws @ xt),
                    ("coo", lambda: w.to_sparse(), lambda ws: torch.sparse.mm(ws, xt)),
                ):
                    try:
                        ws = mk()
                        mm(ws)
                        out[key + form] = mean_ms(lambda: mm(ws), a)
                    except Exception as e:  # a build without that kernel
                        errors.append({"case": key + form, "error": str(e).splitlines()[0]})
    wc = pruned(torch, (50, 20, 5, 5), a.conv_sparsity)
    for n in [int(v) for v in a.batch.split(",")]:
        x = torch.randn(n, 20, 12, 12)
        out["lenet5.conv2/%s/%d/dense" % (a.conv_sparsity, n)] = mean_ms(lambda: F.conv2d(x, wc), a)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 20, 5), torch.nn.MaxPool2d(2), torch.nn.ReLU(),
        torch.nn.Conv2d(20, 50, 5), torch.nn.MaxPool2d(2), torch.nn.ReLU(),
        torch.nn.Flatten(), torch.nn.Linear(800, 500), torch.nn.ReLU(), torch.nn.Linear(500, 10),
    ).eval()
    x = torch.randn(1, 1, 28, 28)
    out["lenet5/1/dense"] = mean_ms(lambda: net(x), a)


def xnor_cases(torch, a, out):
    import torch.nn.functional as F

    sign = lambda *s: torch.randint(0, 2, s).float() * 2 - 1
    w = sign(4096, 4096)
    wc = sign(256, 256, 3, 3)
    for n in [int(v) for v in a.batch.split(",")]:
        x = sign(n, 4096)
        out["fc4096/%d/dense" % n] = mean_ms(lambda: F.linear(x, w), a)
        xc = sign(n, 256, 8, 8)
        out["conv256/%d/dense" % n] = mean_ms(lambda: F.conv2d(xc, wc, padding=1), a)


def main(argv):
    a = parse_args(argv)
    try:
        import torch
    except Exception as e:
        print(json.dumps({"available": False, "reason": "cannot import torch: %s" % e}))
        return 0
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    out, errors = {}, []
    with torch.no_grad():
        if a.bench == "sparse":
            sparse_cases(torch, a, out, errors)
        else:
            xnor_cases(torch, a, out)
    print(json.dumps({"available": True, "name": "pytorch", "version": torch.__version__,
                      "threads": a.threads, "cases": out, "errors": errors}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
