package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.nn.init.Init;
import jcnn.tensor.Tensor;

/**
 * A fully connected layer, y = x W^T + b, in PyTorch's layout: x [N, in], W [out, in], b [out]. The
 * weight starts He-normal with fan-in {@code in} (std sqrt(2 / in)), the bias at zero; call an
 * {@link Init} method on {@code weight().value()} for another start. Gradient-checked in {@code
 * LayerGradTest}.
 */
public class Linear extends Module {
  private final int in;
  private final int out;
  private final Parameter weight; // [out, in]
  private final Parameter bias; // [out] or null

  public Linear(int in, int out, boolean bias, long seed) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException(
          "Linear: sizes must be positive, got " + in + " -> " + out);
    }
    this.in = in;
    this.out = out;
    this.weight = registerParameter("weight", new Parameter(Tensor.zeros(out, in)));
    Init.heNormal(weight.value(), in, seed);
    this.bias = bias ? registerParameter("bias", new Parameter(Tensor.zeros(out))) : null;
  }

  public Linear(int in, int out, long seed) {
    this(in, out, true, seed);
  }

  /** The stored weight [out, in]; forward uses {@code effective("weight")}. */
  public Parameter weight() {
    return weight;
  }

  /** The bias [out], or null. */
  public Parameter bias() {
    return bias;
  }

  @Override
  public Variable forward(Variable x) {
    if (x.shape().rank() != 2 || x.shape().dim(1) != in) {
      throw shapeError("input " + x.shape() + " does not have " + in + " features");
    }
    return F.linear(x, effective("weight"), bias == null ? null : effective("bias")); // [N, out]
  }

  @Override
  protected String extraRepr() {
    return in + " -> " + out + (bias == null ? ", no bias" : "");
  }
}
