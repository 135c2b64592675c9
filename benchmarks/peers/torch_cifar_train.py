#!/usr/bin/env python3
"""PyTorch peer for jcnn's CIFAR-10 training (issue: resnet20 >= 88% test accuracy).

Trains the same ResNet-20 as `./jcnn train --model resnet20` (He et al. 2016, CIFAR variant,
option-A shortcuts: stride subsampling and zero-padded channels; 269,722 parameters) with the same
recipe: 5,000 validation images carved at random from the 50,000 training images, per-channel
normalisation with the training-set statistics, random crop with 4-pixel zero padding and
horizontal flip, SGD lr 0.1, momentum 0.9, weight decay 5e-4 on every parameter, the learning
rate cosine-annealed per epoch (epoch e of E uses lr * (1 + cos(pi * e / E)) / 2, e from 0),
He-normal weights, batch 128; the test accuracy is taken from the epoch best on validation.

It answers one question: on this (JPEG-decoded) CIFAR-10 copy, does PyTorch reach the accuracy
jcnn reaches with the same network, recipe and epochs? The validation images differ from jcnn's
(another random generator), so expect agreement to within run-to-run noise, not to the digit.

Usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 torch_cifar_train.py --cifar PATH [--epochs 20]
           [--threads 2] [--seed 1] [--limit N]
PATH is cifar-10-binary.tar.gz or its extracted cifar-10-batches-bin/ folder. Prints one line per
epoch and one JSON line at the end.
"""
import argparse
import json
import math
import os
import tarfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN = np.array([0.4913, 0.4821, 0.4465], np.float32)
STD = np.array([0.2452, 0.2428, 0.2606], np.float32)
RECORD = 3073


def read_batches(path):
    """Returns (train_x, train_y, test_x, test_y) as uint8 [N, 3, 32, 32] and int64 [N]."""
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]
    blobs = {}
    if os.path.isdir(path):
        for n in names:
            with open(os.path.join(path, n), "rb") as f:
                blobs[n] = f.read()
    else:
        with tarfile.open(path, "r:gz") as tar:
            for m in tar.getmembers():
                base = os.path.basename(m.name)
                if base in names:
                    blobs[base] = tar.extractfile(m).read()
    for n in names:
        if n not in blobs:
            raise SystemExit(f"{path}: no {n}")
        if len(blobs[n]) != 10000 * RECORD:
            raise SystemExit(f"{path}: {n} has {len(blobs[n])} bytes, expected {10000 * RECORD}")

    def decode(raw):
        a = np.frombuffer(raw, np.uint8).reshape(-1, RECORD)
        return a[:, 1:].reshape(-1, 3, 32, 32), a[:, 0].astype(np.int64)

    parts = [decode(blobs[n]) for n in names[:5]]
    tx = np.concatenate([p[0] for p in parts])
    ty = np.concatenate([p[1] for p in parts])
    ex, ey = decode(blobs[names[5]])
    return tx, ty, ex, ey


def normalise(x):
    return torch.from_numpy(((x.astype(np.float32) / 255.0 - MEAN[:, None, None]) / STD[:, None, None]))


class ShortcutA(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.pad = cout - cin
        self.stride = stride

    def forward(self, x):
        x = x[:, :, :: self.stride, :: self.stride]
        return F.pad(x, (0, 0, 0, 0, 0, self.pad))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.short = ShortcutA(cin, cout, stride) if (cin != cout or stride != 1) else nn.Identity()

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        return F.relu(self.b2(self.c2(y)) + self.short(x))


class ResNet20(nn.Module):
    def __init__(self, classes=10, n=3):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        blocks, cin = [], 16
        for stage in range(3):
            cout = 16 << stage
            for b in range(n):
                blocks.append(Block(cin, cout, 2 if stage > 0 and b == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.relu(self.bn(self.conv(x)))
        x = self.blocks(x)
        return self.fc(x.mean((2, 3)))


def augment(x, gen):
    """Random crop with 4-pixel zero padding (zero in pixel space) and horizontal flip."""
    b = x.shape[0]
    pad_value = torch.from_numpy(-MEAN / STD)
    padded = pad_value.view(1, 3, 1, 1).repeat(b, 1, 40, 40)
    padded[:, :, 4:36, 4:36] = x
    dy = torch.randint(0, 9, (b,), generator=gen)
    dx = torch.randint(0, 9, (b,), generator=gen)
    flip = torch.rand(b, generator=gen) < 0.5
    out = torch.empty_like(x)
    for i in range(b):
        img = padded[i, :, dy[i] : dy[i] + 32, dx[i] : dx[i] + 32]
        out[i] = img.flip(2) if flip[i] else img
    return out


def accuracy(model, x, y, batch=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i : i + batch]).argmax(1) == y[i : i + batch]).sum().item()
    return correct / len(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cifar", required=True)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--weight-decay", type=float, default=5e-4)
    ap.add_argument("--val", type=int, default=5000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="train on only N images (smoke test)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)

    tx, ty, ex, ey = read_batches(a.cifar)
    order = np.random.default_rng(a.seed).permutation(len(tx))
    val_idx, train_idx = order[: a.val], order[a.val :]
    if a.limit:
        train_idx = train_idx[: a.limit]
    xtr, ytr = normalise(tx[train_idx]), torch.from_numpy(ty[train_idx])
    xva, yva = normalise(tx[val_idx]), torch.from_numpy(ty[val_idx])
    xte, yte = normalise(ex), torch.from_numpy(ey)

    model = ResNet20()
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9, weight_decay=a.weight_decay)
    best_val, best_epoch, best_test, train_seconds = -1.0, 0, 0.0, 0.0
    for epoch in range(a.epochs):
        lr = a.lr * (1 + math.cos(math.pi * epoch / a.epochs)) / 2
        for g in opt.param_groups:
            g["lr"] = lr
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        seen, correct, loss_sum = 0, 0, 0.0
        t0 = time.perf_counter()
        for i in range(0, len(perm), a.batch):
            idx = perm[i : i + a.batch]
            xb, yb = augment(xtr[idx], gen), ytr[idx]
            out = model(xb)
            loss = F.cross_entropy(out, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            seen += len(idx)
            correct += (out.argmax(1) == yb).sum().item()
            loss_sum += loss.item() * len(idx)
        dt = time.perf_counter() - t0
        train_seconds += dt
        val = accuracy(model, xva, yva)
        if val > best_val:
            best_val, best_epoch, best_test = val, epoch + 1, accuracy(model, xte, yte)
        print(
            f"epoch {epoch + 1}/{a.epochs}  lr {lr:.6f}  loss {loss_sum / seen:.4f}  "
            f"train {100 * correct / seen:.2f}%  val {100 * val:.2f}%  {dt:.1f} s  {seen / dt:.0f} img/s",
            flush=True,
        )
    last_test = accuracy(model, xte, yte)
    print(json.dumps({
        "peer": "pytorch " + torch.__version__, "model": "resnet20", "dataset": "cifar10",
        "test_accuracy": best_test, "val_accuracy": best_val, "best_epoch": best_epoch,
        "last_test_accuracy": last_test, "epochs": a.epochs, "seconds": train_seconds,
        "images_per_second": len(xtr) * a.epochs / train_seconds, "params": params,
        "threads": a.threads, "seed": a.seed,
    }))


if __name__ == "__main__":
    main()
