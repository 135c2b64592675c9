package jcnn.backend.cpu;

import static jcnn.backend.cpu.SgemmKernel.MR;
import static jcnn.backend.cpu.SgemmKernel.NR;

/**
 * Single-precision GEMM on row-major arrays: C = alpha * op(A) * op(B) + beta * C.
 *
 * <p>Goto-style blocking (Goto and van de Geijn, "Anatomy of High-Performance Matrix
 * Multiplication", ACM TOMS 2008): for each block of NC columns and KC steps of k, a panel of B
 * [KC, NC] is packed once and kept in L2; for each MR-row sliver of A, the packed A sliver [KC, MR]
 * stays in L1 while the {@link SgemmKernel#kernel micro-kernel} sweeps it across all B slivers of
 * the panel. Threads split C into column or row bands (whichever duplicates less packing), and each
 * thread packs into its own reusable buffers.
 *
 * <p>Strides are leading dimensions (row lengths) of the stored arrays; offsets let callers address
 * sub-blocks (e.g. one group of a grouped convolution) without copying. Tested against a naive
 * double-accumulation loop by {@code SgemmTest}; timed by {@code jcnn.bench.SgemmBenchmark}.
 */
public final class Sgemm {
  private Sgemm() {}

  /** Steps of k per packed block: a [KC, NR] B sliver is 32 KB and a [KC, MR] A sliver 8 KB. */
  static final int KC = 256;

  /** Columns per packed B panel: [KC, NC] floats = 512 KB, half of this machine's L2. */
  static final int NC = 512;

  /** Below this many multiply-adds (about 20 us on one core), threads cost more than they save. */
  static final long PARALLEL_MIN_MACS = 1L << 20;

  /** Packing is strided memory traffic: one packed float costs about this many multiply-adds. */
  private static final int PACK_COST_MACS = 16;

  /** Per-thread packing buffers, reused across calls; pool threads live as long as the pool. */
  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  private static final class Workspace {
    final float[] ap = new float[KC * MR]; // packed A sliver [KC, MR]
    final float[] bp = new float[KC * ceilDiv(NC, NR) * NR]; // B panel: NC / NR slivers [KC, NR]
    final float[] tile = new float[MR * NR]; // one micro-tile of C [MR, NR]
  }

  /**
   * C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C. A is stored [m x k] (lda) or, when
   * transA, [k x m]; B is stored [k x n] (ldb) or, when transB, [n x k]. beta == 0 ignores C's old
   * contents (NaN included); alpha == 0 or k == 0 leaves A and B unread, as in BLAS.
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
    checkDims(m, n, k);
    checkOperand("A", transA ? k : m, transA ? m : k, transA, a, aOff, lda);
    checkOperand("B", transB ? n : k, transB ? k : n, transB, b, bOff, ldb);
    checkOperand("C", m, n, false, c, cOff, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0 || alpha == 0) {
      scale(m, n, beta, c, cOff, ldc);
      return;
    }
    int threads = (long) m * n * k < PARALLEL_MIN_MACS ? 1 : par.threads();
    int tilesM = ceilDiv(m, MR);
    int tilesN = ceilDiv(n, NR);
    if (threads == 1 || Math.max(tilesM, tilesN) < 2) {
      blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    } else if (splitColumns(m, n, k, threads)) {
      // Each thread computes C[:, j0:j1) and packs all of A for itself.
      par.forRange(
          tilesN,
          1,
          (t0, t1) -> {
            int j0 = t0 * NR;
            int cols = Math.min(n, t1 * NR) - j0;
            int bj = bOff + (transB ? j0 * ldb : j0);
            blocked(
                transA, transB, m, cols, k, alpha, a, aOff, lda, b, bj, ldb, beta, c, cOff + j0,
                ldc);
          });
    } else {
      // Each thread computes C[i0:i1, :] and packs all of B for itself.
      par.forRange(
          tilesM,
          1,
          (t0, t1) -> {
            int i0 = t0 * MR;
            int rows = Math.min(m, t1 * MR) - i0;
            int ai = aOff + (transA ? i0 : i0 * lda);
            blocked(
                transA,
                transB,
                rows,
                n,
                k,
                alpha,
                a,
                ai,
                lda,
                b,
                bOff,
                ldb,
                beta,
                c,
                cOff + i0 * ldc,
                ldc);
          });
    }
  }

  /**
   * Picks the band direction with the lower estimated time per thread: the slowest thread's share
   * of (padded) tiles, plus the operand it must pack alone (all of A for column bands, all of B for
   * row bands).
   */
  static boolean splitColumns(int m, int n, int k, int threads) {
    int tilesM = ceilDiv(m, MR);
    int tilesN = ceilDiv(n, NR);
    double tileMacs = (double) MR * NR * k;
    double byColumns =
        ceilDiv(tilesN, threads) * (double) tilesM * tileMacs + (double) m * k * PACK_COST_MACS;
    double byRows =
        ceilDiv(tilesM, threads) * (double) tilesN * tileMacs + (double) n * k * PACK_COST_MACS;
    return byColumns <= byRows;
  }

  /** The single-threaded blocked product on one band of C. */
  private static void blocked(
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
    Workspace ws = WORKSPACE.get();
    // Equal k blocks (e.g. 250 + 250 rather than 256 + 244) keep the kernel's work even.
    int kcMax = ceilDiv(k, ceilDiv(k, KC));
    for (int j0 = 0; j0 < n; j0 += NC) {
      int nc = Math.min(NC, n - j0);
      for (int p0 = 0; p0 < k; p0 += kcMax) {
        int kc = Math.min(kcMax, k - p0);
        SgemmKernel.packB(transB, b, bOff, ldb, p0, kc, j0, nc, ws.bp);
        // The first k block applies beta; later blocks accumulate onto it.
        float betaBlock = p0 == 0 ? beta : 1f;
        for (int i0 = 0; i0 < m; i0 += MR) {
          int rows = Math.min(MR, m - i0);
          SgemmKernel.packA(transA, a, aOff, lda, i0, rows, p0, kc, ws.ap);
          int ci = cOff + i0 * ldc + j0;
          for (int jr = 0; jr < nc; jr += NR) {
            SgemmKernel.kernel(kc, ws.ap, 0, ws.bp, jr * kc, ws.tile);
            int cols = Math.min(NR, nc - jr);
            SgemmKernel.store(ws.tile, rows, cols, alpha, betaBlock, c, ci + jr, ldc);
          }
        }
      }
    }
  }

  /** C = beta * C, where beta == 0 clears C (NaN included). */
  private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int row = cOff + i * ldc;
      for (int j = row; j < row + n; j++) {
        c[j] = beta == 0 ? 0f : beta * c[j];
      }
    }
  }

  private static void checkDims(int m, int n, int k) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException(
          "sgemm: dimensions must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
    }
  }

  /** Checks that a stored [rows, cols] matrix at {@code off} with row length ld fits the array. */
  private static void checkOperand(
      String name, int rows, int cols, boolean trans, float[] x, int off, int ld) {
    long end = rows == 0 || cols == 0 ? off : off + (long) (rows - 1) * ld + cols;
    if (off < 0 || ld < Math.max(1, cols) || end > x.length) {
      throw new IllegalArgumentException(
          "sgemm: "
              + name
              + (trans ? " (transposed)" : "")
              + " stored ["
              + rows
              + " x "
              + cols
              + "] at offset "
              + off
              + " with leading dimension "
              + ld
              + " does not fit an array of length "
              + x.length);
    }
  }

  private static int ceilDiv(int x, int y) {
    return (x + y - 1) / y;
  }
}
