package jcnn.backend;

import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;

/**
 * The primitive operations every jcnn backend implements. Autograd ops ({@code jcnn.autograd.ops})
 * are written against this interface only, so the compiler proves each backend complete.
 *
 * <p>Conventions (EJML style): every method checks its shapes first and throws {@link
 * IllegalArgumentException} naming the op and printing the shapes; results go into caller-supplied
 * output tensors, which are overwritten unless the method says it accumulates. Outputs never alias
 * inputs unless a method says so. Shape legend: N batch, C in-channels, K out-channels, H x W
 * input, R x S filter, P x Q output.
 */
public interface Backend {

  /** A short name: {@code reference}, {@code cpu}, {@code cuda}. */
  String name();

  /**
   * Waits until all work queued so far has finished. CPU backends finish each call before
   * returning, so this does nothing; a GPU backend queues kernels and returns at once, so timing
   * code calls this before reading the clock. Not a primitive: a default method.
   */
  default void sync() {}

  /**
   * True when tensors live in host memory, so reading one on the host is free. A GPU backend says
   * false, and autograd then skips its per-op NaN/Inf check, which would copy every gradient to the
   * host (PyTorch's anomaly detection is off by default for the same reason); a NaN still shows in
   * the loss.
   */
  default boolean hostMemory() {
    return true;
  }

  /**
   * True when every value of t is finite (no NaN, no infinity): autograd's per-op anomaly check
   * runs this on every gradient of every step, so a CPU backend makes it a vectorised pass. Not a
   * primitive: a default method, the scalar loop of {@link Tensor#allFinite}.
   */
  default boolean allFinite(Tensor t) {
    return t.allFinite();
  }

  // ---------------------------------------------------------------- elementwise

  /** out = a (op) b with NumPy broadcasting; out must have the broadcast shape. */
  void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

  /** out = op(x); out may be x itself. */
  void unary(UnaryOp op, Tensor x, Tensor out);

