package jcnn.backend.cpu;

import jcnn.backend.Backend;
import jcnn.backend.BinaryOp;
import jcnn.backend.ConvSpec;
import jcnn.backend.PoolSpec;
import jcnn.backend.UnaryOp;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;

/**
 * The reference backend: the oracle every other backend (fast CPU, CUDA) is tested against (the
 * llm.c idea: a plain CPU version validates each fast kernel before it is timed). Every op is the
 * obvious loop nest of its definition, single-threaded, accumulating in double and rounding to
 * float once on store; nothing here is optimised, so a student can read each op against its math.
 *
 * <p>This class is the index: it names each primitive and hands it to the package-private class
 * that implements its family, where the formulas are written out: {@link RefElementwise}
 * (elementwise, broadcasting, sumTo, matmul), {@link RefConv}, {@link RefPool}, {@link RefNorm}
 * (batch norm), {@link RefIndexing} (concat, split, gather, scatter-add) and {@link RefLossOptim}
 * (softmax cross-entropy, SGD, Adam). The dropout mask comes from {@link DropoutHash}, shared with
 * the fast backend so both draw the same mask.
 *
 * <p>Tested by {@code ReferenceBackendTest}, {@code RefConvTest} and {@code RefNormTest}:
 * hand-computed tiny cases for each primitive, finite-difference checks of the convolution and
 * batch-norm backward passes, and shape rejections.
 */
public final class ReferenceBackend implements Backend {
  @Override
  public String name() {
    return "reference";
  }

  // ---------------------------------------------------------------- elementwise

  @Override
  public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
    RefElementwise.binary(op, a, b, out);
  }

  @Override
  public void unary(UnaryOp op, Tensor x, Tensor out) {
    RefElementwise.unary(op, x, out);
  }

  @Override
  public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
    RefElementwise.unaryBackward(op, x, y, gy, gx);
  }

  @Override
  public void axpby(float alpha, Tensor x, float beta, Tensor y) {
    RefElementwise.axpby(alpha, x, beta, y);
  }

  @Override
  public void sumTo(Tensor x, Tensor out) {
    RefElementwise.sumTo(x, out);
  }

  // ---------------------------------------------------------------- linear algebra

  @Override
  public void matmul(
      Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, float alpha, float beta) {
    RefElementwise.matmul(a, transA, b, transB, c, alpha, beta);
  }

  // ---------------------------------------------------------------- convolution

  @Override
  public void conv2dForward(Tensor x, Tensor w, Tensor bias, ConvSpec spec, Tensor y) {
    RefConv.forward(x, w, bias, spec, y);
  }

  @Override
  public void conv2dBackwardData(Tensor gy, Tensor w, ConvSpec spec, Tensor gx) {
    RefConv.backwardData(gy, w, spec, gx);
  }

  @Override
  public void conv2dBackwardWeight(Tensor x, Tensor gy, ConvSpec spec, Tensor gw) {
    RefConv.backwardWeight(x, gy, spec, gw);
  }

  // ---------------------------------------------------------------- pooling

  @Override
  public void maxPool2dForward(Tensor x, PoolSpec spec, Tensor y, IntTensor argmax) {
    RefPool.maxForward(x, spec, y, argmax);
  }

  @Override
  public void maxPool2dBackward(Tensor gy, IntTensor argmax, Tensor gx) {
    RefPool.maxBackward(gy, argmax, gx);
  }

  @Override
  public void avgPool2dForward(Tensor x, PoolSpec spec, Tensor y) {
    RefPool.avgForward(x, spec, y);
  }

  @Override
  public void avgPool2dBackward(Tensor gy, PoolSpec spec, Tensor gx) {
    RefPool.avgBackward(gy, spec, gx);
  }

  // ---------------------------------------------------------------- batch norm

  @Override
  public void batchNormForward(
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
    RefNorm.forward(
        x, gamma, beta, runningMean, runningVar, training, momentum, eps, y, saveMean, saveInvStd);
  }

  @Override
  public void batchNormBackward(
      Tensor x,
      Tensor gy,
      Tensor gamma,
      Tensor saveMean,
      Tensor saveInvStd,
      boolean training,
      Tensor gx,
      Tensor gGamma,
      Tensor gBeta) {
    RefNorm.backward(x, gy, gamma, saveMean, saveInvStd, training, gx, gGamma, gBeta);
  }

  // ---------------------------------------------------------------- dropout, concat

  /** Element i is kept iff {@link DropoutHash#keep}(seed, i, p); p must lie in [0, 1]. */
  @Override
  public void dropoutMask(long seed, float p, Tensor mask) {
    RefChecks.range("dropoutMask", "p for mask " + mask.shape(), p, 0, 1);
    float kept = DropoutHash.scale(p);
    float[] md = mask.data();
    for (int i = 0; i < mask.numel(); i++) {
      md[i] = DropoutHash.keep(seed, i, p) ? kept : 0f;
    }
  }

  @Override
  public void concat(Tensor[] xs, int axis, Tensor out) {
    RefIndexing.concat(xs, axis, out);
  }

  @Override
  public void split(Tensor g, int axis, Tensor[] outs) {
    RefIndexing.split(g, axis, outs);
  }

  // ---------------------------------------------------------------- loss

  @Override
  public double softmaxCrossEntropy(Tensor logits, IntTensor labels, Tensor probs) {
    return RefLossOptim.softmaxCrossEntropy(logits, labels, probs);
  }

  @Override
  public void softmaxCrossEntropyBackward(
      Tensor probs, IntTensor labels, float scale, Tensor gLogits) {
    RefLossOptim.softmaxCrossEntropyBackward(probs, labels, scale, gLogits);
  }

  // ---------------------------------------------------------------- gather / scatter

  @Override
  public void gather(Tensor table, IntTensor idx, Tensor out) {
    RefIndexing.gather(table, idx, out);
  }

  @Override
  public void scatterAdd(Tensor src, IntTensor idx, Tensor table) {
    RefIndexing.scatterAdd(src, idx, table);
  }

  // ---------------------------------------------------------------- optimizer updates

  @Override
  public void sgdStep(
      Tensor w,
      Tensor g,
      Tensor velocity,
      float lr,
      float momentum,
      float weightDecay,
      boolean nesterov) {
    RefLossOptim.sgdStep(w, g, velocity, lr, momentum, weightDecay, nesterov);
  }

  @Override
  public void adamStep(
      Tensor w,
      Tensor g,
      Tensor m,
      Tensor v,
      float lr,
      float beta1,
      float beta2,
      float eps,
      float weightDecay,
      int step) {
    RefLossOptim.adamStep(w, g, m, v, lr, beta1, beta2, eps, weightDecay, step);
  }
}
