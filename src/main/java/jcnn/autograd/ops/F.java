package jcnn.autograd.ops;

import jcnn.autograd.Variable;
import jcnn.backend.BinaryOp;
import jcnn.backend.ConvSpec;
import jcnn.backend.PoolSpec;
import jcnn.backend.UnaryOp;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * The functional face of autograd, like {@code torch.nn.functional}: one static method per
 * primitive, plus composites (linear, relu6, global average pooling, mean, ...) written from
 * primitives, which need no backward of their own.
 */
public final class F {
  private F() {}

  // ------------------------------------------------------------ elementwise

  public static Variable add(Variable a, Variable b) {
    return Binary.apply(BinaryOp.ADD, a, b);
  }

  public static Variable sub(Variable a, Variable b) {
    return Binary.apply(BinaryOp.SUB, a, b);
  }

  public static Variable mul(Variable a, Variable b) {
    return Binary.apply(BinaryOp.MUL, a, b);
  }

  public static Variable div(Variable a, Variable b) {
    return Binary.apply(BinaryOp.DIV, a, b);
  }

  /** x times a constant. */
  public static Variable scale(Variable x, float c) {
    return mul(x, Variable.constant(Tensor.scalar(c)));
  }

  public static Variable unary(UnaryOp op, Variable x) {
    return Unary.apply(op, x);
  }

  public static Variable relu(Variable x) {
    return Unary.apply(UnaryOp.RELU, x);
  }

  /** min(max(x, 0), 6), MobileNet's activation. */
  public static Variable relu6(Variable x) {
    return Unary.apply(UnaryOp.RELU6, x);
  }

  public static Variable hardtanh(Variable x) {
    return Unary.apply(UnaryOp.HARDTANH, x);
  }

  public static Variable sigmoid(Variable x) {
    return Unary.apply(UnaryOp.SIGMOID, x);
  }

  public static Variable tanh(Variable x) {
    return Unary.apply(UnaryOp.TANH, x);
  }

  /** sign(x) in {-1, +1} with the straight-through gradient 1{|x| <= 1} (BinaryConnect, BNN). */
  public static Variable signSte(Variable x) {
    return Unary.apply(UnaryOp.SIGN, x);
  }

  /**
   * Binarized weights with the straight-through gradient (BinaryConnect, BNN), deterministic or
   * stochastic (seeded), optionally scaled per output channel by mean |w| (XNOR-Net); see {@link
   * Binarize}.
   */
  public static Variable binarize(Variable w, boolean stochastic, long seed, boolean scaled) {
    return Binarize.apply(w, stochastic, seed, scaled);
  }

  /** TWN's ternary weights: threshold 0.7 mean|w|, one scale per layer; see {@link Ternarize}. */
  public static Variable ternarize(Variable w) {
    return Ternarize.apply(w);
  }

  /** TTQ's ternary weights {wp, 0, -wn} at threshold t max|w|; see {@link TrainedTernary}. */
  public static Variable trainedTernary(Variable w, Variable wp, Variable wn, double t) {
    return TrainedTernary.apply(w, wp, wn, t);
  }

  // ------------------------------------------------------------ linear algebra

  public static Variable matmul(Variable a, Variable b) {
    return MatMul.apply(a, false, b, false);
  }

  public static Variable matmul(Variable a, boolean transA, Variable b, boolean transB) {
    return MatMul.apply(a, transA, b, transB);
  }

  /** y = x w^T + b, PyTorch's layout: x [N, in], w [out, in], b [out] or null. */
  public static Variable linear(Variable x, Variable w, Variable b) {
    Variable y = MatMul.apply(x, false, w, true); // [N, out]
    return b == null ? y : add(y, b);
  }

  // ------------------------------------------------------------ convolution and pooling

  public static Variable conv2d(Variable x, Variable w, Variable bias, ConvSpec spec) {
    return Conv2d.apply(x, w, bias, spec);
  }

  public static Variable maxPool2d(Variable x, PoolSpec spec) {
    return MaxPool2d.apply(x, spec);
  }

  public static Variable avgPool2d(Variable x, PoolSpec spec) {
    return AvgPool2d.apply(x, spec);
  }

  /** Mean over each channel plane: [N, C, H, W] -> [N, C]. */
  public static Variable globalAvgPool(Variable x) {
    Shape s = x.shape();
    if (s.rank() != 4) {
      throw new IllegalArgumentException("globalAvgPool: input " + s + " must be [N, C, H, W]");
    }
    PoolSpec whole = new PoolSpec(s.dim(2), s.dim(3), 1, 1, 0, 0);
    return reshape(AvgPool2d.apply(x, whole), s.dim(0), s.dim(1));
  }

  /** Each [H, W] plane of x [N, C, H, W] resized to [outH, outW], antialiased bilinear. */
  public static Variable resize(Variable x, int outH, int outW) {
    return Resize.apply(x, outH, outW);
  }

  // ------------------------------------------------------------ normalisation, regularisation

  public static Variable batchNorm(
      Variable x,
      Variable gamma,
      Variable beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      float momentum,
      float eps) {
    return BatchNorm.apply(x, gamma, beta, runningMean, runningVar, training, momentum, eps);
  }

  /** act(batchNorm(x)) in one op, act RELU or RELU6: see {@link BatchNorm}. */
  public static Variable batchNorm(
      Variable x,
      Variable gamma,
      Variable beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      float momentum,
      float eps,
      UnaryOp act) {
    return BatchNorm.apply(x, gamma, beta, runningMean, runningVar, training, momentum, eps, act);
  }

  /** Inverted dropout in training; the identity in eval. */
  public static Variable dropout(Variable x, float p, long seed, boolean training) {
    return training && p > 0 ? Dropout.apply(x, p, seed) : x;
  }

  // ------------------------------------------------------------ shape

  public static Variable concat(int axis, Variable... xs) {
    return Concat.apply(axis, xs);
  }

  public static Variable reshape(Variable x, int... dims) {
    return Reshape.apply(x, dims);
  }

  /** [N, ...] -> [N, rest]. */
  public static Variable flatten(Variable x) {
    return reshape(x, x.shape().dim(0), x.shape().sizeFrom(1));
  }

  // ------------------------------------------------------------ reductions and loss

  /** Sum of all elements, a one-element result of shape []. */
  public static Variable sum(Variable x) {
    return Sum.apply(x, Shape.of(), 1f);
  }

  /** Mean of all elements. */
  public static Variable mean(Variable x) {
    return Sum.apply(x, Shape.of(), 1f / x.shape().numel());
  }

  /** x summed down to {@code target} (dims of 1 are summed over), the reverse of broadcasting. */
  public static Variable sumTo(Variable x, Shape target) {
    return Sum.apply(x, target, 1f);
  }

  /** Mean over the batch of the softmax cross-entropy of logits [N, classes] and labels [N]. */
  public static Variable softmaxCrossEntropy(Variable logits, IntTensor labels) {
    return SoftmaxCrossEntropy.apply(logits, labels);
  }

  // ------------------------------------------------------------ indexing

  /** y[i] = table[idx[i]]; backward scatter-adds (codebook gradient aggregation). */
  public static Variable gather(Variable table, IntTensor idx) {
    return Gather.apply(table, idx);
  }
}
