package jcnn.autograd;

import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.tensor.Tensor;

/**
 * One differentiable primitive: a subclass computes its output in its static {@code apply} method
 * (through {@link #record}) and the gradients of its inputs in {@link #backward}, side by side,
 * with the formula in its Javadoc (micrograd style).
 */
public abstract class Function {
  /** The backend this op ran on; its backward runs there too. */
  protected final Backend backend;

  private Variable[] inputs;

  protected Function() {
    this.backend = Backends.current();
  }

  /** Short op name for errors and graph dumps, e.g. {@code conv2d}. */
  public abstract String name();

  /**
   * Gradients with respect to each input, given the gradient of the output. Entries may be null
   * where {@link #needsGrad(int)} is false. A returned tensor must not alias {@code gradOutput}
   * unless the op is the identity on that input.
   */
  protected abstract Tensor[] backward(Tensor gradOutput);

  /** Wraps {@code value} as this op's output, recording the op when any input needs a gradient. */
  protected final Variable record(Tensor value, Variable... in) {
    OpTrace.add(this, value.shape(), in);
    boolean anyGrad = false;
    for (Variable v : in) {
      anyGrad |= v.requiresGrad();
    }
    if (!anyGrad || !GradMode.isEnabled()) {
      return Variable.constant(value);
    }
    this.inputs = in;
    return Variable.result(value, this);
  }

  /** Whether input {@code i} wants a gradient. */
  protected final boolean needsGrad(int i) {
    return inputs[i].requiresGrad();
  }

  final Variable[] inputs() {
    return inputs;
  }

  final void release() {
    inputs = null;
  }
}
