package jcnn.backend.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * Bindings of {@code src/main/cuda/norm.cu}: batch normalisation over channel dim 1 of x viewed as
 * [N, C, HW]. The per-channel reductions run one block per channel.
 */
final class NormKernels {
  private final CudaModule m;

  NormKernels(CudaContext cx) {
    this.m = cx.module("norm");
  }

  void stats(
      CUdeviceptr x,
      CUdeviceptr mean,
      CUdeviceptr invStd,
      CUdeviceptr runMean,
      CUdeviceptr runVar,
      int n,
      int c,
      int hw,
      float momentum,
      float eps,
      boolean training) {
    m.launch(
        "bn_stats_v1",
        c,
        1,
        CudaModule.BLOCK,
        1,
        x,
        mean,
        invStd,
        runMean,
        runVar,
        n,
        c,
        hw,
        momentum,
        eps,
        training ? 1 : 0);
  }

  void apply(
      CUdeviceptr x,
      CUdeviceptr mean,
      CUdeviceptr invStd,
      CUdeviceptr gamma,
      CUdeviceptr beta,
      CUdeviceptr y,
      int n,
      int c,
      int hw) {
    m.launch1d("bn_apply_v1", (long) n * c * hw, x, mean, invStd, gamma, beta, y, n, c, hw);
  }

  void backwardReduce(
      CUdeviceptr x,
      CUdeviceptr gy,
      CUdeviceptr mean,
      CUdeviceptr invStd,
      CUdeviceptr gGamma,
      CUdeviceptr gBeta,
      int n,
      int c,
      int hw) {
    m.launch(
        "bn_bwd_reduce_v1",
        c,
        1,
        CudaModule.BLOCK,
        1,
        x,
        gy,
        mean,
        invStd,
        gGamma,
        gBeta,
        n,
        c,
        hw);
  }

  void backwardData(
      CUdeviceptr x,
      CUdeviceptr gy,
      CUdeviceptr mean,
      CUdeviceptr invStd,
      CUdeviceptr gamma,
      CUdeviceptr gGamma,
      CUdeviceptr gBeta,
      CUdeviceptr gx,
      int n,
      int c,
      int hw,
      boolean training) {
    m.launch1d(
        "bn_bwd_data_v1",
        (long) n * c * hw,
        x,
        gy,
        mean,
        invStd,
        gamma,
        gGamma,
        gBeta,
        gx,
        n,
        c,
        hw,
        training ? 1 : 0);
  }
}
