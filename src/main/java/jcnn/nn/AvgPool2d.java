package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.backend.PoolSpec;

/**
 * Average pooling over k x k windows (padding not counted): [N, C, H, W] -> [N, C, P, Q].
 * Gradient-checked in {@code LayerGradTest}.
 */
public class AvgPool2d extends Module {
  private final PoolSpec spec;

  public AvgPool2d(int kernel, int stride, int pad) {
    this.spec = PoolSpec.of(kernel, stride, pad);
  }

  public AvgPool2d(int kernel, int stride) {
    this(kernel, stride, 0);
  }

  @Override
  public Variable forward(Variable x) {
    Pooling.check(this, spec, x);
    return F.avgPool2d(x, spec);
  }

  @Override
  protected String extraRepr() {
    return Pooling.repr(spec);
  }
}
