package jcnn.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The m = 1 case of {@link Sgemm}: c[1, n] = alpha * x[1, k] * op(B) + beta * c, a matrix-vector
 * product. A batch-1 {@code Linear} is this shape. Packing B, as the blocked GEMM does, would read
 * and write all k n floats of it once more for a product that reads each of them once, so B is read
 * in place:
 *
 * <ul>
 *   <li>B stored [n, k] (transB, a Linear weight): each c[j] is a dot product of x with the
 *       contiguous row j of B, four vector accumulators deep to hide the FMA latency;
 *   <li>B stored [k, n]: c is built as the sum over p of x[p] times row p of B, vector axpys over a
 *       band of columns.
 * </ul>
 *
 * <p>Napkin math for LeNet-5's fc1 (k = 800, n = 500): 400 k multiply-adds are 25 k FMAs of 16
 * lanes, about 4 us at 2 FMAs per cycle and 3 GHz; the 1.6 MB of B come from L2 or L3 at 20-50
 * GB/s, 30-80 us, so the product is bound by memory, not arithmetic. Threads split the columns,
 * which never changes the summation order of one element. Tested in {@code SgemmTest}.
 */
public final class Sgemv {
  private Sgemv() {}

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  /** Columns per band of the [k, n] form: whole vectors, so bands split on vector boundaries. */
  private static final int BAND = 256;

  static void gemv(
      Parallel par,
      boolean transA,
      boolean transB,
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
      int cOff) {
    // A stored [k, 1] with lda > 1 has its one column strided: gather it once
    float[] xs = transA && lda != 1 && k > 1 ? column(a, aOff, lda, k) : a;
    int xo = xs == a ? aOff : 0;
    boolean parallel = (long) n * k >= Sgemm.PARALLEL_MIN_MACS && par.threads() > 1;
    if (transB) {
      Parallel.RangeBody rows =
          (j0, j1) -> {
            for (int j = j0; j < j1; j++) {
              float d = alpha * dot(xs, xo, b, bOff + j * ldb, k);
              c[cOff + j] = beta == 0 ? d : d + beta * c[cOff + j];
            }
          };
      if (parallel) {
        par.forRange(n, 16, rows);
      } else {
        rows.run(0, n);
      }
      return;
    }
    int bands = (n + BAND - 1) / BAND;
    Parallel.RangeBody cols =
        (s0, s1) -> {
          int j0 = s0 * BAND;
          int j1 = Math.min(n, s1 * BAND);
          for (int j = j0; j < j1; j++) {
            c[cOff + j] = beta == 0 ? 0f : beta * c[cOff + j];
          }
          for (int p = 0; p < k; p++) {
            axpy(alpha * xs[xo + p], b, bOff + p * ldb + j0, c, cOff + j0, j1 - j0);
          }
        };
    if (parallel && bands > 1) {
      par.forRange(bands, 1, cols);
    } else {
      cols.run(0, bands);
    }
  }

  private static float[] column(float[] a, int aOff, int lda, int k) {
    float[] x = new float[k];
    for (int p = 0; p < k; p++) {
      x[p] = a[aOff + p * lda];
    }
    return x;
  }

  /** x[xo .. xo + k) . y[yo .. yo + k) with four vector accumulators. */
  static float dot(float[] x, int xo, float[] y, int yo, int k) {
    int step = F.length();
    FloatVector s0 = FloatVector.zero(F);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    int i = 0;
    for (int bound = k - 4 * step; i <= bound; i += 4 * step) {
      s0 = FloatVector.fromArray(F, x, xo + i).fma(FloatVector.fromArray(F, y, yo + i), s0);
      s1 =
          FloatVector.fromArray(F, x, xo + i + step)
              .fma(FloatVector.fromArray(F, y, yo + i + step), s1);
      s2 =
          FloatVector.fromArray(F, x, xo + i + 2 * step)
              .fma(FloatVector.fromArray(F, y, yo + i + 2 * step), s2);
      s3 =
          FloatVector.fromArray(F, x, xo + i + 3 * step)
              .fma(FloatVector.fromArray(F, y, yo + i + 3 * step), s3);
    }
    for (int bound = k - step; i <= bound; i += step) {
      s0 = FloatVector.fromArray(F, x, xo + i).fma(FloatVector.fromArray(F, y, yo + i), s0);
    }
    float s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    for (; i < k; i++) {
      s += x[xo + i] * y[yo + i];
    }
    return s;
  }

  /**
   * Floats per vector of {@link #combineRows}: a run whose length is a multiple of this has no
   * scalar tail.
   */
  public static int lanes() {
    return F.length();
  }

  /**
   * y[yo .. yo + len) = the sum over t &lt; terms of w[t] times x[off[t] .. off[t] + len): one
   * output row of a sparse or coded weight row times a [C, M] block, with the partial sums held in
   * up to four vector registers across all terms and stored once (an axpy per term would load and
   * store the output row every time). Each element sums its terms in order t = 0, 1, ...
   */
  public static void combineRows(
      float[] w, int[] off, int terms, float[] x, float[] y, int yo, int len) {
    int step = F.length();
    int i = 0;
    for (; i + 4 * step <= len; i += 4 * step) {
      FloatVector s0 = FloatVector.zero(F);
      FloatVector s1 = s0;
      FloatVector s2 = s0;
      FloatVector s3 = s0;
      for (int t = 0; t < terms; t++) {
        FloatVector wv = FloatVector.broadcast(F, w[t]);
        int o = off[t] + i;
        s0 = FloatVector.fromArray(F, x, o).fma(wv, s0);
        s1 = FloatVector.fromArray(F, x, o + step).fma(wv, s1);
        s2 = FloatVector.fromArray(F, x, o + 2 * step).fma(wv, s2);
        s3 = FloatVector.fromArray(F, x, o + 3 * step).fma(wv, s3);
      }
      s0.intoArray(y, yo + i);
      s1.intoArray(y, yo + i + step);
      s2.intoArray(y, yo + i + 2 * step);
      s3.intoArray(y, yo + i + 3 * step);
    }
    for (; i + step <= len; i += step) {
      FloatVector s0 = FloatVector.zero(F);
      for (int t = 0; t < terms; t++) {
        s0 = FloatVector.fromArray(F, x, off[t] + i).fma(FloatVector.broadcast(F, w[t]), s0);
      }
      s0.intoArray(y, yo + i);
    }
    for (; i < len; i++) {
      float s = 0f;
      for (int t = 0; t < terms; t++) {
        s = Math.fma(x[off[t] + i], w[t], s);
      }
      y[yo + i] = s;
    }
  }

  /** y[yo .. yo + len) += a * x[xo .. xo + len); also the sparse products' row update. */
  public static void axpy(float a, float[] x, int xo, float[] y, int yo, int len) {
    FloatVector av = FloatVector.broadcast(F, a);
    int i = 0;
    for (int bound = F.loopBound(len); i < bound; i += F.length()) {
      FloatVector.fromArray(F, x, xo + i)
          .fma(av, FloatVector.fromArray(F, y, yo + i))
          .intoArray(y, yo + i);
    }
    for (; i < len; i++) {
      y[yo + i] += a * x[xo + i];
    }
  }
}
