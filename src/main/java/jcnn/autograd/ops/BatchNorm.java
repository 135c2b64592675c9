package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.backend.Checks;
import jcnn.backend.UnaryOp;
import jcnn.tensor.Tensor;

/**
 * Batch normalisation (Ioffe and Szegedy 2015) over channel dim 1 of [N, C] or [N, C, H, W]: y =
 * gamma * (x - mean) * invStd + beta, invStd = 1 / sqrt(var + eps). In training the batch's
 * statistics are used (and folded into the running averages); in eval the running averages.
 *
 * <p>Gradients, with xhat = (x - mean) * invStd and m = N*H*W values per channel: gbeta = sum g,
 * ggamma = sum g * xhat; in training gx = gamma * invStd / m * (m * g - sum g - xhat * sum(g *
 * xhat)); in eval gx = gamma * invStd * g.
 */
public final class BatchNorm extends Function {
  private final boolean training;
  private final UnaryOp act; // null: batch norm alone
  private Tensor x;
  private Tensor y; // the output, kept when act is set: act's derivative is read from it
  private Tensor gamma;
  private Tensor beta; // kept when act is set
  private Tensor saveMean;
  private Tensor saveInvStd;

  private BatchNorm(boolean training, UnaryOp act) {
    this.training = training;
    this.act = act;
  }

  /**
   * Normalises x; in training also updates runningMean and runningVar in place (they are buffers,
   * not differentiated).
   */
  public static Variable apply(
      Variable x,
      Variable gamma,
      Variable beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      float momentum,
      float eps) {
    return apply(x, gamma, beta, runningMean, runningVar, training, momentum, eps, null);
  }

  /**
   * act(batchNorm(x)) as one op, act RELU or RELU6 (or null for batch norm alone): the backend may
   * do both in one pass, and no tensor holds the normalised values before the activation.
   */
  public static Variable apply(
      Variable x,
      Variable gamma,
      Variable beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      float momentum,
      float eps,
      UnaryOp act) {
    Checks.batchNormActivation("batchNorm", act);
    BatchNorm f = new BatchNorm(training, act);
    if (x.shape().rank() != 2 && x.shape().rank() != 4) {
      throw new IllegalArgumentException(
          "batchNorm: input " + x.shape() + " must be [N, C] or [N, C, H, W]");
    }
    int c = x.shape().dim(1);
    if (!gamma.shape().equals(jcnn.tensor.Shape.of(c)) || !beta.shape().equals(gamma.shape())) {
      throw new IllegalArgumentException(
          "batchNorm: input "
              + x.shape()
              + " needs gamma and beta of shape ["
              + c
              + "], got "
              + gamma.shape()
              + " and "
              + beta.shape());
    }
    Tensor y = Tensor.zeros(x.shape());
    f.saveMean = Tensor.zeros(c);
    f.saveInvStd = Tensor.zeros(c);
    f.backend.batchNormActForward(
        act,
        x.value(),
        gamma.value(),
        beta.value(),
        runningMean,
        runningVar,
        training,
        momentum,
        eps,
        y,
        f.saveMean,
        f.saveInvStd);
    if (act != null) {
      f.y = y;
      f.beta = beta.value();
    }
    f.x = x.value();
    f.gamma = gamma.value();
    return f.record(y, x, gamma, beta);
  }

  @Override
  public String name() {
    return act == null ? "batchNorm" : "batchNorm+" + act.opName();
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor gx = Tensor.zeros(x.shape());
    Tensor gGamma = Tensor.zeros(gamma.shape());
    Tensor gBeta = Tensor.zeros(gamma.shape());
    backend.batchNormActBackward(
        act, x, y, g, gamma, beta, saveMean, saveInvStd, training, gx, gGamma, gBeta);
    return new Tensor[] {gx, gGamma, gBeta};
  }
}
