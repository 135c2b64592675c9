package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;

/**
 * [N, d1, d2, ...] -> [N, d1 * d2 * ...], a view: the bridge from convolutions to linear layers.
 * Gradient-checked in {@code LayerGradTest}.
 */
public class Flatten extends Module {

  @Override
  public Variable forward(Variable x) {
    if (x.shape().rank() < 2) {
      throw shapeError("input " + x.shape() + " has no dims to flatten after the batch dim");
    }
    return F.flatten(x);
  }
}