  /** gx = gy * op'(x) where y = op(x); all four have the same shape. */
  void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx);

  /** y = alpha * x + beta * y (same sizes). beta = 0 overwrites y, ignoring what it held. */
  void axpby(float alpha, Tensor x, float beta, Tensor y);

  /**
   * out = x summed down to out's shape: the reverse of broadcasting. After left-padding out's shape
   * with 1s to x's rank, each of out's dims equals x's or is 1 (summed over). Any one-element out
   * (of any rank) receives the total.
   */
  void sumTo(Tensor x, Tensor out);

  // ---------------------------------------------------------------- linear algebra

  /**
   * c = alpha * op(a) * op(b) + beta * c for 2-D tensors, op(m) = m or m^T. op(a) is [M, K], op(b)
   * is [K, N], c is [M, N]. beta = 0 overwrites c, ignoring what it held.
   */
  void matmul(
      Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, float alpha, float beta);

  // ---------------------------------------------------------------- convolution

  /**
   * y = conv2d(x, w) + bias. x [N, C, H, W], w [K, C/groups, R, S], bias [K] or null, y [N, K, P,
   * Q].
   */
  void conv2dForward(Tensor x, Tensor w, Tensor bias, ConvSpec spec, Tensor y);

  /** gx = dL/dx from gy [N, K, P, Q] and w; gx [N, C, H, W] is overwritten. */
  void conv2dBackwardData(Tensor gy, Tensor w, ConvSpec spec, Tensor gx);

  /** gw = dL/dw from x and gy; gw [K, C/groups, R, S] is overwritten. */
  void conv2dBackwardWeight(Tensor x, Tensor gy, ConvSpec spec, Tensor gw);

  // ---------------------------------------------------------------- pooling

  /**
   * y = max over each window; argmax (same shape as y) receives the winning position as an index
   * into the input plane (h * W + w) for the backward pass. The window is scanned row-major and
   * only a strictly greater value replaces the best, so the first of tied values wins; a NaN wins
   * over any number (the first NaN), so it shows in the output. Padding must be smaller than the
   * window, so no window lies wholly in the padding.
   */
  void maxPool2dForward(Tensor x, PoolSpec spec, Tensor y, IntTensor argmax);

  /** gx = gy routed to the argmax positions (summed where windows overlap); gx is overwritten. */
  void maxPool2dBackward(Tensor gy, IntTensor argmax, Tensor gx);

  /** y = mean over each window, padding not counted. */
  void avgPool2dForward(Tensor x, PoolSpec spec, Tensor y);

  /** gx = each gy spread evenly over its window; gx is overwritten. */
  void avgPool2dBackward(Tensor gy, PoolSpec spec, Tensor gx);

  // ---------------------------------------------------------------- batch norm

  /**
   * Batch normalisation over channel dim 1 of x ([N, C] or [N, C, H, W]). Training: normalise with
   * the batch statistics, write them to saveMean and saveInvStd ([C]; invStd = 1/sqrt(var + eps),
   * biased var), and update the running averages: run = (1 - momentum) * run + momentum * batch,
   * the running variance taking the unbiased batch variance. Eval: normalise with the running
   * averages, and write those to saveMean/saveInvStd too.
   */
  void batchNormForward(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      float momentum,
      float eps,
      Tensor y,
      Tensor saveMean,
      Tensor saveInvStd);

  /**
   * Gradients of batch norm. training = true differentiates through the batch statistics; false
   * treats mean and invStd as constants. gx, gGamma, gBeta are overwritten.
   */
  void batchNormBackward(
      Tensor x,
      Tensor gy,
      Tensor gamma,
      Tensor saveMean,
      Tensor saveInvStd,
      boolean training,
      Tensor gx,
      Tensor gGamma,
      Tensor gBeta);

  /**
   * Batch norm followed by act (RELU or RELU6) on its output, y = act(batchNorm(x)): the pair every
   * MobileNet and ResNet block runs, which a backend may do in one pass without the intermediate
   * tensor; act null is batch norm alone. Arguments as in {@link #batchNormForward}. Not a
   * primitive: the default runs the two ops.
   */
  default void batchNormActForward(
      UnaryOp act,
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      float momentum,
      float eps,
      Tensor y,
      Tensor saveMean,
      Tensor saveInvStd) {
    Checks.batchNormActivation("batchNormActForward", act);
    batchNormForward(
        x, gamma, beta, runningMean, runningVar, training, momentum, eps, y, saveMean, saveInvStd);
    if (act != null) {
      unary(act, y, y);
    }
  }

  /**
   * Gradients of {@link #batchNormActForward} from its output y: the activation passes gy where y
   * lies strictly inside its range (act'(z) is then 1, else 0), and batch norm takes the rest. A
   * backend may instead recompute z = batchNorm(x) from x, gamma, beta and the saved statistics
   * (bit for bit as its forward did) and so not read y. act null is batch norm alone. gx, gGamma,
   * gBeta are overwritten. Not a primitive: the default runs the two backward ops.
   */
  default void batchNormActBackward(
      UnaryOp act,
      Tensor x,
      Tensor y,
      Tensor gy,
      Tensor gamma,
      Tensor beta,
      Tensor saveMean,
      Tensor saveInvStd,
      boolean training,
      Tensor gx,
      Tensor gGamma,
      Tensor gBeta) {
    Checks.batchNormActivation("batchNormActBackward", act);
    Tensor gz = gy;
    if (act != null) {
      gz = Tensor.zeros(gy.shape());
      unaryBackward(act, y, y, gy, gz); // act'(z) read from y: same mask for RELU and RELU6
    }
    batchNormBackward(x, gz, gamma, saveMean, saveInvStd, training, gx, gGamma, gBeta);
  }

  // ---------------------------------------------------------------- dropout, concat

  /**
   * Inverted-dropout mask: each element is 0 with probability p in [0, 1], else 1/(1-p). Element i
   * is kept iff {@code jcnn.backend.cpu.DropoutHash.keep(seed, i, p)} (a counter-based SplitMix64
   * hash), so the same seed gives the same mask on every backend and thread count.
   */
  void dropoutMask(long seed, float p, Tensor mask);

  /** out = xs concatenated along {@code axis}; all other dims equal. */
  void concat(Tensor[] xs, int axis, Tensor out);

  /** The reverse of concat: splits g along axis into outs (overwritten). */
  void split(Tensor g, int axis, Tensor[] outs);

  // ---------------------------------------------------------------- loss

  /**
   * Fused, numerically stable softmax cross-entropy over rows of logits [N, classes]: probs gets
   * softmax(logits); returns the mean over rows of -log probs[label]. Labels are [N] in [0,
   * classes).
   */
  double softmaxCrossEntropy(Tensor logits, IntTensor labels, Tensor probs);

  /** gLogits = scale * (probs - onehot(labels)); scale is usually gLoss / N. */
  void softmaxCrossEntropyBackward(Tensor probs, IntTensor labels, float scale, Tensor gLogits);

  // ---------------------------------------------------------------- gather / scatter

  /** out[i] = table[idx[i]] over the flattened tensors; idx and out have the same size. */
  void gather(Tensor table, IntTensor idx, Tensor out);

  /** table[idx[i]] += src[i]: accumulates into table (the backward of gather). */
  void scatterAdd(Tensor src, IntTensor idx, Tensor table);

  // ---------------------------------------------------------------- optimizer updates

  /**
   * One SGD step in place, PyTorch semantics: g' = g + weightDecay * w; with momentum, v = momentum
   * * v + g' and the step is v (or g' + momentum * v with Nesterov); w -= lr * step. velocity may
   * be null when momentum is 0.
   */
  void sgdStep(
      Tensor w,
      Tensor g,
      Tensor velocity,
      float lr,
      float momentum,
      float weightDecay,
      boolean nesterov);

  /**
   * One Adam step in place (Kingma and Ba, with L2 weight decay added to the gradient as in
   * PyTorch's Adam): m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr * mhat / (sqrt(vhat) +
   * eps), with bias corrections for {@code step} (1-based).
   */
  void adamStep(
      Tensor w,
      Tensor g,
      Tensor m,
      Tensor v,
      float lr,
      float beta1,
      float beta2,
      float eps,
      float weightDecay,
      int step);
}
