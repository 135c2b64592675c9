package jcnn.backend.cuda;

import jcuda.driver.CUdeviceptr;

/** Bindings of {@code src/main/cuda/loss.cu}: fused, numerically stable softmax cross-entropy. */
final class LossKernels {
  private final CudaModule m;

  LossKernels(CudaContext cx) {
    this.m = cx.module("loss");
  }

  void forward(
      CUdeviceptr logits,
      CUdeviceptr labels,
      CUdeviceptr probs,
      CUdeviceptr rowLoss,
      int n,
      int classes) {
    m.launch1d("softmax_xent_fwd_v1", n, logits, labels, probs, rowLoss, n, classes);
  }

  void backward(
      CUdeviceptr probs, CUdeviceptr labels, float scale, CUdeviceptr g, int n, int classes) {
    m.launch1d("softmax_xent_bwd_v1", (long) n * classes, probs, labels, scale, g, n, classes);
  }
}
