package jcnn.models;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.backend.PoolSpec;
import jcnn.nn.BatchNorm2d;
import jcnn.nn.Conv2d;
import jcnn.nn.GlobalAvgPool;
import jcnn.nn.Linear;
import jcnn.nn.Module;
import jcnn.nn.ReLU;
import jcnn.nn.Residual;
import jcnn.nn.Sequential;
import jcnn.tensor.Tensor;

/**
 * The CIFAR-10 ResNets of He et al. 2016 (Sec. 4.2), depth 6n + 2: a 3x3 conv with 16 filters,
 * three stages of n basic blocks on 32x32, 16x16 and 8x8 maps with 16, 32 and 64 filters (the first
 * block of stages 2 and 3 has stride 2), global average pooling and a 10-way fc. Shortcuts are the
 * paper's option A, parameter-free: identity, or, where the shape changes, subsampling by 2 and
 * zero-padding the new channels. ResNet-20 has 269,722 parameters (the paper's 0.27M), ResNet-56
 * 853,018 (0.85M). TTQ (Zhu et al. 2017) reports on these.
 */
public final class ResNetCifar {
  private ResNetCifar() {}

  /** ResNet of the given depth (20, 32, 44, 56, 110: 6n + 2). Input [N, 3, 32, 32]. */
  public static Sequential create(int depth, int classes, long seed) {
    if (depth < 8 || (depth - 2) % 6 != 0) {
      throw new IllegalArgumentException(
          "ResNet depth must be 6n + 2 (20, 32, 44, 56, 110), got " + depth);
    }
    int n = (depth - 2) / 6;
    Sequential net =
        new Sequential(new Conv2d(3, 16, 3, 1, 1, 1, false, seed), new BatchNorm2d(16), new ReLU());
    int in = 16;
    long s = seed + 1;
    for (int stage = 0; stage < 3; stage++) {
      int out = 16 << stage;
      for (int b = 0; b < n; b++) {
        int stride = stage > 0 && b == 0 ? 2 : 1;
        net.add(basicBlock(in, out, stride, s));
        s += 2;
        in = out;
      }
    }
    net.add(new GlobalAvgPool()); // [N, 64]
    net.add(new Linear(64, classes, s));
    return net;
  }

  /** conv3x3-BN-ReLU-conv3x3-BN, plus the shortcut, then ReLU. */
  static Residual basicBlock(int in, int out, int stride, long seed) {
    Sequential body =
        new Sequential(
            new Conv2d(in, out, 3, stride, 1, 1, false, seed),
            new BatchNorm2d(out),
            new ReLU(),
            new Conv2d(out, out, 3, 1, 1, 1, false, seed + 1),
            new BatchNorm2d(out));
    Module shortcut = in == out && stride == 1 ? null : new ShortcutA(in, out, stride);
    return new Residual(body, shortcut, new ReLU());
  }

  /**
   * Option A shortcut: x subsampled by the stride (a 1x1 window max pool) and zero-padded from in
   * to out channels. No parameters.
   */
  static final class ShortcutA extends Module {
    private final int in;
    private final int out;
    private final int stride;

    ShortcutA(int in, int out, int stride) {
      if (out < in) {
        throw new IllegalArgumentException("ShortcutA: cannot shrink " + in + " -> " + out);
      }
      this.in = in;
      this.out = out;
      this.stride = stride;
    }

    @Override
    public Variable forward(Variable x) { // [N, in, H, W] -> [N, out, H/stride, W/stride]
      if (x.shape().rank() != 4 || x.shape().dim(1) != in) {
        throw new IllegalArgumentException(
            "ShortcutA("
                + in
                + " -> "
                + out
                + "): input "
                + x.shape()
                + " does not have "
                + in
                + " channels");
      }
      Variable sub = stride == 1 ? x : F.maxPool2d(x, PoolSpec.of(1, stride));
      if (out == in) {
        return sub;
      }
      int[] d = sub.shape().dims();
      d[1] = out - in;
      return F.concat(1, sub, Variable.constant(Tensor.zeros(d)));
    }

    @Override
    protected String extraRepr() {
      return in + " -> " + out + ", stride " + stride + ", zero-padded identity";
    }
  }
}
