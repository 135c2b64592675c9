#!/usr/bin/env python3
"""Writes the golden end-to-end fixture src/test/resources/golden/tiny_net.json with PyTorch.

A tiny net (conv 1->2 3x3 + bias, ReLU, maxpool 2, flatten, linear 8->3 + bias) with weights and
inputs from closed-form formulas (so jcnn rebuilds them exactly), two labelled samples, mean
softmax cross-entropy. Records the loss, every gradient, the weights after one SGD step (lr 0.1,
momentum 0.9, weight decay 1e-3) and the loss after that step. GoldenFixtureTest compares.
"""
import json
import math
import sys

import torch
import torch.nn.functional as F


def formula(shape, a, b):
    n = 1
    for d in shape:
        n *= d
    return torch.tensor([math.sin(a * i + b) * 0.5 for i in range(n)], dtype=torch.float32).reshape(shape)


def main(out):
    x = formula((2, 1, 6, 6), 0.37, 0.1)
    y = torch.tensor([0, 2])
    params = {
        "conv.weight": formula((2, 1, 3, 3), 0.91, 0.2),
        "conv.bias": formula((2,), 1.3, 0.3),
        "fc.weight": formula((3, 8), 0.53, 0.4),
        "fc.bias": formula((3,), 0.77, 0.5),
    }
    for p in params.values():
        p.requires_grad_(True)

    def loss_fn():
        h = F.max_pool2d(F.relu(F.conv2d(x, params["conv.weight"], params["conv.bias"])), 2)
        return F.cross_entropy(F.linear(h.flatten(1), params["fc.weight"], params["fc.bias"]), y)

    opt = torch.optim.SGD(params.values(), lr=0.1, momentum=0.9, weight_decay=1e-3)
    loss = loss_fn()
    loss.backward()
    grads = {k: p.grad.flatten().tolist() for k, p in params.items()}
    opt.step()
    after = {k: p.detach().flatten().tolist() for k, p in params.items()}
    loss2 = loss_fn().item()
    json.dump({"loss": loss.item(), "grads": grads, "after_step": after, "loss_after_step": loss2},
              open(out, "w"), indent=1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/golden/tiny_net.json")
