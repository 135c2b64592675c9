package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.backend.PoolSpec;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Average pooling: y[n,c,p,q] = mean of x over the window at (p, q), padded positions not counted.
 * Global average pooling is this op with the window equal to the whole plane.
 *
 * <p>Gradient: each g[n,c,p,q] is spread evenly, g / count, over the positions of its window.
 */
public final class AvgPool2d extends Function {
  private final PoolSpec spec;
  private Shape xShape;

  private AvgPool2d(PoolSpec spec) {
    this.spec = spec;
  }

  public static Variable apply(Variable x, PoolSpec spec) {
    AvgPool2d f = new AvgPool2d(spec);
    Tensor y = Tensor.zeros(spec.outputShape("avgPool2d", x.shape()));
    f.backend.avgPool2dForward(x.value(), spec, y);
    f.xShape = x.shape();
    return f.record(y, x);
  }

  @Override
  public String name() {
    return "avgPool2d";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor gx = Tensor.zeros(xShape);
    backend.avgPool2dBackward(g, spec, gx);
    return new Tensor[] {gx};
  }
}
