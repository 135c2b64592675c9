package jcnn.backend.cuda;

import java.util.Locale;
import jcuda.driver.CUdeviceptr;

/**
 * Bindings of {@code src/main/cuda/gemm.cu}: row-major C[M,N] = alpha op(A) op(B) + beta C, one
 * numbered kernel per optimisation step (v1 naive, v2 shared-memory tiles, v3 register blocking
 * with vectorised loads, v4 TF32 tensor cores) plus cuBLAS where it loads. Each launch
 * configuration here is the one its kernel's comment in gemm.cu states.
 */
final class GemmKernels {
  /** The SGEMM implementations, selectable with JCNN_CUDA_GEMM or {@code -Djcnn.cuda.gemm}. */
  enum Impl {
    V1("sgemm_v1_naive"),
    V2("sgemm_v2_smem"),
    V3("sgemm_v3_regblock"),
    V4("sgemm_v4_tf32_wmma"),
    CUBLAS("cublasSgemm");

    final String kernel;

    Impl(String kernel) {
      this.kernel = kernel;
    }

    /** v1, v2, v3, v4 or cublas. */
    static Impl parse(String s) {
      for (Impl i : values()) {
        if (i.name().equalsIgnoreCase(s)) {
          return i;
        }
      }
      throw new IllegalArgumentException(
          "unknown CUDA GEMM '" + s + "': use v1, v2, v3, v4 or cublas");
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final CudaModule m;
  private final CublasGemm cublas;

  GemmKernels(CudaContext cx, CublasGemm cublas) {
    this.m = cx.module("gemm");
    this.cublas = cublas;
  }

  boolean hasCublas() {
    return cublas != null;
  }

  void sgemm(
      Impl impl,
      int mm,
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
    if (mm == 0 || n == 0) {
      return;
    }
    if (impl == Impl.CUBLAS) {
      if (cublas == null) {
        throw new CudaException("cuBLAS GEMM selected but JCublas did not load on this machine");
      }
      cublas.sgemm(mm, n, k, alpha, a, lda, ta, b, ldb, tb, beta, c, ldc);
      return;
    }
    int gx;
    int gy;
    int bx;
    int by;
    switch (impl) {
      case V1 -> {
        bx = 16;
        by = 16;
        gx = ceil(n, 16);
        gy = ceil(mm, 16);
      }
      case V2 -> {
        bx = 32;
        by = 8;
        gx = ceil(n, 32);
        gy = ceil(mm, 32);
      }
      default -> {
        bx = 256;
        by = 1;
        gx = ceil(n, 128);
        gy = ceil(mm, 128);
      }
    }
    m.launch(
        impl.kernel,
        gx,
        gy,
        bx,
        by,
        mm,
        n,
        k,
        alpha,
        a,
        lda,
        ta ? 1 : 0,
        b,
        ldb,
        tb ? 1 : 0,
        beta,
        c,
        ldc);
  }

  static int ceil(int a, int b) {
    return (a + b - 1) / b;
  }
}
