package jcnn.backend.cpu;

/**
 * Single-precision GEMM on row-major arrays: C = alpha * op(A) * op(B) + beta * C.
 *
 * <p>PLACEHOLDER SIGNATURE: the fast register-blocked Vector API kernel replaces the body. Strides
 * are leading dimensions (row lengths) of the stored arrays; offsets let callers address sub-blocks
 * (e.g. one group of a grouped convolution) without copying.
 */
public final class Sgemm {
  private Sgemm() {}

  /**
   * C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C. A is stored [m x k] (lda) or, when
   * transA, [k x m]; B is stored [k x n] (ldb) or, when transB, [n x k]. beta == 0 ignores C's old
   * contents (NaN included).
   */
  public static void sgemm(
      Parallel par,
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float beta,
      float[] c,
      int cOff,
      int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float s = 0;
        for (int p = 0; p < k; p++) {
          float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          s += av * bv;
        }
        int ci = cOff + i * ldc + j;
        c[ci] = beta == 0 ? alpha * s : alpha * s + beta * c[ci];
      }
    }
  }
}
