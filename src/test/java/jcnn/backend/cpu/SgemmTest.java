package jcnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link Sgemm} against a naive double-accumulation loop on odd shapes, all four transpose
 * combinations, offsets and padded leading dimensions, several alpha / beta pairs, and 1 and 2
 * threads. Unused array cells are filled with NaN (A, B) or a sentinel (C), so reads outside the
 * addressed block show up as NaN results and writes outside it as a changed sentinel.
 */
class SgemmTest {
  private static final int[] ODD = {1, 7, 33, 127};
  private static final float SENTINEL = -12345f;

  private static Parallel one;
  private static Parallel two;

  @BeforeAll
  static void pools() {
    one = new Parallel(1);
    two = new Parallel(2);
  }

  @AfterAll
  static void closePools() {
    one.close();
    two.close();
  }

  /** One GEMM problem laid out in arrays with offsets and padded rows. */
  private static final class Problem {
    final boolean ta, tb;
    final int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
    final float alpha, beta;
    final float[] a, b, c0;

    Problem(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, long seed) {
      this(ta, tb, m, n, k, alpha, beta, seed, 3);
    }

    /** pad: floats added to every stored row (0: A, B and C unpadded, lda = its row length). */
    Problem(
        boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, long seed, int pad) {
      this.ta = ta;
      this.tb = tb;
      this.m = m;
      this.n = n;
      this.k = k;
      this.alpha = alpha;
      this.beta = beta;
      Random rnd = new Random(seed);
      // Stored shapes: A [m, k] or [k, m]; B [k, n] or [n, k]; C [m, n]; each row padded by pad.
      aOff = 5;
      lda = (ta ? m : k) + pad;
      bOff = 2;
      ldb = (tb ? k : n) + pad;
      cOff = 7;
      ldc = n + pad;
      a = filled(aOff, ta ? k : m, ta ? m : k, lda, Float.NaN, rnd, false);
      b = filled(bOff, tb ? n : k, tb ? k : n, ldb, Float.NaN, rnd, false);
      c0 = filled(cOff, m, n, ldc, SENTINEL, rnd, beta == 0);
    }

    float opA(int i, int p) {
      return ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    float opB(int p, int j) {
      return tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
    }

    float[] run(Parallel par) {
      float[] c = c0.clone();
      Sgemm.sgemm(par, ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return c;
    }

    /** The oracle: double accumulation, C's old value read only when beta != 0. */
    double[] reference() {
      double[] ref = new double[m * n];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int p = 0; p < k; p++) {
            s += (double) opA(i, p) * opB(p, j);
          }
          double old = beta == 0 ? 0 : (double) beta * c0[cOff + i * ldc + j];
          ref[i * n + j] = alpha * s + old;
        }
      }
      return ref;
    }

