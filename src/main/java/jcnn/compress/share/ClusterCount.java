package jcnn.compress.share;

import jcnn.tensor.Shape;

/**
 * How many clusters (codebook entries) a layer gets.
 *
 * <ul>
 *   <li>{@link #fixed}: the same k everywhere (Deep Compression's 32 in Tzelepis' comparison).
 *   <li>{@link #perKind}: by layer kind, Deep Compression's LeNet-5 setting of 8-bit conv (256
 *       clusters) and 5-bit fc (32) (Han et al. 2016, Table 1).
 *   <li>{@link #eq1}: Tzelepis et al. 2019, Eq. (1), c_l = ceil(P_l / N_l) * C_l.
 *   <li>{@link #theirCode}: the same as their code computes it, (floor(P_l / 300000) + 1) * 32. It
 *       equals Eq. (1) with N = 300,000 and C = 32 except at P = 0 and exact multiples of N, where
 *       it gives one more block of 32 clusters. This is the default of {@link WeightSharing} (and
 *       so of the CLI): it is what produced their published numbers.
 * </ul>
 *
 * <p><b>P_l is the layer's full parameter count, zeros included</b>, not its count of unpruned
 * weights. The paper defines P as "the number of parameters" of layer l and says the clustering
 * "depends only on the number of parameters in each layer"; its Fig. 2 clusters a pruned layer with
 * its zeros as one large cluster, so their code saw every weight. Counting all weights makes k a
 * property of the architecture (LeNet-5: 32, 32, 64, 32) rather than of the pruning round. A caller
 * who wants the other reading writes {@code (shape, nonZero) -> ClusterCount.eq1(nonZero, N, C)}.
 *
 * <p>k is not capped by the number of non-zero weights: surplus clusters stay empty (see {@link
 * KMeans1D}) and the index width log2(k) is what the formula says. Tested by {@code
 * ClusterCountTest}.
 */
@FunctionalInterface
public interface ClusterCount {

  /** Tzelepis' N_l: parameters per block of clusters, in their code. */
  int TZELEPIS_N = 300_000;

  /** Tzelepis' C_l: clusters per block, in their code (and Deep Compression's fixed k). */
  int TZELEPIS_C = 32;

  /**
   * The number of clusters (>= 1) for a weight of this shape with nonZero unpruned entries.
   *
   * @param shape the weight's shape: [K, C, R, S] for a conv, [out, in] for a linear layer
   */
  int clusters(Shape shape, int nonZero);

  /** The same k for every layer. */
  static ClusterCount fixed(int k) {
    positive("fixed", k);
    return (shape, nonZero) -> k;
  }

  /** 2^convBits clusters for rank-4 (conv) weights, 2^fcBits for the others. */
  static ClusterCount perKind(int convBits, int fcBits) {
    if (convBits < 0 || convBits > 16 || fcBits < 0 || fcBits > 16) {
      throw new IllegalArgumentException(
          "ClusterCount.perKind: bits must be in [0, 16], got " + convBits + ", " + fcBits);
    }
    return (shape, nonZero) -> 1 << (shape.rank() == 4 ? convBits : fcBits);
  }

  /** Eq. (1) over the layer's full parameter count, with the given N and C. */
  static ClusterCount eq1(int n, int c) {
    positive("eq1 N", n);
    positive("eq1 C", c);
    return (shape, nonZero) -> Math.max(1, eq1(shape.numel(), n, c));
  }

  /** Eq. (1) as their code computes it, over the layer's full parameter count. */
  static ClusterCount theirCode() {
    return (shape, nonZero) -> theirCode(shape.numel());
  }

  /** c = ceil(p / n) * c: Tzelepis et al. 2019, Eq. (1). */
  static int eq1(long p, int n, int c) {
    if (p < 0) {
      throw new IllegalArgumentException("ClusterCount.eq1: P must be >= 0, got " + p);
    }
    return Math.toIntExact(((p + n - 1) / n) * c);
  }

  /** (floor(p / 300000) + 1) * 32: Eq. (1) as their code computes it. */
  static int theirCode(long p) {
    if (p < 0) {
      throw new IllegalArgumentException("ClusterCount.theirCode: P must be >= 0, got " + p);
    }
    return Math.toIntExact((p / TZELEPIS_N + 1) * TZELEPIS_C);
  }

  private static void positive(String what, int v) {
    if (v < 1) {
      throw new IllegalArgumentException("ClusterCount." + what + " must be >= 1, got " + v);
    }
  }
}
