package jcnn.compress.share;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import jcnn.backend.cpu.Parallel;

/**
 * Per-layer 1-D k-means of Deep Compression's trained quantization (Han et al. 2016, Sec. 3): the
 * weights of one layer are clustered into k shared values (the codebook) and each weight is
 * replaced by the index of its cluster (its code). Exact zeros are pruned connections: they join no
 * cluster, get code -1 and stay exactly zero.
 *
 * <p><b>Why it is fast.</b> In one dimension the clusters of Lloyd's algorithm are intervals of the
 * sorted values, split at the midpoints between neighbouring centroids. So the values are sorted
 * once ({@link SortedWeights}, a radix sort, O(n)) and prefix sums taken once; then an iteration is
 * k - 1 binary searches for the split points and k prefix-sum differences for the new means: O(k
 * log n) instead of O(n k). Codes are written once at the end through the sort permutation.
 *
 * <p><b>The algorithm</b>, which the plain per-element oracle in the tests follows step by step:
 *
 * <ol>
 *   <li>Initial centroids ({@link Init}), ascending.
 *   <li>Up to {@code maxIterations} times: assign each value to its nearest centroid (ties to the
 *       lower index; of equal centroids only the first gets values); stop if no assignment changed
 *       since the previous iteration; else move each centroid to the mean of its values (in double)
 *       and sort the centroids. An empty cluster keeps its centroid (no re-seeding, so no hidden
 *       randomness). The sort matters only after equal initial centroids (a repeated weight drawn
 *       twice, or k above the number of distinct weights): the first of them takes all their values
 *       and may move past the others, which stay empty where they were.
 *   <li>The codes are the assignment to the final centroids, so every weight maps to its nearest
 *       codebook entry even when the iteration limit stopped the loop.
 * </ol>
 *
 * <p>Deterministic: the result depends only on the weights, k, the init, the iteration limit and
 * the seed, never on the thread count. Tested by {@code KMeans1DTest} against {@code KMeansOracle};
 * timed by {@code jcnn.bench.KMeansBenchmark}.
 */
public final class KMeans1D {

  /** How the centroids start (Han et al. 2016, Sec. 3.2 compare the three). */
  public enum Init {
    /** Evenly spaced between the smallest and largest non-zero weight: Deep Compression's best. */
    LINEAR,
    /** A seeded sample of k distinct positions of the sorted non-zero weights (Forgy). */
    RANDOM,
    /** The mid-quantiles (j + 1/2) / k of the weights' distribution: dense where weights are. */
    DENSITY
  }

  /** The clustering of one layer. */
  public static final class Result {
    /** The k centroids, ascending (all 0 when the layer has no non-zero weight). */
    public final float[] codebook;

    /** Per weight its cluster in [0, k), or -1 for an exact zero; same length as the input. */
    public final int[] codes;

    /** Centroid updates done. */
    public final int iterations;

    /** Whether the loop stopped because no assignment changed (not at the iteration limit). */
    public final boolean converged;

    Result(float[] codebook, int[] codes, int iterations, boolean converged) {
      this.codebook = codebook;
      this.codes = codes;
      this.iterations = iterations;
      this.converged = converged;
    }
  }

  private final Init init;
  private final int maxIterations;
  private final long seed;

  public KMeans1D(Init init, int maxIterations, long seed) {
    if (init == null || maxIterations < 0) {
      throw new IllegalArgumentException(
          "KMeans1D: need an init and maxIterations >= 0, got " + init + ", " + maxIterations);
    }
    this.init = init;
    this.maxIterations = maxIterations;
    this.seed = seed;
  }

  /** Deep Compression's setting: linear init, up to 300 iterations (scikit-learn's default). */
  public static KMeans1D linear(long seed) {
    return new KMeans1D(Init.LINEAR, 300, seed);
  }

  public Init init() {
    return init;
  }

  public int maxIterations() {
    return maxIterations;
  }

  public long seed() {
    return seed;
  }

  /** Clusters the non-zero entries of weights into k clusters on the calling thread. */
  public Result fit(float[] weights, int k) {
    return fit(weights, k, null);
  }

  /** As {@link #fit(float[], int)}, sorting with the threads of par (null: calling thread). */
  public Result fit(float[] weights, int k, Parallel par) {
    check(weights, k);
    SortedWeights s = SortedWeights.of(weights, par);
    int n = s.values.length;
    int[] codes = new int[weights.length];
    Arrays.fill(codes, -1);
    if (n == 0) {
      return new Result(new float[k], codes, 0, true);
    }
    double[] prefix = prefixSums(s.values); // [n + 1]
    float[] c = initialCentroids(s.values, k, init, seed);
    int[] ends = new int[k]; // cluster j holds sorted values [ends[j - 1], ends[j])
    int[] previous = null;
    int iterations = 0;
    boolean converged = false;
    while (true) {
      assign(s.values, c, ends);
      if (previous != null && Arrays.equals(previous, ends)) {
        converged = true;
        break;
      }
      if (iterations == maxIterations) {
        break;
      }
      update(prefix, ends, c);
      iterations++;
      previous = previous == null ? ends.clone() : copyInto(ends, previous);
    }
    writeCodes(s.perm, ends, codes);
    return new Result(c, codes, iterations, converged);
  }

