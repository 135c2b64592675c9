package jcnn.backend.cuda;

import java.util.Locale;
import jcuda.driver.CUdeviceptr;

/**
 * Bindings of {@code src/main/cuda/gemm.cu}: row-major C[M,N] = alpha op(A) op(B) + beta C, one
 * numbered kernel per optimisation step (v1 naive, v2 shared-memory tiles, v3 register blocking
 * with vectorised loads, v4 TF32 tensor cores) plus cuBLAS where it loads. Each launch
 * configuration here is the one its kernel's comment in gemm.cu states.
 *
 * <p>v3 turns into v5 (split K) when a GEMM has few C tiles and a long K, the shape of every
 * convolution's weight gradient: {@link #splits} says how many slices; {@code JCNN_CUDA_SPLITK=0}
 * (or {@code -Djcnn.cuda.splitk=false}) turns it off, to compare.
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

  /** K below this never splits: a slice shorter than {@link #MIN_CHUNK} would not pay. */
  static final int MIN_SPLIT_K = 1024;

  /** The shortest K slice v5 gives a block. */
  static final int MIN_CHUNK = 256;

  private final CudaContext cx;
  private final CudaModule m;
  private final CublasGemm cublas;
  private final int sms;
  private final boolean splitK;
  private CUdeviceptr splitSpace;
  private long splitRounded;

  GemmKernels(CudaContext cx, CublasGemm cublas) {
    this.cx = cx;
    this.m = cx.module("gemm");
    this.cublas = cublas;
    this.sms = cx.device().multiprocessors();
    String env = System.getenv("JCNN_CUDA_SPLITK");
    this.splitK =
        !"0".equals(env) && Boolean.parseBoolean(System.getProperty("jcnn.cuda.splitk", "true"));
  }

  /**
   * How many K slices v5 cuts a GEMM into, given its number of 128x128 C tiles, its K and the GPU's
   * multiprocessor count: 1 (plain v3) when the tiles alone fill half the SMs or K is short;
   * otherwise enough slices for about two blocks per SM, each at least {@link #MIN_CHUNK} long.
   */
  static int splits(int tiles, int k, int sms) {
    if (k < MIN_SPLIT_K || 2 * tiles > sms) {
      return 1;
    }
    int s = Math.min(ceil(2 * sms, tiles), k / MIN_CHUNK);
    if (s < 2) {
      return 1;
    }
    return ceil(k, chunk(k, s)); // rounding the chunk up to BK may leave fewer slices
  }

  /** The K slice length for {@code s} slices: ceil(k / s) rounded up to v3's BK of 8. */
  static int chunk(int k, int s) {
    return ceil(ceil(k, s), 8) * 8;
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
    int s = impl == Impl.V3 && splitK ? splits(gx * gy, k, sms) : 1;
    if (s > 1) {
      int kChunk = chunk(k, s);
      CUdeviceptr w = splitSpace((long) s * mm * n);
      m.launch3(
          "sgemm_v5_splitk",
          gx,
          gy,
          s,
          bx,
          by,
          mm,
          n,
          k,
          kChunk,
          a,
          lda,
          ta ? 1 : 0,
          b,
          ldb,
          tb ? 1 : 0,
          w);
      m.launch1d("sgemm_v5_splitk_reduce", (long) mm * n, mm, n, s, alpha, w, beta, c, ldc);
      return;
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

  /** v5's partial products: one device block, grown as needed (one stream: reuse is safe). */
  private CUdeviceptr splitSpace(long floats) {
    long rounded = DevicePool.round(4 * floats);
    if (splitSpace == null || rounded > splitRounded) {
      DevicePool pool = cx.pool();
      if (splitSpace != null) {
        pool.release(splitSpace, splitRounded);
      }
      cx.makeCurrent();
      splitSpace = pool.allocate(rounded);
      splitRounded = rounded;
    }
    return splitSpace;
  }

  static int ceil(int a, int b) {
    return (a + b - 1) / b;
  }
}
