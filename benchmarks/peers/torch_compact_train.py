#!/usr/bin/env python3
"""PyTorch peer for jcnn's compact CIFAR-10 networks: training images/second.

Builds the same network as jcnn's `Models.create(name, 10, seed)` (the CIFAR-10 configuration,
imagenet = false) at a width multiplier, layer for layer: SqueezeNet 1.0 with batch norm (with or
without the simple bypass), MobileNet V1, MobileNet V2 and SEP-Net, as jcnn.models.SqueezeNet,
MobileNetV1, MobileNetV2 and SepNet define them (the docstrings there give the papers and the
CIFAR changes). Then it times --batches SGD steps (momentum 0.9, lr 0.05, weight decay 5e-4,
cross-entropy) on one random float32 batch [batch, 3, 32, 32] with random labels 0-9, after
--warmup untimed steps: no data set is read, so the number is the network's training cost alone.
Prints exactly one JSON line: {"available":true,"model":...,"images_per_second":...}, or
{"available":false,"reason":...} when PyTorch cannot be imported (exit code 0 either way).

Parameters are counted as jcnn counts them: weights, biases and batch-norm scale and shift; the
running statistics are buffers, not parameters, in both. Batch norm is PyTorch's default, eps 1e-5
and momentum 0.1, which are jcnn's defaults too (BatchNorm2d.java). Weights start He-normal (fan-in)
and biases at zero, as jcnn's Conv2d and Linear do; it does not change the timing.

Threads: torch.set_num_threads(--threads) sets PyTorch's own (OpenMP) pool, which runs the convs.
A Debian-style PyTorch (BLAS_INFO=generic) hands matrix products to the system BLAS, whose threads
follow OPENBLAS_NUM_THREADS: the caller sets it (jcnn sets it to --threads); this script leaves
it as it finds it and reports it. The BLAS library actually loaded is reported as "blas".

Usage:
  OPENBLAS_NUM_THREADS=2 /usr/bin/python3 torch_compact_train.py --model mobilenet2 [--width 1.0]
      [--batch 128] [--threads 2] [--batches 20] [--warmup 3] [--check-params]
"""
import argparse
import json
import os
import re
import sys
import time

MODELS = ("squeezenet", "squeezenet-bypass", "mobilenet1", "mobilenet2", "sepnet")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", required=True, choices=MODELS)
    p.add_argument("--width", type=float, default=1.0, help="width multiplier alpha, (0, 4]")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batches", type=int, default=20, help="timed training steps")
    p.add_argument("--warmup", type=int, default=3, help="untimed training steps first")
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--check-params",
        action="store_true",
        help="print the parameter count (a line before the JSON) and exit without training",
    )
    a = p.parse_args(argv)
    if not (a.width > 0) or a.width > 4:
        p.error("--width must be in (0, 4] (e.g. 0.25, 0.5, 0.75, 1.0), got %s" % a.width)
    if a.batch < 1 or a.batches < 1 or a.warmup < 0 or a.threads < 1:
        p.error("--batch, --batches and --threads must be positive, --warmup not negative")
    return a


# ---- widths: jcnn.models.Width ----------------------------------------------------------------


def truncate(c, alpha, what):
    """int(alpha * c), at least 1 (Width.truncate: MobileNet V1, SqueezeNet, SEP-Net)."""
    v = int(alpha * c + 1e-9)
    if v < 1:
        raise ValueError("--width %s leaves %s with 0 channels (of %d at width 1)" % (alpha, what, c))
    return v


