package jcnn.compress.share;

import java.util.Arrays;
import jcnn.backend.cpu.Parallel;

/**
 * The non-zero weights of a layer sorted ascending, with the permutation back to their positions:
 * the one O(n) preparation that turns each 1-D Lloyd iteration of {@link KMeans1D} into k binary
 * searches and k prefix-sum differences.
 *
 * <p>Exact zeros are left out: after pruning they are the pruned connections, which weight sharing
 * keeps at exactly zero (code -1) instead of pulling them into a cluster.
 *
 * <p>The sort is a stable least-significant-digit radix sort over the float bits mapped to unsigned
 * integers whose order is the float order (flip all bits of negatives, only the sign bit of
 * positives), in three passes of 11, 11 and 10 bits. Each pass is parallel in the textbook way:
 * every thread counts the digits of its contiguous chunk, the counts are turned into per-thread
 * bucket offsets in (bucket, thread) order, and every thread scatters its chunk in order, so the
 * result is stable and identical for any thread count. A pass whose digit is the same for every
 * value is skipped. Tested in {@code KMeans1DTest} (against {@link Arrays#sort}).
 */
final class SortedWeights {
  private static final int[] SHIFTS = {0, 11, 22};
  private static final int[] BITS = {11, 11, 10};

  /** The non-zero values, ascending. */
  final float[] values;

  /** perm[i] is the index in the layer's weight array of values[i]. */
  final int[] perm;

  private SortedWeights(float[] values, int[] perm) {
    this.values = values;
    this.perm = perm;
  }

  /** Sorts the non-zero entries of w (par may be null for one thread). */
  static SortedWeights of(float[] w, Parallel par) {
    int nnz = 0;
    for (float v : w) {
      if (v != 0f) {
        nnz++;
      }
    }
    int[] keys = new int[nnz];
    int[] perm = new int[nnz];
    int j = 0;
    for (int i = 0; i < w.length; i++) {
      float v = w[i];
      if (v != 0f) {
        keys[j] = toKey(v);
        perm[j++] = i;
      }
    }
    int[] keyTmp = new int[nnz];
    int[] permTmp = new int[nnz];
    int threads = par == null ? 1 : Math.max(1, Math.min(par.threads(), nnz / 16384));
    for (int pass = 0; pass < SHIFTS.length; pass++) {
      if (radixPass(par, threads, SHIFTS[pass], BITS[pass], keys, perm, keyTmp, permTmp)) {
        int[] t = keys;
        keys = keyTmp;
        keyTmp = t;
        t = perm;
        perm = permTmp;
        permTmp = t;
      }
    }
    float[] values = new float[nnz];
    for (int i = 0; i < nnz; i++) {
      values[i] = fromKey(keys[i]);
    }
    return new SortedWeights(values, perm);
  }

  /** Float bits as an int whose unsigned order is the float order (NaN is rejected earlier). */
  static int toKey(float v) {
    int b = Float.floatToRawIntBits(v);
    return b < 0 ? ~b : b ^ 0x80000000;
  }

  static float fromKey(int key) {
    return Float.intBitsToFloat(key < 0 ? key ^ 0x80000000 : ~key);
  }

  /**
   * One stable counting-sort pass on the digit (key >>> shift) & mask, from (keys, perm) into
   * (keyOut, permOut). Returns false, writing nothing, when every key has the same digit.
   */
  private static boolean radixPass(
      Parallel par,
      int threads,
      int shift,
      int bits,
      int[] keys,
      int[] perm,
      int[] keyOut,
      int[] permOut) {
    int n = keys.length;
    int buckets = 1 << bits;
    int mask = buckets - 1;
    int[][] count = new int[threads][buckets]; // [thread, bucket], then the write offsets
    forChunks(
        par,
        threads,
        n,
        (t, from, to) -> {
          int[] c = count[t];
          for (int i = from; i < to; i++) {
            c[(keys[i] >>> shift) & mask]++;
          }
        });
    if (n == 0 || allInOneBucket(count, (keys[0] >>> shift) & mask, n)) {
      return false;
    }
    int offset = 0;
    for (int b = 0; b < buckets; b++) {
      for (int t = 0; t < threads; t++) {
        int c = count[t][b];
        count[t][b] = offset;
        offset += c;
      }
    }
    forChunks(
        par,
        threads,
        n,
        (t, from, to) -> {
          int[] next = count[t];
          for (int i = from; i < to; i++) {
            int k = keys[i];
            int at = next[(k >>> shift) & mask]++;
            keyOut[at] = k;
            permOut[at] = perm[i];
          }
        });
    return true;
  }

  private static boolean allInOneBucket(int[][] count, int bucket, int n) {
    int inBucket = 0;
    for (int[] c : count) {
      inBucket += c[bucket];
    }
    return inBucket == n;
  }

  /** A loop body over chunk t = [from, to) of [0, n). */
  @FunctionalInterface
  private interface ChunkBody {
    void run(int t, int from, int to);
  }

  /** Runs body on `threads` contiguous chunks of [0, n); chunk t is the same for any pool. */
  private static void forChunks(Parallel par, int threads, int n, ChunkBody body) {
    if (threads == 1) {
      body.run(0, 0, n);
      return;
    }
    par.forRange(
        threads,
        1,
        (t0, t1) -> {
          for (int t = t0; t < t1; t++) {
            body.run(t, (int) ((long) n * t / threads), (int) ((long) n * (t + 1) / threads));
          }
        });
  }
}
