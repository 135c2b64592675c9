package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.tensor.Tensor;

/**
 * A trainable tensor of a {@link Module}: a leaf {@link Variable} that requires grad. Modules find
 * their parameters by registration ({@code Module.registerParameter}), optimizers update them in
 * place. Tested through the layer and module tests.
 */
public class Parameter extends Variable {

  public Parameter(Tensor value) {
    super(value, true);
  }

  @Override
  public String toString() {
    return "Parameter" + shape();
  }
}
