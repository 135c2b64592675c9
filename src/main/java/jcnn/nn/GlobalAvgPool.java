package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;

/**
 * The mean of each channel plane, [N, C, H, W] -> [N, C]: the head of ResNets and MobileNets before
 * the classifier. Gradient-checked in {@code LayerGradTest}.
 */
public class GlobalAvgPool extends Module {

  @Override
  public Variable forward(Variable x) {
    if (x.shape().rank() != 4) {
      throw shapeError("input " + x.shape() + " is not [N, C, H, W]");
    }
    return F.globalAvgPool(x); // [N, C]
  }
}