def divisible(v, divisor=8):
    """torchvision's _make_divisible (Width.divisible: MobileNet V2)."""
    n = max(divisor, int(v + divisor / 2.0) // divisor * divisor)
    return n + divisor if n < 0.9 * v else n


def grouped(c, alpha, groups, what):
    """truncate, then a check that groups divides it (Width.grouped: SEP-Net)."""
    v = truncate(c, alpha, what)
    if v % groups != 0:
        raise ValueError(
            "--width %s gives %s %d channels, not divisible by its %d groups" % (alpha, what, v, groups)
        )
    return v


# ---- networks ---------------------------------------------------------------------------------


def networks(torch):
    """The model builders; defined after `import torch` so a missing torch still gives JSON."""
    nn = torch.nn

    def conv(in_c, out_c, k, stride, pad, groups, bias):
        # jcnn Conv2d(inC, outC, kernel, stride, pad, groups, bias, seed)
        return nn.Conv2d(in_c, out_c, k, stride=stride, padding=pad, groups=groups, bias=bias)

    class Residual(nn.Module):
        """jcnn.nn.Residual with identity shortcut: act(body(x) + x), act optional."""

        def __init__(self, body, act=None):
            super().__init__()
            self.body = body
            self.act = act

        def forward(self, x):
            y = self.body(x) + x
            return y if self.act is None else self.act(y)

    class Fire(nn.Module):
        """jcnn.nn.Fire: squeeze 1x1 -> (expand 1x1 | expand 3x3 pad 1) concatenated; every conv
        with bias, then [BN], ReLU."""

        def __init__(self, in_c, s, e1, e3, bn):
            super().__init__()

            def conv_act(i, o, k):
                layers = [conv(i, o, k, 1, k // 2, 1, True)]
                if bn:
                    layers.append(nn.BatchNorm2d(o))
                layers.append(nn.ReLU(inplace=True))
                return nn.Sequential(*layers)

            self.squeeze = conv_act(in_c, s, 1)
            self.expand1x1 = conv_act(s, e1, 1)
            self.expand3x3 = conv_act(s, e3, 3)

        def forward(self, x):
            s = self.squeeze(x)  # [N, s, H, W]
            return torch.cat((self.expand1x1(s), self.expand3x3(s)), 1)  # [N, e1 + e3, H, W]

    class InvertedResidual(nn.Module):
        """jcnn.nn.InvertedResidual: [1x1 expand, BN, ReLU6 when t != 1], 3x3 depthwise with the
        stride, BN, ReLU6, 1x1 project, BN; + x when stride 1 and in == out; no conv biases."""

        def __init__(self, in_c, out_c, stride, t):
            super().__init__()
            hidden = in_c * t
            layers = []
            if t != 1:
                layers += [conv(in_c, hidden, 1, 1, 0, 1, False), nn.BatchNorm2d(hidden), nn.ReLU6(inplace=True)]
            layers += [
                conv(hidden, hidden, 3, stride, 1, hidden, False),
                nn.BatchNorm2d(hidden),
                nn.ReLU6(inplace=True),
                conv(hidden, out_c, 1, 1, 0, 1, False),
                nn.BatchNorm2d(out_c),
            ]
            self.body = nn.Sequential(*layers)
            self.residual = stride == 1 and in_c == out_c

        def forward(self, x):
            y = self.body(x)
            return y + x if self.residual else y

    class PatternResidualBlock(nn.Module):
        """jcnn.nn.PatternResidualBlock: relu(bn(pattern3x3(x) + transform1x1(x))), both grouped,
        no bias; [N, C, H, W] -> [N, C, H, W]."""

        def __init__(self, channels, groups):
            super().__init__()
            self.pattern = conv(channels, channels, 3, 1, 1, groups, False)
            self.transform = conv(channels, channels, 1, 1, 0, groups, False)
            self.bn = nn.BatchNorm2d(channels)
            self.act = nn.ReLU(inplace=True)

        def forward(self, x):
            return self.act(self.bn(self.pattern(x) + self.transform(x)))

    def sep_module(c, m, groups):
        """jcnn.nn.SepModule: relu(x + BN(1x1 m->c(PRB(PRB(relu(BN(1x1 c->m(x))))))))."""
        body = nn.Sequential(
            conv(c, m, 1, 1, 0, 1, False),
            nn.BatchNorm2d(m),
            nn.ReLU(inplace=True),
            PatternResidualBlock(m, groups),
            PatternResidualBlock(m, groups),
            conv(m, c, 1, 1, 0, 1, False),
            nn.BatchNorm2d(c),
        )
        return Residual(body, nn.ReLU(inplace=True))

    def global_avg_pool():
        return nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(1))  # [N, C]

    # SqueezeNet.FIRES: fire2..fire9 squeeze s1x1, expand e1x1, e3x3 (paper Table 1).
    fires = [
        (16, 64, 64), (16, 64, 64), (32, 128, 128), (32, 128, 128),
        (48, 192, 192), (48, 192, 192), (64, 256, 256), (64, 256, 256),
    ]

    def squeezenet(classes, width, bypass):
        """SqueezeNet.create(classes, width, bypass, imagenet=false): conv1 96 3x3/1 pad 1 (bias),
        BN, ReLU; fire2..fire9 with BN, 2x2 max pools after fire4 and fire8; bypass around the odd
        Fires whose in == out; dropout 0.5, conv10 1x1 (bias), ReLU, global average pool."""
        c1 = truncate(96, width, "conv1")
        layers = [conv(3, c1, 3, 1, 1, 1, True), nn.BatchNorm2d(c1), nn.ReLU(inplace=True)]
        in_c = c1
        for i, (s0, e10, e30) in enumerate(fires):
            fire = i + 2
            name = "fire%d" % fire
            s = truncate(s0, width, name + " squeeze")
            e1 = truncate(e10, width, name + " expand1x1")
            e3 = truncate(e30, width, name + " expand3x3")
            f = Fire(in_c, s, e1, e3, True)
            shortcut = bypass and fire % 2 == 1 and in_c == e1 + e3
            layers.append(Residual(f) if shortcut else f)
            in_c = e1 + e3
            if fire in (4, 8):
                layers.append(nn.MaxPool2d(2, 2))
        layers += [
            nn.Dropout(0.5),
            conv(in_c, classes, 1, 1, 0, 1, True),
            nn.ReLU(inplace=True),
            global_avg_pool(),
        ]
        return nn.Sequential(*layers)

    # MobileNetV1.BLOCKS: output channels and stride of the 13 depthwise-separable blocks.
    v1_blocks = [
        (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1),
        (512, 1), (512, 1), (1024, 2), (1024, 1),
    ]

    def mobilenet1(classes, width):
        """MobileNetV1.create(imagenet=false): conv 3x3/1 to 32 (no bias), BN, ReLU; 13
        DepthwiseSeparableConv (dw 3x3 + BN + ReLU, pw 1x1 + BN + ReLU, no biases); global average
        pool; Linear (bias)."""
        c = truncate(32, width, "conv1")
        layers = [conv(3, c, 3, 1, 1, 1, False), nn.BatchNorm2d(c), nn.ReLU(inplace=True)]
        for i, (out0, stride) in enumerate(v1_blocks):
            out = truncate(out0, width, "block %d" % (i + 1))
            layers += [
                conv(c, c, 3, stride, 1, c, False),
                nn.BatchNorm2d(c),
                nn.ReLU(inplace=True),
                conv(c, out, 1, 1, 0, 1, False),
                nn.BatchNorm2d(out),
                nn.ReLU(inplace=True),
            ]
            c = out
        layers += [global_avg_pool(), nn.Linear(c, classes)]
        return nn.Sequential(*layers)

    # MobileNetV2.GROUPS: t, c, n, s of the paper's Table 2.
    v2_groups = [
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
        (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    ]

    def mobilenet2(classes, width):
        """MobileNetV2.create(imagenet=false): conv 3x3/1 (no bias), BN, ReLU6; 17
        InvertedResidual, the 24-channel group at stride 1; conv 1x1 to 1280 (x alpha only when
        alpha > 1), BN, ReLU6; global average pool; dropout 0.2; Linear (bias)."""
        c = divisible(32 * width)
        last = divisible(1280 * max(1.0, width))
        layers = [conv(3, c, 3, 1, 1, 1, False), nn.BatchNorm2d(c), nn.ReLU6(inplace=True)]
        for g, (t, c0, n, s) in enumerate(v2_groups):
            out = divisible(c0 * width)
            stride = 1 if g == 1 else s
            for i in range(n):
                layers.append(InvertedResidual(c, out, stride if i == 0 else 1, t))
                c = out
        layers += [
            conv(c, last, 1, 1, 0, 1, False),
            nn.BatchNorm2d(last),
            nn.ReLU6(inplace=True),
            global_avg_pool(),
            nn.Dropout(0.2),
            nn.Linear(last, classes),
        ]
        return nn.Sequential(*layers)

    def sepnet(classes, width):
        """SepNet.create(imagenet=false): per stage (64, 128, 256) a full 3x3 conv (stride 1 for
        the first stage, 2 after; no bias), BN, ReLU, then 2 SepModules reducing to a quarter, 4
        groups; global average pool; Linear (bias)."""
        groups = 4
        layers = []
        c = 3
        for i, stage in enumerate((64, 128, 256)):
            out = grouped(stage, width, groups, "stage %d" % (i + 1))
            stride = 1 if i == 0 else 2
            layers += [conv(c, out, 3, stride, 1, 1, False), nn.BatchNorm2d(out), nn.ReLU(inplace=True)]
            c = out
            reduced = grouped(stage // 4, width, groups, "the SEP modules of stage %d" % (i + 1))
            for _ in range(2):
                layers.append(sep_module(c, reduced, groups))
        layers += [global_avg_pool(), nn.Linear(c, classes)]
        return nn.Sequential(*layers)

    return {
        "squeezenet": lambda classes, w: squeezenet(classes, w, False),
        "squeezenet-bypass": lambda classes, w: squeezenet(classes, w, True),
        "mobilenet1": mobilenet1,
        "mobilenet2": mobilenet2,
        "sepnet": sepnet,
    }


def he_init(torch, model):
    """jcnn's init: He-normal weights (fan-in = in/groups * k * k, std sqrt(2 / fan-in)), zero
    biases, batch norm at gamma 1, beta 0 (PyTorch's default already)."""
    for m in model.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
            torch.nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
            if m.bias is not None:
                torch.nn.init.zeros_(m.bias)


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


def blas_info(torch):
    """BLAS_INFO from torch.__config__.show() (e.g. "generic", "mkl", "open"), or "unknown"."""
    try:
        m = re.search(r"\bBLAS_INFO=([^,\s]+)", torch.__config__.show())
        if m:
            return m.group(1)
    except Exception:
        pass
    return "unknown"


def main(argv):
    a = parse_args(argv)
    try:
        import torch
    except Exception as e:  # ImportError, or a broken install failing inside torch
        print(json.dumps({"available": False, "reason": "import torch failed: %s" % e}))
        return 0
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    try:
        model = networks(torch)[a.model](a.classes, a.width)
    except ValueError as e:  # a width that leaves a layer without channels or groups
        print(json.dumps({"available": False, "reason": str(e)}))
        return 0
    he_init(torch, model)
    params = sum(p.numel() for p in model.parameters())
    if a.check_params:
        print("%s width %s: %d parameters" % (a.model, a.width, params))
        print(json.dumps({"available": True, "model": a.model, "width": a.width, "params": params}))
        return 0

    x = torch.randn(a.batch, 3, 32, 32)  # [batch, 3, 32, 32], CIFAR-shaped
    y = torch.randint(0, a.classes, (a.batch,))  # [batch]
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    loss_fn = torch.nn.CrossEntropyLoss()
    model.train()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    for _ in range(a.warmup):
        step()
    start = time.perf_counter()
    for _ in range(a.batches):
        loss = step()
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "available": True,
                "name": "pytorch",
                "model": a.model,
                "width": a.width,
                "batch": a.batch,
                "threads": torch.get_num_threads(),
                "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
                "params": params,
                "images_per_second": round(a.batches * a.batch / seconds, 1),
                "seconds": round(seconds, 4),
                "steps": a.batches,
                "warmup": a.warmup,
                "final_loss": round(loss.item(), 4),
                "torch_version": torch.__version__,
                "blas": loaded_blas(),
                "blas_info": blas_info(torch),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
