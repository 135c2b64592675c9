package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;

/** max(x, 0), elementwise, any shape. Gradient-checked in {@code LayerGradTest}. */
public class ReLU extends Module {

  @Override
  public Variable forward(Variable x) {
    return F.relu(x);
  }
}
