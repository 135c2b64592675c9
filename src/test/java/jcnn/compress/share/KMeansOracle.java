package jcnn.compress.share;

import java.util.Arrays;

/**
 * The plain reference for {@link KMeans1D}: Lloyd's algorithm written per element, O(n k) per
 * iteration, with the same schedule (assign, stop when unchanged or at the limit, update keeping
 * empty clusters, sort the centroids, final codes = nearest final centroid) but none of the sorting
 * tricks: every value is compared with every centroid by distance in double (ties to the lower
 * index) and every mean is summed directly. Shares only the initial centroids, which {@code
 * KMeans1DTest} checks apart.
 */
final class KMeansOracle {
  private KMeansOracle() {}

  static KMeans1D.Result fit(float[] w, int k, KMeans1D.Init init, int maxIterations, long seed) {
    int[] where = nonZeroPositions(w);
    int n = where.length;
    int[] codes = new int[w.length];
    Arrays.fill(codes, -1);
    if (n == 0) {
      return new KMeans1D.Result(new float[k], codes, 0, true);
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = w[where[i]];
    }
    float[] sorted = v.clone();
    Arrays.sort(sorted);
    float[] c = KMeans1D.initialCentroids(sorted, k, init, seed);
    int[] assign = new int[n];
    int[] previous = null;
    int iterations = 0;
    boolean converged = false;
    while (true) {
      nearest(v, c, assign);
      if (previous != null && Arrays.equals(previous, assign)) {
        converged = true;
        break;
      }
      if (iterations == maxIterations) {
        break;
      }
      means(v, assign, c);
      Arrays.sort(c);
      iterations++;
      previous = assign.clone();
    }
    for (int i = 0; i < n; i++) {
      codes[where[i]] = assign[i];
    }
    return new KMeans1D.Result(c, codes, iterations, converged);
  }

  private static int[] nonZeroPositions(float[] w) {
    int n = 0;
    for (float x : w) {
      n += x != 0f ? 1 : 0;
    }
    int[] where = new int[n];
    int j = 0;
    for (int i = 0; i < w.length; i++) {
      if (w[i] != 0f) {
        where[j++] = i;
      }
    }
    return where;
  }

  private static void nearest(float[] v, float[] c, int[] assign) {
    for (int i = 0; i < v.length; i++) {
      int best = 0;
      double bestD = Math.abs((double) v[i] - c[0]);
      for (int j = 1; j < c.length; j++) {
        double d = Math.abs((double) v[i] - c[j]);
        if (d < bestD) {
          best = j;
          bestD = d;
        }
      }
      assign[i] = best;
    }
  }

  private static void means(float[] v, int[] assign, float[] c) {
    double[] sum = new double[c.length];
    int[] count = new int[c.length];
    for (int i = 0; i < v.length; i++) {
      sum[assign[i]] += v[i];
      count[assign[i]]++;
    }
    for (int j = 0; j < c.length; j++) {
      if (count[j] > 0) {
        c[j] = (float) (sum[j] / count[j]);
      }
    }
  }
}
