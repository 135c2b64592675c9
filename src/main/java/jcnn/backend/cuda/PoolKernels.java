package jcnn.backend.cuda;

import jcnn.backend.PoolSpec;
import jcuda.driver.CUdeviceptr;

/** Bindings of {@code src/main/cuda/pool.cu}: max pooling with argmax, average pooling. */
final class PoolKernels {
  private final CudaModule m;

  PoolKernels(CudaContext cx) {
    this.m = cx.module("pool");
  }

  void maxForward(
      CUdeviceptr x,
      CUdeviceptr y,
      CUdeviceptr argmax,
      int nc,
      int h,
      int w,
      int p,
      int q,
      PoolSpec s) {
    m.launch1d(
        "maxpool_fwd_v1",
        (long) nc * p * q,
        x,
        y,
        argmax,
        nc,
        h,
        w,
        p,
        q,
        s.kernelH(),
        s.kernelW(),
        s.strideH(),
        s.strideW(),
        s.padH(),
        s.padW());
  }

  /** gx must be zero: each output adds its gradient at its argmax (atomicAdd). */
  void maxBackward(
      CUdeviceptr gy, CUdeviceptr argmax, CUdeviceptr gx, int nc, int h, int w, int p, int q) {
    m.launch1d("maxpool_bwd_v1", (long) nc * p * q, gy, argmax, gx, nc, h, w, p, q);
  }

  void avgForward(CUdeviceptr x, CUdeviceptr y, int nc, int h, int w, int p, int q, PoolSpec s) {
    m.launch1d(
        "avgpool_fwd_v1",
        (long) nc * p * q,
        x,
        y,
        nc,
        h,
        w,
        p,
        q,
        s.kernelH(),
        s.kernelW(),
        s.strideH(),
        s.strideW(),
        s.padH(),
        s.padW());
  }

  void avgBackward(CUdeviceptr gy, CUdeviceptr gx, int nc, int h, int w, int p, int q, PoolSpec s) {
    m.launch1d(
        "avgpool_bwd_v1",
        (long) nc * h * w,
        gy,
        gx,
        nc,
        h,
        w,
        p,
        q,
        s.kernelH(),
        s.kernelW(),
        s.strideH(),
        s.strideW(),
        s.padH(),
        s.padW());
  }
}
