package jcnn.compress.share;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import jcnn.backend.cpu.Parallel;
import jcnn.compress.share.KMeans1D.Init;
import jcnn.compress.share.KMeans1D.Result;
import org.junit.jupiter.api.Test;

/**
 * {@link KMeans1D} and {@link SortedWeights}: the radix sort against {@link Arrays#sort}, the
 * sorted-boundary Lloyd iterations against the per-element {@link KMeansOracle} for every init on
 * odd sizes, pruned zeros, determinism across seeds and thread counts, and the edge cases (k above
 * the number of distinct values, an all-zero layer, bad input).
 */
class KMeans1DTest {

  /** n values, about a third exact zeros, the rest normal with a few repeated values. */
  static float[] weights(int n, long seed) {
    Random rnd = new Random(seed);
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      double u = rnd.nextDouble();
      w[i] = u < 0.33 ? 0f : u < 0.40 ? 0.25f : (float) (0.1 * rnd.nextGaussian());
    }
    return w;
  }

  @Test
  void radixSortEqualsArraysSortAndKeepsThePermutationStable() {
    float[] w = weights(50_000, 1);
    w[0] = -0.0f;
    w[1] = Float.MAX_VALUE;
    w[2] = -Float.MAX_VALUE;
    w[3] = Float.MIN_VALUE;
    w[4] = -Float.MIN_VALUE;
    float[] expected = nonZero(w);
    Arrays.sort(expected);
    try (Parallel par = new Parallel(2)) {
      for (Parallel p : new Parallel[] {null, par}) {
        SortedWeights s = SortedWeights.of(w, p);
        assertArrayEquals(expected, s.values);
        for (int i = 0; i < s.values.length; i++) {
          assertEquals(s.values[i], w[s.perm[i]]);
          if (i > 0 && s.values[i] == s.values[i - 1]) {
            assertTrue(s.perm[i] > s.perm[i - 1], "equal values keep their order at " + i);
          }
        }
      }
    }
  }

  @Test
  void keyMappingPreservesOrder() {
    float[] v = {-Float.MAX_VALUE, -1f, -Float.MIN_VALUE, Float.MIN_VALUE, 1e-30f, 2f};
    for (int i = 0; i + 1 < v.length; i++) {
      int a = SortedWeights.toKey(v[i]);
      int b = SortedWeights.toKey(v[i + 1]);
      assertTrue(Integer.compareUnsigned(a, b) < 0, v[i] + " < " + v[i + 1]);
      assertEquals(v[i], SortedWeights.fromKey(a));
    }
  }

  @Test
  void matchesThePlainOracleForEveryInit() {
    int[] sizes = {1, 7, 33, 127, 1000, 5000};
    int[] ks = {1, 2, 5, 32};
    for (Init init : Init.values()) {
      for (int n : sizes) {
        for (int k : ks) {
          for (int maxIter : new int[] {3, 100}) {
            float[] w = weights(n, 31L * n + k);
            String what = init + " n=" + n + " k=" + k + " maxIter=" + maxIter;
            assertSame(KMeansOracle.fit(w, k, init, maxIter, 7), fit(init, maxIter, 7, w, k), what);
          }
        }
      }
    }
  }

  @Test
  void matchesTheOracleOnALeNetSizedLayerWithTwoThreads() {
    float[] w = weights(431_080, 5);
    try (Parallel par = new Parallel(2)) {
      Result fast = new KMeans1D(Init.LINEAR, 20, 3).fit(w, 32, par);
      assertSame(KMeansOracle.fit(w, 32, Init.LINEAR, 20, 3), fast, "LeNet-5 size");
      assertSame(fit(Init.LINEAR, 20, 3, w, 32), fast, "one thread vs two");
    }
  }

  @Test
  void zerosStayZerosAndEveryOtherWeightGetsItsNearestCentroid() {
    float[] w = weights(2000, 11);
    w[5] = -0.0f;
    Result r = fit(Init.DENSITY, 100, 0, w, 16);
    for (int i = 0; i < w.length; i++) {
      if (w[i] == 0f) {
        assertEquals(-1, r.codes[i], "zero at " + i);
        continue;
      }
      int code = r.codes[i];
      for (float c : r.codebook) {
        assertTrue(Math.abs(w[i] - r.codebook[code]) <= Math.abs(w[i] - c), "nearest at " + i);
      }
    }
    for (int j = 1; j < r.codebook.length; j++) {
      assertTrue(r.codebook[j - 1] <= r.codebook[j], "codebook ascending at " + j);
    }
  }

  @Test
  void deterministicForASeedAndSeedMattersForRandomInit() {
    float[] w = weights(3000, 2);
    Result a = fit(Init.RANDOM, 5, 42, w, 8);
    Result b = fit(Init.RANDOM, 5, 42, w, 8);
    assertArrayEquals(a.codebook, b.codebook);
    assertArrayEquals(a.codes, b.codes);
    float[] sorted = nonZero(w);
    Arrays.sort(sorted);
    assertFalse(
        Arrays.equals(
            KMeans1D.initialCentroids(sorted, 8, Init.RANDOM, 42),
            KMeans1D.initialCentroids(sorted, 8, Init.RANDOM, 43)));
  }

  @Test
  void initialCentroidsFollowTheirDefinitions() {
    float[] sorted = {-3f, -1f, 0.5f, 2f, 5f};
    assertArrayEquals(
        new float[] {-3f, -1f, 1f, 3f, 5f},
        KMeans1D.initialCentroids(sorted, 5, Init.LINEAR, 0)); // linspace(min, max, 5)
    assertArrayEquals(new float[] {-3f}, KMeans1D.initialCentroids(sorted, 1, Init.LINEAR, 0));
    // mid-quantiles: positions floor((2j + 1) * 5 / 8) = 0, 1, 3, 4
    assertArrayEquals(
        new float[] {-3f, -1f, 2f, 5f}, KMeans1D.initialCentroids(sorted, 4, Init.DENSITY, 0));
    float[] random = KMeans1D.initialCentroids(sorted, 3, Init.RANDOM, 9);
    for (int j = 0; j < random.length; j++) {
      assertTrue(Arrays.binarySearch(sorted, random[j]) >= 0, "a weight: " + random[j]);
      assertTrue(j == 0 || random[j - 1] < random[j], "distinct and ascending");
    }
    assertArrayEquals( // k > n: every value, spread
        new float[] {-3f, -3f, -1f, -1f, 0.5f, 2f, 2f, 5f},
        KMeans1D.initialCentroids(sorted, 8, Init.RANDOM, 9));
  }

  @Test
  void kAboveTheDistinctValuesReproducesEveryWeightExactly() {
    float[] w = {1f, 0f, 2f, 1f, 3f, 2f, 0f};
    for (Init init : Init.values()) {
      Result r = fit(init, 100, 1, w, 8);
      assertEquals(8, r.codebook.length);
      assertTrue(r.converged, init + " converged");
      for (int i = 0; i < w.length; i++) {
        float got = r.codes[i] < 0 ? 0f : r.codebook[r.codes[i]];
        assertEquals(w[i], got, init + " weight " + i);
      }
    }
  }

  @Test
  void allZeroAndEmptyLayersGetNoClusters() {
    Result r = fit(Init.LINEAR, 10, 0, new float[6], 4);
    assertArrayEquals(new int[] {-1, -1, -1, -1, -1, -1}, r.codes);
    assertArrayEquals(new float[4], r.codebook);
    assertEquals(0, fit(Init.DENSITY, 10, 0, new float[0], 3).codes.length);
  }

  @Test
  void linearInitOnATwoModeLayerFindsBothModes() {
    float[] w = new float[400];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % 2 == 0 ? -1f : 1f) + 0.001f * (i % 7);
    }
    Result r = fit(Init.LINEAR, 100, 0, w, 2);
    assertEquals(-1f + 0.001f * 3, r.codebook[0], 1e-3);
    assertEquals(1f + 0.001f * 3, r.codebook[1], 1e-3);
    assertNotEquals(r.codes[0], r.codes[1]);
  }

  @Test
  void rejectsBadInput() {
    KMeans1D km = new KMeans1D(Init.LINEAR, 10, 0);
    assertThrows(IllegalArgumentException.class, () -> km.fit(new float[] {1f}, 0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> km.fit(new float[] {1f, Float.NaN}, 2));
    assertTrue(e.getMessage().contains("weight 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new KMeans1D(Init.LINEAR, -1, 0));
  }

  private static Result fit(Init init, int maxIter, long seed, float[] w, int k) {
    return new KMeans1D(init, maxIter, seed).fit(w, k);
  }

  private static void assertSame(Result expected, Result got, String what) {
    assertArrayEquals(expected.codes, got.codes, what + ": codes");
    assertEquals(expected.codebook.length, got.codebook.length, what + ": k");
    for (int j = 0; j < expected.codebook.length; j++) {
      float e = expected.codebook[j];
      assertEquals(e, got.codebook[j], 1e-6 * Math.abs(e) + 1e-12, what + ": centroid " + j);
    }
    assertEquals(expected.iterations, got.iterations, what + ": iterations");
    assertEquals(expected.converged, got.converged, what + ": converged");
  }

  private static float[] nonZero(float[] w) {
    float[] out = new float[w.length];
    int n = 0;
    for (float v : w) {
      if (v != 0f) {
        out[n++] = v;
      }
    }
    return Arrays.copyOf(out, n);
  }
}
