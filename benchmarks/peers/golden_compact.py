#!/usr/bin/env python3
"""Writes the golden fixture src/test/resources/golden/compact.json with PyTorch.

The compact networks' ops and blocks, each run forward and backward on inputs and weights from the
closed form 0.5 * sin(a * i + b) (so jcnn rebuilds them exactly), in training mode (batch norm on
batch statistics), with the loss sum(y * r) for a fixed r: depthwise 3x3 at stride 1 and 2, grouped
3x3 and 1x1 convolution, the Fire module, the inverted residual (with and without its shortcut),
the Pattern Residual Block, and antialiased bilinear resizing. Records the output, the input's
gradient and every parameter's, in jcnn's parameter order. CompactGoldenTest compares.

Run: /usr/bin/python3 benchmarks/peers/golden_compact.py   (PyTorch 1.13 from Debian)
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
    return torch.tensor([math.sin(a * i + b) * 0.5 for i in range(n)],
                        dtype=torch.float32).reshape(shape)


def bn(x, g, b):
    return F.batch_norm(x, None, None, g, b, training=True, eps=1e-5)


def conv(x, w, b=None, stride=1, pad=0, groups=1):
    return F.conv2d(x, w, b, stride=stride, padding=pad, groups=groups)


def ir(stride, residual):
    def f(x, p):
        h = F.relu6(bn(conv(x, p[0]), p[1], p[2]))
        h = F.relu6(bn(conv(h, p[3], stride=stride, pad=1, groups=p[3].shape[0]), p[4], p[5]))
        y = bn(conv(h, p[6]), p[7], p[8])
        return y + x if residual else y
    return f


def ir_params(cin, cout, t):
    h = cin * t
    return [(h, cin, 1, 1), (h,), (h,), (h, 1, 3, 3), (h,), (h,), (cout, h, 1, 1), (cout,), (cout,)]


CASES = {
    # name: (input shape, parameter shapes in jcnn's order, function)
    "depthwise_s1": ((2, 4, 7, 7), [(4, 1, 3, 3), (4,)],
                     lambda x, p: conv(x, p[0], p[1], 1, 1, 4)),
    "depthwise_s2": ((2, 4, 7, 7), [(4, 1, 3, 3), (4,)],
                     lambda x, p: conv(x, p[0], p[1], 2, 1, 4)),
    "group3x3": ((2, 4, 6, 6), [(6, 2, 3, 3), (6,)], lambda x, p: conv(x, p[0], p[1], 1, 1, 2)),
    "group1x1": ((2, 4, 5, 5), [(6, 2, 1, 1)], lambda x, p: conv(x, p[0], None, 1, 0, 2)),
    "fire": ((2, 4, 5, 5), [(3, 4, 1, 1), (3,), (2, 3, 1, 1), (2,), (2, 3, 3, 3), (2,)],
             lambda x, p: torch.cat([
                 F.relu(conv(F.relu(conv(x, p[0], p[1])), p[2], p[3])),
                 F.relu(conv(F.relu(conv(x, p[0], p[1])), p[4], p[5], 1, 1))], 1)),
    "inverted_residual": ((2, 4, 5, 5), ir_params(4, 4, 2), ir(1, True)),
    "inverted_residual_s2": ((2, 4, 6, 6), ir_params(4, 6, 2), ir(2, False)),
    "pattern_residual": ((2, 4, 5, 5), [(4, 2, 3, 3), (4, 2, 1, 1), (4,), (4,)],
                         lambda x, p: F.relu(bn(conv(x, p[0], None, 1, 1, 2)
                                                + conv(x, p[1], None, 1, 0, 2), p[2], p[3]))),
    "resize_7_to_5": ((2, 3, 7, 7), [],
                      lambda x, p: F.interpolate(x, size=(5, 5), mode="bilinear",
                                                 align_corners=False, antialias=True)),
    "resize_8_to_4": ((1, 2, 8, 8), [],
                      lambda x, p: F.interpolate(x, size=(4, 4), mode="bilinear",
                                                 align_corners=False, antialias=True)),
}


def main(out):
    cases = {}
    for name, (xshape, pshapes, f) in CASES.items():
        x = formula(xshape, 0.37, 0.1).requires_grad_(True)
        params = [formula(s, 0.3 + 0.07 * k, 0.1 * k).requires_grad_(True)
                  for k, s in enumerate(pshapes)]
        y = f(x, params)
        r = formula(tuple(y.shape), 0.61, 0.7)
        (y * r).sum().backward()
        cases[name] = {
            "input_shape": list(xshape),
            "param_shapes": [list(s) for s in pshapes],
            "output_shape": list(y.shape),
            "output": y.detach().flatten().tolist(),
            "grad_input": x.grad.flatten().tolist(),
            "grads": [p.grad.flatten().tolist() for p in params],
        }
    json.dump({"torch": torch.__version__, "cases": cases}, open(out, "w"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/golden/compact.json")