  private static void check(float[] weights, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("KMeans1D: k must be >= 1, got " + k);
    }
    for (int i = 0; i < weights.length; i++) {
      if (!Float.isFinite(weights[i])) {
        throw new IllegalArgumentException(
            "KMeans1D: weight " + i + " of " + weights.length + " is " + weights[i]);
      }
    }
  }

  private static int[] copyInto(int[] src, int[] dst) {
    System.arraycopy(src, 0, dst, 0, src.length);
    return dst;
  }

  /** prefix[i] = values[0] + ... + values[i - 1], in double. */
  private static double[] prefixSums(float[] values) {
    double[] prefix = new double[values.length + 1];
    double acc = 0;
    for (int i = 0; i < values.length; i++) {
      acc += values[i];
      prefix[i + 1] = acc;
    }
    return prefix;
  }

  /**
   * The nearest-centroid assignment as interval ends over the sorted values, ties to the lower
   * index. A run of equal centroids j..m acts as centroid j: j takes the values up to the midpoint
   * towards the next larger centroid, j+1..m get empty intervals.
   */
  static void assign(float[] sorted, float[] c, int[] ends) {
    int k = c.length;
    int j = 0;
    while (j < k) {
      int m = j;
      while (m + 1 < k && c[m + 1] == c[j]) {
        m++;
      }
      int end = m + 1 < k ? upperBound(sorted, ((double) c[j] + c[m + 1]) * 0.5) : sorted.length;
      for (int q = j; q <= m; q++) {
        ends[q] = end;
      }
      j = m + 1;
    }
  }

  /** The first index whose value is > x (sorted.length if none). */
  private static int upperBound(float[] sorted, double x) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Moves each non-empty cluster's centroid to the mean of its values, then sorts them. */
  private static void update(double[] prefix, int[] ends, float[] c) {
    int start = 0;
    for (int j = 0; j < c.length; j++) {
      int end = ends[j];
      if (end > start) {
        c[j] = (float) ((prefix[end] - prefix[start]) / (end - start));
      }
      start = end;
    }
    for (int j = 1; j < c.length; j++) {
      if (c[j - 1] > c[j]) {
        Arrays.sort(c); // the codebook stays ascending, which assign() relies on
        return;
      }
    }
  }

  private static void writeCodes(int[] perm, int[] ends, int[] codes) {
    int start = 0;
    for (int j = 0; j < ends.length; j++) {
      for (int i = start; i < ends[j]; i++) {
        codes[perm[i]] = j;
      }
      start = ends[j];
    }
  }

  /**
   * The k initial centroids, ascending, from the sorted non-zero values (n >= 1). LINEAR: min +
   * (max - min) j / (k - 1) (numpy's linspace; k = 1 gives min). DENSITY: sorted[floor((j + 1/2) n
   * / k)]. RANDOM: k distinct sorted positions drawn with the seed (Floyd's algorithm); for k > n,
   * which cannot be drawn distinct, positions floor(j n / k), so every value appears.
   */
  static float[] initialCentroids(float[] sorted, int k, Init init, long seed) {
    int n = sorted.length;
    int[] positions;
    switch (init) {
      case LINEAR:
        return linspace(sorted[0], sorted[n - 1], k);
      case DENSITY:
        positions = new int[k];
        for (int j = 0; j < k; j++) {
          positions[j] = (int) Math.min(n - 1, ((2L * j + 1) * n) / (2L * k));
        }
        break;
      default:
        positions = k <= n ? samplePositions(n, k, seed) : spread(n, k);
    }
    float[] c = new float[k];
    for (int j = 0; j < k; j++) {
      c[j] = sorted[positions[j]];
    }
    return c;
  }

  private static float[] linspace(float lo, float hi, int k) {
    float[] c = new float[k];
    for (int j = 0; j < k; j++) {
      c[j] = (float) (lo + ((double) hi - lo) * j / Math.max(1, k - 1));
    }
    if (k > 1) {
      c[k - 1] = hi; // exactly the largest weight, whatever the rounding
    }
    return c;
  }

  private static int[] spread(int n, int k) {
    int[] positions = new int[k];
    for (int j = 0; j < k; j++) {
      positions[j] = (int) ((long) j * n / k);
    }
    return positions;
  }

  /** k distinct positions of [0, n), ascending (Floyd's sampling: k draws, no O(n) shuffle). */
  private static int[] samplePositions(int n, int k, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Set<Integer> chosen = new HashSet<>();
    for (int i = n - k; i < n; i++) {
      int t = rnd.nextInt(i + 1);
      chosen.add(chosen.contains(t) ? i : t);
    }
    int[] out = new int[k];
    int j = 0;
    for (int p : chosen) {
      out[j++] = p;
    }
    Arrays.sort(out);
    return out;
  }
}
