package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;

/**
 * min(max(x, 0), 6), elementwise: MobileNet's activation, bounded so that low-precision weights
 * keep their range. Gradient-checked in {@code LayerGradTest}.
 */
public class ReLU6 extends Module {

  @Override
  public Variable forward(Variable x) {
    return F.relu6(x);
  }
}
