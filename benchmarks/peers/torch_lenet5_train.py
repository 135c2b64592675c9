#!/usr/bin/env python3
"""PyTorch peer for jcnn's LeNet-5 training throughput (issue: lenet5 >= 5,000 images/s).

Trains the same LeNet-5 (conv 1->20 5x5, maxpool 2, conv 20->50 5x5, maxpool 2, fc 800->500,
ReLU, fc 500->10, ReLU after both convs; 431,080 parameters) on MNIST with SGD (lr 0.01,
momentum 0.9), batch 64, for one full epoch, and prints one JSON line with images/s.

Usage: OPENBLAS_NUM_THREADS=1 python3 torch_lenet5_train.py --mnist DIR [--threads 2] [--epochs 1]
"""
import argparse
import gzip
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    magic = int.from_bytes(raw[0:4], "big")
    n = int.from_bytes(raw[4:8], "big")
    if magic == 2051:
        return np.frombuffer(raw, np.uint8, offset=16).reshape(n, 1, 28, 28)
    return np.frombuffer(raw, np.uint8, offset=8)


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 50, 5)
        self.fc1 = nn.Linear(800, 500)
        self.fc2 = nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mnist", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=64)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    x = read_idx(a.mnist + "/train-images-idx3-ubyte.gz")
    y = read_idx(a.mnist + "/train-labels-idx1-ubyte.gz")
    xt = torch.from_numpy((x.astype(np.float32) / 255.0 - 0.1307) / 0.3081)
    yt = torch.from_numpy(y.astype(np.int64))
    model = LeNet5()
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    n = xt.shape[0]
    seconds = 0.0
    for epoch in range(a.epochs):
        perm = torch.randperm(n)
        start = time.perf_counter()
        for i in range(0, n - a.batch + 1, a.batch):
            idx = perm[i : i + a.batch]
            opt.zero_grad()
            loss = F.cross_entropy(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
        seconds += time.perf_counter() - start
    images = a.epochs * (n // a.batch) * a.batch
    print(json.dumps({
        "name": "pytorch", "version": torch.__version__, "threads": a.threads,
        "params": params, "batch": a.batch, "images": images, "seconds": round(seconds, 3),
        "images_per_second": round(images / seconds, 1), "final_loss": round(loss.item(), 4),
    }))


if __name__ == "__main__":
    main()
