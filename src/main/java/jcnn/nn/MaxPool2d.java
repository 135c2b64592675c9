package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.backend.PoolSpec;

/**
 * Max pooling over k x k windows: [N, C, H, W] -> [N, C, P, Q], P = (H + 2 pad - k) / stride + 1.
 * Gradient-checked in {@code LayerGradTest} on inputs without ties.
 */
public class MaxPool2d extends Module {
  private final PoolSpec spec;

  public MaxPool2d(int kernel, int stride, int pad) {
    this(kernel, stride, pad, false);
  }

  /** With {@code ceil}, PyTorch's ceil_mode: the output side rounds up (see {@link PoolSpec}). */
  public MaxPool2d(int kernel, int stride, int pad, boolean ceil) {
    this.spec = new PoolSpec(kernel, kernel, stride, stride, pad, pad, ceil);
  }

  public MaxPool2d(int kernel, int stride) {
    this(kernel, stride, 0);
  }

  @Override
  public Variable forward(Variable x) {
    Pooling.check(this, spec, x);
    return F.maxPool2d(x, spec);
  }

  @Override
  protected String extraRepr() {
    return Pooling.repr(spec);
  }
}
