package jcnn.backend.cpu;

import static jcnn.backend.cpu.SgemmKernel.MR;
import static jcnn.backend.cpu.SgemmKernel.NR;

/**
 * Single-precision GEMM on row-major arrays: C = alpha * op(A) * op(B) + beta * C.
 *
 * <p>Goto-style blocking (Goto and van de Geijn, "Anatomy of High-Performance Matrix
 * Multiplication", ACM TOMS 2008). For each block of NC columns and KC steps of k, a panel of B
 * [KC, NC] is packed once; for each block of MC rows, A [MC, KC] is packed into MR-row slivers.
 * Each A sliver then stays in L1 while the {@link SgemmKernel#kernel micro-kernel} sweeps it across
 * all NR-column slivers of the B panel, so the only streaming operand is contiguous packed B. Bands
 * of at most 16 rows skip packing an untransposed B and read it in place, as each B value is then
 * used only once or twice. Threads split C into column or row bands (whichever duplicates less
 * packing), and each thread packs into its own reusable buffers. A single row (m = 1, a batch-1
 * linear layer) is a matrix-vector product and goes to {@link Sgemv}, which packs nothing.
 *
 * <p>Strides are leading dimensions (row lengths) of the stored arrays; offsets let callers address
 * sub-blocks (e.g. one group of a grouped convolution) without copying. Tested against a naive
 * double-accumulation loop by {@code SgemmTest}; timed by {@code jcnn.bench.SgemmBenchmark}. 1024^3
 * runs at about 100 GFLOP/s on one core and 190 on two (peak 115 per core).
 */
public final class Sgemm {
  private Sgemm() {}

  /*
   * Block sizes, measured on the 2-core AVX-512 EPYC (L1d 32 KB, L2 1 MB per core) at 1024^3 and
   * on the layer shapes of our networks: KC = 512 beat 256 and 384 by 5-10 % (half as many C
   * write-backs); MC = 128 beat 512 by 20 % when n is small (the packed A block is then read only
   * once or twice, so it must still be in L2); NC = 1024 beat 512 slightly on one thread (A is
   * packed once instead of twice).
   */

  /** Steps of k per packed block: an A sliver [KC, MR] is 16 KB and stays in L1. */
  static final int KC = 512;

  /** Rows per packed A block: [MC, KC] floats = 256 KB, still in L2 when its slivers are read. */
  static final int MC = 128;

  /** Columns per packed B panel [KC, NC]: 2 MB, streamed one [KC, NR] sliver at a time. */
  static final int NC = 1024;

  /** Bands of C with at most this many rows read an untransposed B in place (see blocked). */
  static final int DIRECT_B_MAX_M = 2 * MR;

  /**
   * Below this many multiply-adds (40-80 us on one core) waking a pool thread (5 us idle, much more
   * on a busy machine) costs more than the second core saves.
   */
  static final long PARALLEL_MIN_MACS = 1L << 22;

  /** Packing is strided memory traffic: one packed float costs about this many multiply-adds. */
  private static final int PACK_COST_MACS = 16;

