package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.backend.BinaryOp;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * y = scale * (x summed down to a smaller shape): sums over every dim where the target has 1 (the
 * reverse of broadcasting). Sum of all is the target shape [] and mean uses scale = 1/count.
 *
 * <p>Gradient: gx = scale * g broadcast back to x's shape.
 */
public final class Sum extends Function {
  private final float scale;
  private Shape xShape;

  private Sum(float scale) {
    this.scale = scale;
  }

  public static Variable apply(Variable x, Shape target, float scale) {
    Sum f = new Sum(scale);
    Tensor y = Tensor.zeros(target);
    f.backend.sumTo(x.value(), y);
    if (scale != 1f) {
      Tensor unscaled = y;
      y = Tensor.zeros(target);
      f.backend.axpby(scale, unscaled, 0f, y); // on the backend: no host copy on a GPU
    }
    f.xShape = x.shape();
    return f.record(y, x);
  }

  @Override
  public String name() {
    return "sum";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor gx = Tensor.zeros(xShape);
    backend.binary(BinaryOp.ADD, Tensor.zeros(xShape), g, gx);
    if (scale != 1f) {
      Tensor unscaled = gx;
      gx = Tensor.zeros(xShape);
      backend.axpby(scale, unscaled, 0f, gx);
    }
    return new Tensor[] {gx};
  }
}
