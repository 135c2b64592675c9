package jcnn.backend.cuda;

import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;

/**
 * SGEMM through JCublas when libcublas.so.12 loads (JCublas 12 links against it; a CUDA 13 machine
 * may not have it, and then our own kernels are used). cuBLAS is column-major and jcnn row-major,
 * so C = op(A) op(B) is computed as C^T = op(B)^T op(A)^T: the same call with A and B swapped.
 */
final class CublasGemm {
  private final cublasHandle handle = new cublasHandle();

  private CublasGemm() {}

  /** Null when JCublas loads and a handle can be created on {@code device}, else why not. */
  static String probe(int device) {
    try {
      CUdevice dev = new CUdevice();
      JCudaDriver.cuDeviceGet(dev, device);
      CUcontext ctx = new CUcontext();
      JCudaDriver.cuDevicePrimaryCtxRetain(ctx, dev);
      JCudaDriver.cuCtxSetCurrent(ctx);
      JCublas2.setExceptionsEnabled(true);
      cublasHandle h = new cublasHandle();
      JCublas2.cublasCreate(h);
      JCublas2.cublasDestroy(h);
      return null;
    } catch (Throwable t) {
      String s = String.valueOf(t.getMessage()) + " " + t.getCause();
      return s.contains("libcublas")
          ? "libcublas.so.12 not found (JCublas 12 needs it); using jcnn's own SGEMM"
          : "JCublas did not load: " + s.strip();
    }
  }

  /** A handle on the current context; call after {@link #probe} returned null. */
  static CublasGemm create(CudaContext cx) {
    cx.makeCurrent();
    CublasGemm g = new CublasGemm();
    JCublas2.cublasCreate(g.handle);
    return g;
  }

  /** Row-major C[M,N] = alpha op(A) op(B) + beta C, as {@link GemmKernels#sgemm} takes it. */
  void sgemm(
      int m,
      int n,
      int k,
      float alpha,
      CUdeviceptr a,
      int lda,
      boolean ta,
      CUdeviceptr b,
      int ldb,
      boolean tb,
      float beta,
      CUdeviceptr c,
      int ldc) {
    try {
      JCublas2.cublasSgemm(
          handle,
          tb ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
          ta ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
          n,
          m,
          k,
          Pointer.to(new float[] {alpha}),
          b,
          ldb,
          a,
          lda,
          Pointer.to(new float[] {beta}),
          c,
          ldc);
    } catch (jcuda.CudaException e) {
      throw new CudaException("cublasSgemm " + m + "x" + n + "x" + k + ": " + e.getMessage(), e);
    }
  }
}
