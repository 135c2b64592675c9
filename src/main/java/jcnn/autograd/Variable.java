package jcnn.autograd;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * A node of the autograd graph: a {@link Tensor} value, its gradient, and the {@link Function} that
 * produced it (null for leaves such as inputs and parameters).
 *
 * <p>Call order in training: {@code zeroGrad -> forward -> loss.backward() -> optimizer step}.
 * Gradients of leaves accumulate across backward passes until {@link #zeroGrad}.
 */
public class Variable {
  private final Tensor value;
  private Tensor grad;
  private boolean requiresGrad;
  private Function creator;

  public Variable(Tensor value, boolean requiresGrad) {
    this.value = value;
    this.requiresGrad = requiresGrad;
  }

  /** A leaf that needs no gradient: inputs, labels, constants. */
  public static Variable constant(Tensor value) {
    return new Variable(value, false);
  }

  /** A leaf whose gradient is wanted. */
  public static Variable param(Tensor value) {
    return new Variable(value, true);
  }

  /** An op output: requires grad when its creator records one. */
  static Variable result(Tensor value, Function creator) {
    Variable v = new Variable(value, creator != null);
    v.creator = creator;
    return v;
  }

  public Tensor value() {
    return value;
  }

  public Shape shape() {
    return value.shape();
  }

  /** The accumulated gradient of a leaf, or null before the first backward. */
  public Tensor grad() {
    return grad;
  }

  public void setGrad(Tensor g) {
    this.grad = g;
  }

  public void zeroGrad() {
    if (grad != null) {
      grad.fill(0);
    }
  }

  public boolean requiresGrad() {
    return requiresGrad;
  }

  public Variable requiresGrad(boolean r) {
    if (creator != null) {
      throw new IllegalStateException("requiresGrad can only be set on leaves");
    }
    this.requiresGrad = r;
    return this;
  }

  public boolean isLeaf() {
    return creator == null;
  }

  /** The op that produced this value, or null for a leaf. */
  public Function creator() {
    return creator;
  }

  void dropCreator() {
    creator = null;
  }

  /** The same value cut from the graph. */
  public Variable detach() {
    return constant(value);
  }

  /** Backpropagates from this one-element value (a loss) with seed gradient 1. */
  public void backward() {
    if (value.numel() != 1) {
      throw new IllegalStateException(
          "backward() needs a one-element loss; got shape " + value.shape() + ", pass a gradient");
    }
    backward(Tensor.full(1f, value.shape().dims()));
  }

  /** Backpropagates from this value with the given gradient of the same shape. */
  public void backward(Tensor seed) {
    Autograd.backward(this, seed);
  }

  @Override
  public String toString() {
    return "Variable" + value.shape() + (creator != null ? " <- " + creator.name() : "");
  }
}
