package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.backend.BinaryOp;
import jcnn.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014): y = x * mask, each mask value 0 with probability p and
 * 1/(1-p) otherwise, so eval needs no rescaling. The mask comes from a seed, so a run is
 * reproducible on any backend and thread count.
 *
 * <p>Gradient: gx = g * mask.
 */
public final class Dropout extends Function {
  private Tensor mask;

  public static Variable apply(Variable x, float p, long seed) {
    if (!(p >= 0f && p < 1f)) {
      throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
    }
    Dropout f = new Dropout();
    f.mask = Tensor.zeros(x.shape());
    f.backend.dropoutMask(seed, p, f.mask);
    Tensor y = Tensor.zeros(x.shape());
    f.backend.binary(BinaryOp.MUL, x.value(), f.mask, y);
    return f.record(y, x);
  }

  @Override
  public String name() {
    return "dropout";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor gx = Tensor.zeros(g.shape());
    backend.binary(BinaryOp.MUL, g, mask, gx);
    return new Tensor[] {gx};
  }
}