    String describe() {
      return String.format(
          "sgemm(ta=%b, tb=%b, m=%d, n=%d, k=%d, alpha=%s, beta=%s, lda=%d)",
          ta, tb, m, n, k, alpha, beta, lda);
    }
  }

  /** An array holding a rows x cols block at off with row length ld, the rest set to fill. */
  private static float[] filled(
      int off, int rows, int cols, int ld, float fill, Random rnd, boolean nanBlock) {
    float[] x = new float[off + rows * ld + 4];
    Arrays.fill(x, fill);
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        x[off + r * ld + j] = nanBlock ? Float.NaN : 2 * rnd.nextFloat() - 1;
      }
    }
    return x;
  }

  /** Compares the block with |x - ref| <= atol + rtol * |ref| and checks the rest is untouched. */
  private static void check(Problem pr, float[] c) {
    double[] ref = pr.reference();
    double atol = 1e-6 * (pr.k + 1);
    double rtol = 1e-5;
    StringBuilder bad = new StringBuilder();
    int mismatches = 0;
    boolean[] inBlock = new boolean[c.length];
    for (int i = 0; i < pr.m; i++) {
      for (int j = 0; j < pr.n; j++) {
        int ci = pr.cOff + i * pr.ldc + j;
        inBlock[ci] = true;
        double want = ref[i * pr.n + j];
        if (!(Math.abs(c[ci] - want) <= atol + rtol * Math.abs(want)) && mismatches++ < 5) {
          bad.append(String.format("%n  C[%d,%d] = %s, expected %s", i, j, c[ci], want));
        }
      }
    }
    for (int x = 0; x < c.length; x++) {
      if (!inBlock[x] && c[x] != SENTINEL && mismatches++ < 5) {
        bad.append(String.format("%n  wrote outside C at array index %d: %s", x, c[x]));
      }
    }
    if (mismatches > 0) {
      fail(pr.describe() + ": " + mismatches + " mismatches, first:" + bad);
    }
  }

  @Test
  void oddShapesAllTransposesOneAndTwoThreads() {
    float[][] alphaBeta = {{1f, 0f}, {0.5f, -2f}, {-1.5f, 1f}};
    int count = 0;
    for (int m : ODD) {
      for (int n : ODD) {
        for (int k : ODD) {
          for (int t = 0; t < 4; t++) {
            float[] ab = alphaBeta[count++ % alphaBeta.length];
            Problem pr = new Problem(t / 2 == 1, t % 2 == 1, m, n, k, ab[0], ab[1], count);
            check(pr, pr.run(one));
            check(pr, pr.run(two));
          }
        }
      }
    }
  }

  @Test
  void everyAlphaBetaOnOneOddShape() {
    float[][] alphaBeta = {{1f, 0f}, {1f, 1f}, {0.5f, -2f}, {-1.5f, 0f}, {2f, 0.25f}};
    for (float[] ab : alphaBeta) {
      for (int t = 0; t < 4; t++) {
        Problem pr = new Problem(t / 2 == 1, t % 2 == 1, 33, 127, 7, ab[0], ab[1], t);
        check(pr, pr.run(two));
      }
    }
  }

  /**
   * Shapes past one B panel (NC), one k block (KC), one A block (MC), with B packed and (for at
   * most DIRECT_B_MAX_M rows) read in place; both thread splits.
   */
  @Test
  void multiBlockShapesAndBothThreadSplits() {
    int[][] shapes = {
      {33, Sgemm.NC + 77, Sgemm.KC + 41},
      {Sgemm.DIRECT_B_MAX_M, Sgemm.NC + 77, Sgemm.KC + 41},
      {Sgemm.MC + 172, 40, 400},
      {40, 300, 400}
    };
    assertTrue(Sgemm.splitColumns(40, 300, 400, 2));
    assertFalse(Sgemm.splitColumns(Sgemm.MC + 172, 40, 400, 2));
    for (int[] s : shapes) {
      assertTrue(
          (long) s[0] * s[1] * s[2] >= Sgemm.PARALLEL_MIN_MACS, "too small to use 2 threads");
      for (int t = 0; t < 4; t++) {
        Problem pr = new Problem(t / 2 == 1, t % 2 == 1, s[0], s[1], s[2], 0.75f, 0.5f, t);
        float[] c1 = pr.run(one);
        check(pr, c1);
        // Threads split C into bands but never change one element's summation order.
        assertArrayEquals(c1, pr.run(two), pr.describe() + ": 1 and 2 threads differ");
      }
    }
  }

  /**
   * One row (a batch-1 Linear) takes the matrix-vector path: big enough to split between threads,
   * with columns that are not whole vectors or bands, and the same floats on one and two threads.
   * Unpadded, a transposed A [k, 1] is contiguous and read in place; padded, it is gathered.
   */
  @Test
  void oneRowIsAMatrixVectorProductOnEitherThreadCount() {
    int n = 3001;
    int k = 1501;
    assertTrue((long) n * k >= Sgemm.PARALLEL_MIN_MACS, "too small to use 2 threads");
    for (int t = 0; t < 8; t++) {
      for (float beta : new float[] {0f, -0.5f}) {
        int pad = t < 4 ? 3 : 0;
        Problem pr = new Problem((t / 2) % 2 == 1, t % 2 == 1, 1, n, k, 1.25f, beta, 40 + t, pad);
        float[] c1 = pr.run(one);
        check(pr, c1);
        assertArrayEquals(c1, pr.run(two), pr.describe() + ": 1 and 2 threads differ");
      }
    }
  }

  @Test
  void bandDirectionFollowsTheShape() {
    // Wide C: split columns and pack the small A twice; tall C: split rows.
    assertTrue(Sgemm.splitColumns(50, 4096, 500, 2));
    assertTrue(Sgemm.splitColumns(20, 36864, 25, 2));
    assertFalse(Sgemm.splitColumns(500, 64, 800, 2));
    assertFalse(Sgemm.splitColumns(3000, 40, 100, 2));
  }

  @Test
  void zeroKOrZeroAlphaScalesCWithoutReadingAOrB() {
    for (int k : new int[] {0, 9}) {
      Problem pr = new Problem(false, true, 7, 33, k, k == 0 ? 1f : 0f, -0.5f, 3);
      Arrays.fill(pr.a, Float.NaN);
      Arrays.fill(pr.b, Float.NaN);
      float[] c = pr.run(two);
      for (int i = 0; i < pr.m; i++) {
        for (int j = 0; j < pr.n; j++) {
          int ci = pr.cOff + i * pr.ldc + j;
          assertEquals(-0.5f * pr.c0[ci], c[ci], "k=" + k + " C[" + i + "," + j + "]");
        }
      }
    }
  }

  @Test
  void emptyShapesAreNoOps() {
    float[] c = {1f, 2f};
    Sgemm.sgemm(
        one, false, false, 0, 2, 3, 1f, new float[0], 0, 3, new float[6], 0, 2, 0f, c, 0, 2);
    Sgemm.sgemm(
        one, false, false, 1, 0, 3, 1f, new float[3], 0, 3, new float[0], 0, 1, 0f, c, 0, 1);
    assertArrayEquals(new float[] {1f, 2f}, c);
  }

  @Test
  void badLayoutsNameTheOperandAndShape() {
    float[] x = new float[12];
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Sgemm.sgemm(one, false, false, 3, 4, 4, 1f, x, 0, 3, x, 0, 4, 0f, x, 0, 4));
    assertTrue(e.getMessage().startsWith("sgemm: A stored [3 x 4]"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Sgemm.sgemm(one, false, true, 3, 4, 3, 1f, x, 0, 3, x, 2, 3, 0f, x, 0, 4));
    assertTrue(e.getMessage().contains("B (transposed) stored [4 x 3] at offset 2"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Sgemm.sgemm(one, false, false, -1, 4, 3, 1f, x, 0, 3, x, 0, 4, 0f, x, 0, 4));
  }
}
