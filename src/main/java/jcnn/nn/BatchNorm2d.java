package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.backend.UnaryOp;
import jcnn.tensor.Tensor;

/**
 * Batch normalisation (Ioffe and Szegedy 2015) over channel dim 1: y = gamma * (x - mean) /
 * sqrt(var + eps) + beta. Accepts [N, C, H, W] (statistics over N, H, W) and [N, C] (over N), so it
 * also serves as BatchNorm1d.
 *
 * <p>Training mode normalises with the batch statistics and updates the buffers {@code runningMean}
 * and {@code runningVar} (run = (1 - momentum) * run + momentum * batch, the variance unbiased, as
 * in PyTorch); eval mode normalises with the running averages. Parameters {@code gamma} (starts at
 * 1) and {@code beta} (starts at 0), each [C]. Gradient-checked in training mode in {@code
 * LayerGradTest}.
 */
public class BatchNorm2d extends Module {
  private final int channels;
  private final float eps;
  private float momentum;
  private final Parameter gamma; // [C]
  private final Parameter beta; // [C]
  private final Tensor runningMean; // [C]
  private final Tensor runningVar; // [C]

  public BatchNorm2d(int channels, float eps, float momentum) {
    if (channels < 1 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException(
          "BatchNorm2d: bad settings C=" + channels + " eps=" + eps + " momentum=" + momentum);
    }
    this.channels = channels;
    this.eps = eps;
    this.momentum = momentum;
    this.gamma = registerParameter("gamma", new Parameter(Tensor.full(1f, channels)));
    this.beta = registerParameter("beta", new Parameter(Tensor.zeros(channels)));
    this.runningMean = registerBuffer("runningMean", Tensor.zeros(channels));
    this.runningVar = registerBuffer("runningVar", Tensor.full(1f, channels));
  }

  /** eps = 1e-5 and momentum = 0.1, PyTorch's defaults. */
  public BatchNorm2d(int channels) {
    this(channels, 1e-5f, 0.1f);
  }

  /** The weight of a new batch in the running averages. */
  public float momentum() {
    return momentum;
  }

  /**
   * Sets the weight of the next batches in the running averages, in [0, 1]; 1/b at batch b makes
   * them plain means ({@code jcnn.train.WeightAveraging#updateBatchNorm}).
   */
  public void momentum(float m) {
    if (!(m >= 0 && m <= 1)) {
      throw new IllegalArgumentException("BatchNorm2d: momentum must be in [0, 1], got " + m);
    }
    this.momentum = m;
  }

  public Parameter gamma() {
    return gamma;
  }

  public Parameter beta() {
    return beta;
  }

  public Tensor runningMean() {
    return runningMean;
  }

  public Tensor runningVar() {
    return runningVar;
  }

  @Override
  public Variable forward(Variable x) {
    return forward(x, null);
  }

  /**
   * act(this(x)) as one op, act RELU or RELU6 (null: batch norm alone): what {@link Sequential}
   * runs for a batch norm followed by a {@link ReLU} or {@link ReLU6}, the same values and
   * gradients in fewer passes over memory and without the tensor in between.
   */
  public Variable forward(Variable x, UnaryOp act) {
    int rank = x.shape().rank();
    if ((rank != 2 && rank != 4) || x.shape().dim(1) != channels) {
      throw shapeError(
          "input " + x.shape() + " is not [N, " + channels + "] or [N, " + channels + ", H, W]");
    }
    if (isTraining() && x.shape().numel() / channels < 2) {
      throw shapeError(
          "input "
              + x.shape()
              + " has one value per channel; training needs a batch of two or more");
    }
    return F.batchNorm(
        x,
        effective("gamma"),
        effective("beta"),
        runningMean,
        runningVar,
        isTraining(),
        momentum,
        eps,
        act);
  }

  @Override
  protected String extraRepr() {
    return channels + ", eps " + eps + ", momentum " + momentum;
  }
}
