package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.backend.BinaryOp;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Elementwise a (op) b with NumPy broadcasting.
 *
 * <p>Gradients, each summed back down to its input's shape (the reverse of broadcasting): add: ga =
 * g, gb = g; sub: ga = g, gb = -g; mul: ga = g*b, gb = g*a; div: ga = g/b, gb = -g*a/b^2 = -g*y/b.
 */
public final class Binary extends Function {
  private final BinaryOp op;
  private Tensor a;
  private Tensor b;
  private Tensor y;

  private Binary(BinaryOp op) {
    this.op = op;
  }

  public static Variable apply(BinaryOp op, Variable a, Variable b) {
    Binary f = new Binary(op);
    Shape outShape = Shape.broadcast(f.name(), a.shape(), b.shape());
    Tensor y = Tensor.zeros(outShape);
    f.backend.binary(op, a.value(), b.value(), y);
    f.a = a.value();
    f.b = b.value();
    f.y = y;
    return f.record(y, a, b);
  }

  @Override
  public String name() {
    return op.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor ga = null;
    Tensor gb = null;
    switch (op) {
      case ADD -> {
        ga = needsGrad(0) ? reduce(g, a.shape(), 1f) : null;
        gb = needsGrad(1) ? reduce(g, b.shape(), 1f) : null;
      }
      case SUB -> {
        ga = needsGrad(0) ? reduce(g, a.shape(), 1f) : null;
        gb = needsGrad(1) ? reduce(g, b.shape(), -1f) : null;
      }
      case MUL -> {
        ga = needsGrad(0) ? reduce(times(g, b), a.shape(), 1f) : null;
        gb = needsGrad(1) ? reduce(times(g, a), b.shape(), 1f) : null;
      }
      case DIV -> {
        if (needsGrad(0)) {
          Tensor t = Tensor.zeros(g.shape());
          backend.binary(BinaryOp.DIV, g, b, t);
          ga = reduce(t, a.shape(), 1f);
        }
        if (needsGrad(1)) {
          Tensor t = times(g, y);
          Tensor q = Tensor.zeros(g.shape());
          backend.binary(BinaryOp.DIV, t, b, q);
          gb = reduce(q, b.shape(), -1f);
        }
      }
    }
    return new Tensor[] {ga, gb};
  }

  /** g * other, in g's (the output's) shape. */
  private Tensor times(Tensor g, Tensor other) {
    Tensor t = Tensor.zeros(g.shape());
    backend.binary(BinaryOp.MUL, g, other, t);
    return t;
  }

  /** scale * g summed down to {@code target}; g itself when nothing is to be done. */
  private Tensor reduce(Tensor g, Shape target, float scale) {
    Tensor r = g;
    if (!g.shape().equals(target)) {
      r = Tensor.zeros(target);
      backend.sumTo(g, r);
    }
    if (scale != 1f) {
      Tensor s = Tensor.zeros(target);
      backend.axpby(scale, r, 0f, s);
      r = s;
    }
    return r;
  }
}
