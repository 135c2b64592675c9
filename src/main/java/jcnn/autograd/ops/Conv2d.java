package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.backend.ConvSpec;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, as in every framework) with stride, padding and groups:
 * y[n,k,p,q] = b[k] + sum over c in k's group, r, s of x[n,c,p*stride+r-pad, q*stride+s-pad] *
 * w[k,c,r,s]. Depthwise and group convolutions are this op with groups > 1.
 *
 * <p>Gradients: gx = conv2dBackwardData(g, w) (the transposed convolution of g with w), gw =
 * conv2dBackwardWeight(x, g) (the correlation of x with g), gb[k] = sum over n, p, q of g[n,k,p,q].
 */
public final class Conv2d extends Function {
  private final ConvSpec spec;
  private final boolean hasBias;
  private Tensor x; // [N, C, H, W]
  private Tensor w; // [K, C/groups, R, S]

  private Conv2d(ConvSpec spec, boolean hasBias) {
    this.spec = spec;
    this.hasBias = hasBias;
  }

  /** y = conv2d(x, w) + bias; bias may be null. */
  public static Variable apply(Variable x, Variable w, Variable bias, ConvSpec spec) {
    Conv2d f = new Conv2d(spec, bias != null);
    Shape ys = spec.outputShape(x.shape(), w.shape()); // [N, K, P, Q]
    if (bias != null && !bias.shape().equals(Shape.of(w.shape().dim(0)))) {
      throw new IllegalArgumentException(
          "conv2d: bias " + bias.shape() + " does not match weight " + w.shape());
    }
    Tensor y = Tensor.zeros(ys);
    f.backend.conv2dForward(x.value(), w.value(), bias == null ? null : bias.value(), spec, y);
    f.x = x.value();
    f.w = w.value();
    return bias == null ? f.record(y, x, w) : f.record(y, x, w, bias);
  }

  @Override
  public String name() {
    return "conv2d";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor[] grads = new Tensor[hasBias ? 3 : 2];
    if (needsGrad(0)) {
      grads[0] = Tensor.zeros(x.shape());
      backend.conv2dBackwardData(g, w, spec, grads[0]);
    }
    if (needsGrad(1)) {
      grads[1] = Tensor.zeros(w.shape());
      backend.conv2dBackwardWeight(x, g, spec, grads[1]);
    }
    if (hasBias && needsGrad(2)) {
      int k = w.dim(0);
      Tensor gb = Tensor.zeros(1, k, 1, 1);
      backend.sumTo(g, gb);
      grads[2] = gb.reshape(k);
    }
    return grads;
  }
}
