package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;

/**
 * MobileNet V2's inverted residual block (Sandler et al. 2018, Table 1): a 1x1 convolution expands
 * the C input channels t times (batch norm, ReLU6), a 3x3 depthwise convolution filters each of the
 * tC channels with the block's stride (batch norm, ReLU6), and a linear 1x1 bottleneck projects to
 * K channels (batch norm, no activation: a ReLU on the narrow bottleneck would destroy
 * information). When stride is 1 and C == K the input is added to the output. With t = 1 the
 * expansion is left out, as in the paper's first block. Convolutions have no bias (batch norm's
 * beta is the bias). Children: {@code body}, a Sequential; its weights are {@code body.0.weight},
 * ... Parameters and layout match torchvision's {@code InvertedResidual}. Gradient-checked in
 * {@code CompactLayersTest}.
 */
public class InvertedResidual extends Module {
  private final boolean residual;
  private final String settings;

  /** [N, C, H, W] -> [N, K, H / stride, W / stride]; t is the expansion ratio. */
  public InvertedResidual(int in, int out, int stride, int t, long seed) {
    if (in < 1 || out < 1 || t < 1 || (stride != 1 && stride != 2)) {
      throw new IllegalArgumentException(
          "InvertedResidual: bad settings "
              + in
              + " -> "
              + out
              + ", stride "
              + stride
              + ", expansion "
              + t
              + " (channels and t positive, stride 1 or 2)");
    }
    int hidden = in * t;
    Sequential b = new Sequential();
    if (t != 1) {
      b.add(new Conv2d(in, hidden, 1, 1, 0, 1, false, seed))
          .add(new BatchNorm2d(hidden))
          .add(new ReLU6());
    }
    b.add(new Conv2d(hidden, hidden, 3, stride, 1, hidden, false, seed + 1))
        .add(new BatchNorm2d(hidden))
        .add(new ReLU6())
        .add(new Conv2d(hidden, out, 1, 1, 0, 1, false, seed + 2))
        .add(new BatchNorm2d(out));
    registerModule("body", b);
    this.residual = stride == 1 && in == out;
    this.settings =
        in + " -> " + hidden + " -> " + out + ", stride " + stride + (residual ? ", residual" : "");
  }

  /** Whether the input is added to the output (stride 1 and as many channels in as out). */
  public boolean residual() {
    return residual;
  }

  @Override
  public Variable forward(Variable x) {
    Variable y = child("body").forward(x);
    return residual ? F.add(y, x) : y;
  }

  @Override
  protected String extraRepr() {
    return settings;
  }
}
