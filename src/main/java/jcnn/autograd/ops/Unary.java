package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.backend.UnaryOp;
import jcnn.tensor.Tensor;

/**
 * Elementwise y = f(x) for the activations and simple functions of {@link UnaryOp}: relu, relu6,
 * hardtanh, sigmoid, tanh, sign (straight-through), exp, log, neg, square.
 *
 * <p>Gradient: gx = g * f'(x), with f' from {@link UnaryOp#derivative} (sigmoid and tanh use y).
 */
public final class Unary extends Function {
  private final UnaryOp op;
  private Tensor x;
  private Tensor y;

  private Unary(UnaryOp op) {
    this.op = op;
  }

  public static Variable apply(UnaryOp op, Variable x) {
    Unary f = new Unary(op);
    Tensor y = Tensor.zeros(x.shape());
    f.backend.unary(op, x.value(), y);
    f.x = x.value();
    f.y = y;
    return f.record(y, x);
  }

  @Override
  public String name() {
    return op.opName();
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor gx = Tensor.zeros(x.shape());
    backend.unaryBackward(op, x, y, g, gx);
    return new Tensor[] {gx};
  }
}
