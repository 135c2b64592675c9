package jcnn.backend.cuda;

import jcuda.driver.CUdeviceptr;

/** Bindings of {@code src/main/cuda/optim.cu}: SGD (momentum, Nesterov, decay) and Adam steps. */
final class OptimKernels {
  private final CudaModule m;

  OptimKernels(CudaContext cx) {
    this.m = cx.module("optim");
  }

  void sgd(
      CUdeviceptr w,
      CUdeviceptr g,
      CUdeviceptr v,
      int n,
      float lr,
      float momentum,
      float weightDecay,
      boolean nesterov) {
    m.launch1d("sgd_step_v1", n, w, g, v, n, lr, momentum, weightDecay, nesterov ? 1 : 0);
  }

  void adam(
      CUdeviceptr w,
      CUdeviceptr g,
      CUdeviceptr mm,
      CUdeviceptr v,
      int n,
      float lr,
      float beta1,
      float beta2,
      float eps,
      float weightDecay,
      int step) {
    float bc1 = (float) (1 - Math.pow(beta1, step));
    float bc2 = (float) (1 - Math.pow(beta2, step));
    m.launch1d("adam_step_v1", n, w, g, mm, v, n, lr, beta1, beta2, eps, weightDecay, bc1, bc2);
  }
}
