package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.backend.PoolSpec;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Max pooling: y[n,c,p,q] = max of x over the window at (p, q). The forward pass remembers where
 * each maximum came from (argmax).
 *
 * <p>Gradient: each g[n,c,p,q] goes to the input position that won its window; overlapping windows
 * sum.
 */
public final class MaxPool2d extends Function {
  private Shape xShape;
  private IntTensor argmax;

  public static Variable apply(Variable x, PoolSpec spec) {
    MaxPool2d f = new MaxPool2d();
    Shape ys = spec.outputShape("maxPool2d", x.shape());
    Tensor y = Tensor.zeros(ys);
    f.argmax = IntTensor.zeros(ys.dims());
    f.backend.maxPool2dForward(x.value(), spec, y, f.argmax);
    f.xShape = x.shape();
    return f.record(y, x);
  }

  @Override
  public String name() {
    return "maxPool2d";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor gx = Tensor.zeros(xShape);
    backend.maxPool2dBackward(g, argmax, gx);
    return new Tensor[] {gx};
  }
}
