package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.backend.ConvSpec;
import jcnn.nn.init.Init;
import jcnn.tensor.Tensor;

/**
 * A 2-D convolution layer: x [N, C, H, W] -> y [N, K, P, Q] with a square R x R filter, weight [K,
 * C/groups, R, R] and optional bias [K]. groups = C = K is a depthwise convolution. The weight
 * starts He-normal with fan-in C/groups * R * R, the bias at zero. Gradient-checked in {@code
 * LayerGradTest} (stride, padding, groups, depthwise).
 */
public class Conv2d extends Module {
  private final int inC;
  private final int outC;
  private final int kernel;
  private final ConvSpec spec;
  private final Parameter weight; // [K, C/groups, R, R]
  private final Parameter bias; // [K] or null

  public Conv2d(
      int inC, int outC, int kernel, int stride, int pad, int groups, boolean bias, long seed) {
    if (inC < 1
        || outC < 1
        || kernel < 1
        || groups < 1
        || inC % groups != 0
        || outC % groups != 0) {
      throw new IllegalArgumentException(
          "Conv2d: bad sizes "
              + inC
              + " -> "
              + outC
              + ", kernel "
              + kernel
              + ", groups "
              + groups
              + " (channels must be positive multiples of groups)");
    }
    this.inC = inC;
    this.outC = outC;
    this.kernel = kernel;
    this.spec = ConvSpec.of(stride, pad, groups);
    Tensor w = Tensor.zeros(outC, inC / groups, kernel, kernel);
    this.weight = registerParameter("weight", new Parameter(w));
    Init.heNormal(w, Init.fanIn(w.shape()), seed);
    this.bias = bias ? registerParameter("bias", new Parameter(Tensor.zeros(outC))) : null;
  }

  /** An ungrouped convolution with bias. */
  public Conv2d(int inC, int outC, int kernel, int stride, int pad, long seed) {
    this(inC, outC, kernel, stride, pad, 1, true, seed);
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }

  public ConvSpec spec() {
    return spec;
  }

  @Override
  public Variable forward(Variable x) {
    if (x.shape().rank() != 4 || x.shape().dim(1) != inC) {
      throw shapeError("input " + x.shape() + " is not [N, " + inC + ", H, W]");
    }
    int padded = Math.min(x.shape().dim(2), x.shape().dim(3)) + 2 * spec.padH();
    if (padded < kernel) {
      throw shapeError(
          "input "
              + x.shape()
              + " is smaller than the "
              + kernel
              + "x"
              + kernel
              + " filter even with padding "
              + spec.padH());
    }
    return F.conv2d(x, effective("weight"), bias == null ? null : effective("bias"), spec);
  }

  @Override
  protected String extraRepr() {
    StringBuilder sb = new StringBuilder();
    sb.append(inC)
        .append(" -> ")
        .append(outC)
        .append(", ")
        .append(kernel)
        .append('x')
        .append(kernel);
    if (spec.strideH() != 1) {
      sb.append(", stride ").append(spec.strideH());
    }
    if (spec.padH() != 0) {
      sb.append(", pad ").append(spec.padH());
    }
    if (spec.groups() != 1) {
      sb.append(", groups ").append(spec.groups());
    }
    if (bias == null) {
      sb.append(", no bias");
    }
    return sb.toString();
  }
}