  /** Per-thread packing buffers, reused across calls; pool threads live as long as the pool. */
  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  private static final class Workspace {
    final float[] ap = new float[KC * ceilDiv(MC, MR) * MR]; // A block: MC / MR slivers [KC, MR]
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
    if (m == 1) { // a matrix-vector product: packing B would cost more than reading it once
      Sgemv.gemv(par, transA, transB, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff);
      return;
    }
    Problem pr =
        new Problem(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    int threads = (long) m * n * k < PARALLEL_MIN_MACS ? 1 : par.threads();
    if (threads == 1 || Math.max(ceilDiv(m, MR), ceilDiv(n, NR)) < 2) {
      blocked(pr);
    } else if (splitColumns(m, n, k, threads)) {
      // Each thread computes a band of whole NR-column slivers and packs all of A for itself.
      par.forRange(ceilDiv(n, NR), 1, (s0, s1) -> blocked(pr.columns(s0 * NR, s1 * NR)));
    } else {
      // Each thread computes a band of whole MR-row slivers and packs all of B for itself.
      par.forRange(ceilDiv(m, MR), 1, (s0, s1) -> blocked(pr.rows(s0 * MR, s1 * MR)));
    }
  }

  /** The operands of one GEMM call, as passed to {@link #sgemm}. */
  private record Problem(
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

    /** The same product restricted to columns [j0, min(j1, n)) of C: a GEMM on sub-blocks. */
    Problem columns(int j0, int j1) {
      int bj = bOff + (transB ? j0 * ldb : j0);
      int cols = Math.min(j1, n) - j0;
      return new Problem(
          transA, transB, m, cols, k, alpha, a, aOff, lda, b, bj, ldb, beta, c, cOff + j0, ldc);
    }

    /** The same product restricted to rows [i0, min(i1, m)) of C. */
    Problem rows(int i0, int i1) {
      int ai = aOff + (transA ? i0 : i0 * lda);
      int rows = Math.min(i1, m) - i0;
      return new Problem(
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

  /** The single-threaded blocked product, on one thread's band of C. */
  private static void blocked(Problem pr) {
    Workspace ws = WORKSPACE.get();
    // A band of at most two slivers uses each B value once or twice: then reading B in place beats
    // copying it (2.5x at m = 8, 1.5x at m = 16). Copying wins beyond, as B rows a power of two
    // apart (im2col's n is often 1024 or 16384) alias in the caches.
    boolean direct = !pr.transB && pr.m <= DIRECT_B_MAX_M;
    int k = pr.k;
    // Equal k blocks (e.g. 400 + 400 rather than 512 + 288) keep the kernel's work even.
    int kcMax = ceilDiv(k, ceilDiv(k, KC));
    for (int j0 = 0; j0 < pr.n; j0 += NC) {
      int nc = Math.min(NC, pr.n - j0);
      for (int p0 = 0; p0 < k; p0 += kcMax) {
        int kc = Math.min(kcMax, k - p0);
        // In place, only a last sliver narrower than NR needs a zero-padded copy, at bp[0].
        int packFrom = direct ? nc - nc % NR : 0;
        if (packFrom < nc) {
          SgemmKernel.packB(
              pr.transB, pr.b, pr.bOff, pr.ldb, p0, kc, j0 + packFrom, nc - packFrom, ws.bp);
        }
        // The first k block applies beta; later blocks accumulate onto it.
        float beta = p0 == 0 ? pr.beta : 1f;
        for (int i0 = 0; i0 < pr.m; i0 += MC) {
          int mc = Math.min(MC, pr.m - i0);
          SgemmKernel.packA(pr.transA, pr.a, pr.aOff, pr.lda, i0, mc, p0, kc, ws.ap);
          int ci = pr.cOff + i0 * pr.ldc + j0;
          if (direct) {
            int bi = pr.bOff + p0 * pr.ldb + j0;
            directBlock(ws, pr, ci, beta, mc, nc, kc, bi);
          } else {
            packedBlock(ws, pr, ci, beta, mc, nc, kc);
          }
        }
      }
    }
  }

  /**
   * C[mc x nc] at ci (+)= alpha * packed A block * packed B panel. Each A sliver stays in L1 while
   * the packed B panel streams past it.
   */
  private static void packedBlock(
      Workspace ws, Problem pr, int ci, float beta, int mc, int nc, int kc) {
    for (int ir = 0; ir < mc; ir += MR) {
      int rows = Math.min(MR, mc - ir);
      for (int jr = 0; jr < nc; jr += NR) {
        SgemmKernel.kernel(kc, ws.ap, ir * kc, ws.bp, jr * kc, NR, ws.tile);
        int cols = Math.min(NR, nc - jr);
        SgemmKernel.store(ws.tile, rows, cols, pr.alpha, beta, pr.c, ci + ir * pr.ldc + jr, pr.ldc);
      }
    }
  }

  /**
   * C[mc x nc] at ci (+)= alpha * packed A block * B read in place from b[bi] (row length ldb).
   * Each B sliver meets every A sliver back to back, while it is still in cache.
   */
  private static void directBlock(
      Workspace ws, Problem pr, int ci, float beta, int mc, int nc, int kc, int bi) {
    for (int jr = 0; jr < nc; jr += NR) {
      int cols = Math.min(NR, nc - jr);
      for (int ir = 0; ir < mc; ir += MR) {
        if (cols == NR) {
          SgemmKernel.kernel(kc, ws.ap, ir * kc, pr.b, bi + jr, pr.ldb, ws.tile);
        } else {
          SgemmKernel.kernel(kc, ws.ap, ir * kc, ws.bp, 0, NR, ws.tile);
        }
        int rows = Math.min(MR, mc - ir);
        SgemmKernel.store(ws.tile, rows, cols, pr.alpha, beta, pr.c, ci + ir * pr.ldc + jr, pr.ldc);
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
