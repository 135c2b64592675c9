package jcnn.backend.cpu;

import jcnn.backend.Backend;
import jcnn.backend.BinaryOp;
import jcnn.backend.Checks;
import jcnn.backend.ConvSpec;
import jcnn.backend.PoolSpec;
import jcnn.backend.UnaryOp;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;

/**
 * The fast CPU backend: multi-threaded ({@link Parallel}, one pool per backend), vectorised
 * (jdk.incubator.vector where C2 cannot vectorise by itself, plain loops where it can), and
 * convolution as im2col + {@link Sgemm}. This class only routes each primitive to its op family:
 * {@link FastElementwise}, {@link FastSumTo}, {@link FastConv} (with {@link FastIm2col} and {@link
 * FastDepthwise}), {@link FastPool}, {@link FastNorm}, {@link FastIndexing}, {@link FastLoss} and
 * {@link FastOptim}; each checks its shapes first. The contract is {@link Backend}'s Javadoc.
 *
 * <p>Every primitive is tested against {@link ReferenceBackend} (the double-accumulating oracle)
 * with 1 and 2 threads, on odd shapes and on the real layer shapes of our networks:
 * CpuBackendParityTest, CpuBackendConvParityTest, CpuBackendPoolParityTest. Convolution is timed by
 * jcnn.bench.ConvBenchmark. Calls may come from any one thread at a time; scratch buffers are per
 * worker thread.
 */
public final class CpuBackend implements Backend {
  private final Parallel par;
  private final FastConv conv;

  /** A backend running its loops on {@code threads} threads (the caller's included). */
  public CpuBackend(int threads) {
    this.par = new Parallel(threads);
    this.conv = new FastConv(par);
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public boolean allFinite(Tensor t) {
    return FastReduce.allFinite(t.dataForRead(), t.numel());
  }

  /** The number of threads the loops run on. */
  public int threads() {
    return par.threads();
  }

  /** The worker pool, shared with code outside the backend (the compressed-execution kernels). */
  public Parallel parallel() {
    return par;
  }

  @Override
  public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
    FastElementwise.binary(par, op, a, b, out);
  }

  @Override
  public void unary(UnaryOp op, Tensor x, Tensor out) {
    FastElementwise.unary(par, op, x, out);
  }

  @Override
  public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
    FastElementwise.unaryBackward(par, op, x, y, gy, gx);
  }

  @Override
  public void axpby(float alpha, Tensor x, float beta, Tensor y) {
    FastElementwise.axpby(par, alpha, x, beta, y);
  }

  @Override
  public void sumTo(Tensor x, Tensor out) {
    FastSumTo.sumTo(par, x, out);
  }

  @Override
  public void matmul(
      Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, float alpha, float beta) {
    int[] mnk = Checks.matmulDims(a, transA, b, transB, c);
    Sgemm.sgemm(
        par, transA, transB, mnk[0], mnk[1], mnk[2], alpha, a.data(), 0, a.dim(1), b.data(), 0,
        b.dim(1), beta, c.data(), 0, c.dim(1));
  }

  @Override
  public void conv2dForward(Tensor x, Tensor w, Tensor bias, ConvSpec spec, Tensor y) {
    conv.forward(x, w, bias, spec, y);
  }

  @Override
  public void conv2dBackwardData(Tensor gy, Tensor w, ConvSpec spec, Tensor gx) {
    conv.backwardData(gy, w, spec, gx);
  }

  @Override
  public void conv2dBackwardWeight(Tensor x, Tensor gy, ConvSpec spec, Tensor gw) {
    conv.backwardWeight(x, gy, spec, gw);
  }

  @Override
  public void maxPool2dForward(Tensor x, PoolSpec spec, Tensor y, IntTensor argmax) {
    FastPool.maxForward(par, x, spec, y, argmax);
  }

  @Override
  public void maxPool2dBackward(Tensor gy, IntTensor argmax, Tensor gx) {
    FastPool.maxBackward(par, gy, argmax, gx);
  }

  @Override
  public void avgPool2dForward(Tensor x, PoolSpec spec, Tensor y) {
    FastPool.avgForward(par, x, spec, y);
  }

  @Override
  public void avgPool2dBackward(Tensor gy, PoolSpec spec, Tensor gx) {
    FastPool.avgBackward(par, gy, spec, gx);
  }

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
    batchNormActForward(
        null,
        x,
        gamma,
        beta,
        runningMean,
        runningVar,
        training,
        momentum,
        eps,
        y,
        saveMean,
        saveInvStd);
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
    batchNormActBackward(
        null, x, null, gy, gamma, null, saveMean, saveInvStd, training, gx, gGamma, gBeta);
  }

  @Override
  public void batchNormActForward(
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
    FastNorm.forward(
        par,
        x,
        gamma,
        beta,
        runningMean,
        runningVar,
        training,
        momentum,
        eps,
        act,
        y,
        saveMean,
        saveInvStd);
  }

  @Override
  public void batchNormActBackward(
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
    // y is not read: the mask is recomputed from x (FastNorm.backward).
    FastNorm.backward(
        par, x, act, beta, gy, gamma, saveMean, saveInvStd, training, gx, gGamma, gBeta);
  }

  @Override
  public void dropoutMask(long seed, float p, Tensor mask) {
    FastIndexing.dropoutMask(par, seed, p, mask);
  }

  @Override
  public void concat(Tensor[] xs, int axis, Tensor out) {
    FastIndexing.concat(xs, axis, out);
  }

  @Override
  public void split(Tensor g, int axis, Tensor[] outs) {
    FastIndexing.split(g, axis, outs);
  }

  @Override
  public double softmaxCrossEntropy(Tensor logits, IntTensor labels, Tensor probs) {
    return FastLoss.softmaxCrossEntropy(par, logits, labels, probs);
  }

  @Override
  public void softmaxCrossEntropyBackward(
      Tensor probs, IntTensor labels, float scale, Tensor gLogits) {
    FastLoss.softmaxCrossEntropyBackward(par, probs, labels, scale, gLogits);
  }

  @Override
  public void gather(Tensor table, IntTensor idx, Tensor out) {
    FastIndexing.gather(par, table, idx, out);
  }

  @Override
  public void scatterAdd(Tensor src, IntTensor idx, Tensor table) {
    FastIndexing.scatterAdd(par, src, idx, table);
  }

  @Override
  public void sgdStep(
      Tensor w,
      Tensor g,
      Tensor velocity,
      float lr,
      float momentum,
      float weightDecay,
      boolean nesterov) {
    FastOptim.sgdStep(par, w, g, velocity, lr, momentum, weightDecay, nesterov);
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
    FastOptim.adamStep(par, w, g, m, v, lr, beta1, beta2, eps, weightDecay, step);
  }
}
