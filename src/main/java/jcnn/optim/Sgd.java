package jcnn.optim;

import java.util.List;
import jcnn.backend.Backends;
import jcnn.nn.Parameter;
import jcnn.tensor.Tensor;

/**
 * Stochastic gradient descent with PyTorch's semantics: g' = g + weightDecay * w; with momentum, v
 * = momentum * v + g' (v starts at 0, created on a parameter's first step) and the step is v, or g'
 * + momentum * v with Nesterov; w -= lr * step. The arithmetic is {@code Backend.sgdStep}. State
 * key per parameter: {@code "<i>.momentum"}. Tested against hand-computed steps in {@code
 * OptimizerTest}.
 */
public class Sgd extends Optimizer {
  private final float momentum;
  private final float weightDecay;
  private final boolean nesterov;
  private final Tensor[] velocity;

  public Sgd(
      List<Parameter> params, double lr, double momentum, double weightDecay, boolean nesterov) {
    super(params, lr);
    if (!(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
      throw new IllegalArgumentException(
          "Sgd: need 0 <= momentum < 1 and weightDecay >= 0, got " + momentum + ", " + weightDecay);
    }
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException("Sgd: Nesterov needs a momentum > 0");
    }
    this.momentum = (float) momentum;
    this.weightDecay = (float) weightDecay;
    this.nesterov = nesterov;
    this.velocity = new Tensor[this.params.size()];
  }

  /** Plain SGD: no momentum, no weight decay. */
  public Sgd(List<Parameter> params, double lr) {
    this(params, lr, 0, 0, false);
  }

  @Override
  protected void update(int i, Parameter p) {
    if (momentum != 0 && velocity[i] == null) {
      velocity[i] = Tensor.zeros(p.shape());
    }
    Backends.current()
        .sgdStep(p.value(), p.grad(), velocity[i], (float) lr(), momentum, weightDecay, nesterov);
  }

  @Override
  protected List<String> stateNames() {
    return List.of("momentum");
  }

  @Override
  protected Tensor stateTensor(int i, String name) {
    return velocity[i];
  }

  @Override
  protected void setStateTensor(int i, String name, Tensor t) {
    velocity[i] = t;
  }
}
