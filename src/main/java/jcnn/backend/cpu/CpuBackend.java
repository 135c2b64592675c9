package jcnn.backend.cpu;

import jcnn.backend.*;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;

/** SCAFFOLD, being replaced. */
public final class CpuBackend implements Backend {
  public CpuBackend(int threads) {}

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void unary(UnaryOp op, Tensor x, Tensor out) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void axpby(float alpha, Tensor x, float beta, Tensor y) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void sumTo(Tensor x, Tensor out) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void matmul(
      Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, float alpha, float beta) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void conv2dForward(Tensor x, Tensor w, Tensor bias, ConvSpec spec, Tensor y) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void conv2dBackwardData(Tensor gy, Tensor w, ConvSpec spec, Tensor gx) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void conv2dBackwardWeight(Tensor x, Tensor gy, ConvSpec spec, Tensor gw) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void maxPool2dForward(Tensor x, PoolSpec spec, Tensor y, IntTensor argmax) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void maxPool2dBackward(Tensor gy, IntTensor argmax, Tensor gx) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void avgPool2dForward(Tensor x, PoolSpec spec, Tensor y) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void avgPool2dBackward(Tensor gy, PoolSpec spec, Tensor gx) {
    throw new UnsupportedOperationException("scaffold: not written yet");
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
    throw new UnsupportedOperationException("scaffold: not written yet");
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
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void dropoutMask(long seed, float p, Tensor mask) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void concat(Tensor[] xs, int axis, Tensor out) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void split(Tensor g, int axis, Tensor[] outs) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public double softmaxCrossEntropy(Tensor logits, IntTensor labels, Tensor probs) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void softmaxCrossEntropyBackward(
      Tensor probs, IntTensor labels, float scale, Tensor gLogits) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void gather(Tensor table, IntTensor idx, Tensor out) {
    throw new UnsupportedOperationException("scaffold: not written yet");
  }

  @Override
  public void scatterAdd(Tensor src, IntTensor idx, Tensor table) {
    throw new UnsupportedOperationException("scaffold: not written yet");
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
    throw new UnsupportedOperationException("scaffold: not written yet");
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
    throw new UnsupportedOperationException("scaffold: not written yet");
  }
}
