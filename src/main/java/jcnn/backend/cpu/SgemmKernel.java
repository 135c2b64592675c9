package jcnn.backend.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner pieces of {@link Sgemm}: packing A and B into contiguous slivers, the register-blocked
 * MR x NR micro-kernel, and the write-back of one tile into C.
 *
 * <p>Layout of the packed operands (Goto and van de Geijn, "Anatomy of High-Performance Matrix
 * Multiplication", 2008): an A sliver holds MR rows of op(A) for kc steps of k, stored step by step
 * ([kc, MR]); a B sliver holds NR columns of op(B), also step by step ([kc, NR]). The micro-kernel
 * then walks both slivers with unit stride. Rows and columns past the matrix edge are packed as
 * zeros, so the kernel always computes a full tile and {@link #store} writes only the valid part.
 *
 * <p>Every vector here has the one species {@link #S}. Keep it that way in all of jcnn: once any
 * code in the JVM runs a FloatVector op with a second species, the JIT's type profile of that op
 * (shared by every caller) turns bimorphic, vectors can no longer stay in registers, and this
 * kernel drops from ~100 to ~5 GFLOP/s (measured on JDK 17 after a SPECIES_256 loop).
 *
 * <p>Tested through {@code SgemmTest}; timed by {@code jcnn.bench.SgemmBenchmark}.
 */
final class SgemmKernel {
  private SgemmKernel() {}

  /** The widest vector shape the CPU runs natively: 16 floats with AVX-512, 8 with AVX2. */
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  /** Floats per vector. */
  static final int V = S.length();

  /** Rows of C per micro-tile: each one is a broadcast of one A value per k step. */
  static final int MR = 8;

  /** Columns of C per micro-tile: two vectors, so the tile holds 2 * MR = 16 accumulators. */
  static final int NR = 2 * V;

  /**
   * Computes tile[MR x NR] = Ap[kc x MR]^T * B[kc x NR] from a packed A sliver at ap[ai] and NR
   * columns of B at b[bi] whose rows lie ldb apart (NR in a packed sliver, B's own row length when
   * B is read in place).
   *
   * <p>Each accumulator lives in its own local variable on purpose: the JIT keeps locals in vector
   * registers, while arrays of vectors or vector-typed method arguments force the vectors onto the
   * heap and run 2 to 20 times slower. 16 accumulators hide the 4-cycle FMA latency on two FMA
   * pipes, and each k step issues 2 vector loads and 8 broadcasts for 16 FMAs.
   */
  static void kernel(int kc, float[] ap, int ai, float[] b, int bi, int ldb, float[] tile) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
    FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    FloatVector c60 = c00, c61 = c00, c70 = c00, c71 = c00;
    for (int p = 0; p < kc; p++, ai += MR, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
      FloatVector a = FloatVector.broadcast(S, ap[ai]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      a = FloatVector.broadcast(S, ap[ai + 6]);
      c60 = a.fma(b0, c60);
      c61 = a.fma(b1, c61);
      a = FloatVector.broadcast(S, ap[ai + 7]);
      c70 = a.fma(b0, c70);
      c71 = a.fma(b1, c71);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, V);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + V);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + V);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + V);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + V);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + V);
    c60.intoArray(tile, 6 * NR);
    c61.intoArray(tile, 6 * NR + V);
    c70.intoArray(tile, 7 * NR);
    c71.intoArray(tile, 7 * NR + V);
  }

  /**
   * Writes the valid rows x cols corner of tile[MR x NR] into C at {@code ci}: C = alpha * tile +
   * beta * C, where beta == 0 overwrites C without reading it (old NaNs do not leak through).
   */
  static void store(
      float[] tile, int rows, int cols, float alpha, float beta, float[] c, int ci, int ldc) {
    for (int r = 0; r < rows; r++, ci += ldc) {
      int t = r * NR;
      int j = 0;
      for (; j <= cols - V; j += V) {
        FloatVector x = FloatVector.fromArray(S, tile, t + j).mul(alpha);
        if (beta != 0) {
          x = FloatVector.fromArray(S, c, ci + j).mul(beta).add(x);
        }
        x.intoArray(c, ci + j);
      }
      for (; j < cols; j++) {
        float x = alpha * tile[t + j];
        c[ci + j] = beta == 0 ? x : x + beta * c[ci + j];
      }
    }
  }

  /**
   * Packs rows [i0, i0 + rows) and steps [p0, p0 + kc) of op(A) into consecutive A slivers [kc, MR]
   * starting at ap[0], zero-filling the last sliver past {@code rows}. A is stored [m, k] or, when
   * transA, [k, m]. Both layouts are read along their stored rows, so the reads stream.
   */
  static void packA(
      boolean transA, float[] a, int aOff, int lda, int i0, int rows, int p0, int kc, float[] ap) {
    int slivers = (rows + MR - 1) / MR;
    if (rows % MR != 0) {
      Arrays.fill(ap, (slivers - 1) * kc * MR, slivers * kc * MR, 0f);
    }
    if (transA) {
      // Stored row p holds step p of every row of op(A): deal it out MR values per sliver.
      for (int p = 0; p < kc; p++) {
        for (int s = 0; s < slivers; s++) {
          int src = aOff + (p0 + p) * lda + i0 + s * MR;
          int dst = s * kc * MR + p * MR;
          int width = Math.min(MR, rows - s * MR);
          if (width == MR) {
            // A fixed trip count the JIT unrolls; System.arraycopy's call costs more for 8 floats.
            for (int r = 0; r < MR; r++) {
              ap[dst + r] = a[src + r];
            }
          } else {
            System.arraycopy(a, src, ap, dst, width);
          }
        }
      }
    } else {
      for (int i = 0; i < rows; i++) {
        int src = aOff + (i0 + i) * lda + p0;
        int dst = (i / MR) * kc * MR + i % MR;
        for (int p = 0; p < kc; p++) {
          ap[dst + p * MR] = a[src + p];
        }
      }
    }
  }

  /**
   * Packs steps [p0, p0 + kc) and columns [j0, j0 + cols) of op(B) into consecutive B slivers [kc,
   * NR] starting at bp[0], zero-filling the last sliver past {@code cols}. B is stored [k, n] or,
   * when transB, [n, k].
   */
  static void packB(
      boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int cols, float[] bp) {
    int full = cols / NR;
    int edge = cols - full * NR;
    if (edge > 0) {
      Arrays.fill(bp, full * kc * NR, (full + 1) * kc * NR, 0f);
    }
    if (transB) {
      // A column of op(B) is a contiguous row of the stored [n, k] matrix.
      for (int j = 0; j < cols; j++) {
        int src = bOff + (j0 + j) * ldb + p0;
        int dst = (j / NR) * kc * NR + j % NR;
        for (int p = 0; p < kc; p++) {
          bp[dst + p * NR] = b[src + p];
        }
      }
      return;
    }
    // Row by row, so B is read as contiguous runs of `cols` floats that the prefetcher follows;
    // two vector copies per sliver beat System.arraycopy's call for 32 floats.
    for (int p = 0; p < kc; p++) {
      int src = bOff + (p0 + p) * ldb + j0;
      int dst = p * NR;
      for (int s = 0; s < full; s++, src += NR, dst += kc * NR) {
        FloatVector.fromArray(S, b, src).intoArray(bp, dst);
        FloatVector.fromArray(S, b, src + V).intoArray(bp, dst + V);
      }
      if (edge > 0) {
        System.arraycopy(b, src, bp, dst, edge);
      }
    }
  }
}
