package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;

/**
 * BNN's binary activation (Hubara et al. 2016): sign(x) in {-1, +1}, with the straight-through
 * gradient of hardtanh, g * 1{|x| &lt;= 1} ({@link F#signSte}). It takes the place of the ReLU
 * after each batch norm of a network trained with binary activations; the batch norm centres its
 * input, so the sign carries information. Tested in {@code QuantizationTest}.
 */
public final class BinaryActivation extends Module {

  @Override
  public Variable forward(Variable x) {
    return F.signSte(x);
  }
}
