package jcnn.optim;

import java.util.List;
import jcnn.backend.Backends;
import jcnn.nn.Parameter;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Adam (Kingma and Ba 2015) with PyTorch's semantics: g' = g + weightDecay * w (L2, not AdamW); m =
 * b1 m + (1 - b1) g'; v = b2 v + (1 - b2) g'^2; w -= lr * mhat / (sqrt(vhat) + eps) with mhat = m /
 * (1 - b1^t), vhat = v / (1 - b2^t). Like PyTorch, t counts the steps this parameter took, so a
 * parameter that sat out a step (null gradient) is not over-corrected. The arithmetic is {@code
 * Backend.adamStep}. State keys per parameter: {@code "<i>.m"}, {@code "<i>.v"} and {@code
 * "<i>.step"}. Tested against hand-computed steps in {@code OptimizerTest}.
 */
public class Adam extends Optimizer {
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float weightDecay;
  private final Tensor[] m;
  private final Tensor[] v;
  private final int[] t;

  public Adam(
      List<Parameter> params,
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay) {
    super(params, lr);
    if (!(beta1 >= 0 && beta1 < 1)
        || !(beta2 >= 0 && beta2 < 1)
        || !(eps > 0)
        || !(weightDecay >= 0)) {
      throw new IllegalArgumentException(
          "Adam: need betas in [0, 1), eps > 0, weightDecay >= 0; got "
              + beta1
              + ", "
              + beta2
              + ", "
              + eps
              + ", "
              + weightDecay);
    }
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.eps = (float) eps;
    this.weightDecay = (float) weightDecay;
    int n = this.params.size();
    this.m = new Tensor[n];
    this.v = new Tensor[n];
    this.t = new int[n];
  }

  /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
  public Adam(List<Parameter> params, double lr) {
    this(params, lr, 0.9, 0.999, 1e-8, 0);
  }

  @Override
  protected void update(int i, Parameter p) {
    if (m[i] == null) {
      m[i] = Tensor.zeros(p.shape());
      v[i] = Tensor.zeros(p.shape());
    }
    t[i]++;
    Backends.current()
        .adamStep(
            p.value(), p.grad(), m[i], v[i], (float) lr(), beta1, beta2, eps, weightDecay, t[i]);
  }

  @Override
  protected List<String> stateNames() {
    return List.of("m", "v", "step");
  }

  @Override
  protected Tensor stateTensor(int i, String name) {
    return switch (name) {
      case "m" -> m[i];
      case "v" -> v[i];
      default -> m[i] == null ? null : Tensor.scalar(t[i]);
    };
  }

  @Override
  protected Shape stateShape(int i, String name) {
    return name.equals("step") ? Shape.of() : super.stateShape(i, name);
  }

  @Override
  protected void setStateTensor(int i, String name, Tensor x) {
    switch (name) {
      case "m" -> m[i] = x;
      case "v" -> v[i] = x;
      default -> t[i] = x == null ? 0 : Math.round(x.item());
    }
  }
}
