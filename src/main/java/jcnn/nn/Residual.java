package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;

/**
 * A residual unit (He et al. 2016): y = act(body(x) + shortcut(x)). The shortcut is the identity
 * unless a module is given (a 1x1 strided convolution with batch norm, the "projection" used when
 * the body changes the shape); the activation is optional. A ResNet basic block is {@code new
 * Residual(conv-bn-relu-conv-bn, projectionOrNull, new ReLU())}. Children: {@code body}, then
 * {@code shortcut} and {@code act} where present. Gradient-checked in {@code LayerGradTest} with
 * and without projection.
 */
public class Residual extends Module {
  private final boolean hasShortcut; // false: identity
  private final boolean hasAct;

  /** shortcut null means identity; act null means no activation after the sum. */
  public Residual(Module body, Module shortcut, Module act) {
    registerModule("body", body);
    this.hasShortcut = shortcut != null;
    if (hasShortcut) {
      registerModule("shortcut", shortcut);
    }
    this.hasAct = act != null;
    if (hasAct) {
      registerModule("act", act);
    }
  }

  /** y = body(x) + x. */
  public Residual(Module body) {
    this(body, null, null);
  }

  @Override
  public Variable forward(Variable x) {
    Variable main = child("body").forward(x);
    Variable skip = hasShortcut ? child("shortcut").forward(x) : x;
    if (!main.shape().equals(skip.shape())) {
      throw shapeError(
          "body output "
              + main.shape()
              + " and shortcut output "
              + skip.shape()
              + " differ for input "
              + x.shape()
              + (!hasShortcut ? " (an identity shortcut needs a shape-keeping body)" : ""));
    }
    Variable y = F.add(main, skip);
    return hasAct ? child("act").forward(y) : y;
  }
}
