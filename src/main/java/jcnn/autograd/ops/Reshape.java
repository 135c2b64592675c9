package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * A view of x with another shape of the same size (no copy). Flatten is reshape to [N, rest].
 *
 * <p>Gradient: g viewed with x's shape.
 */
public final class Reshape extends Function {
  private Shape xShape;

  public static Variable apply(Variable x, int... dims) {
    Reshape f = new Reshape();
    f.xShape = x.shape();
    return f.record(x.value().reshape(dims), x);
  }

  @Override
  public String name() {
    return "reshape";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    return new Tensor[] {g.reshape(xShape.dims())};
  }
}
