package jcnn.compress.codec;

import java.util.Arrays;

/**
 * Huffman code lengths from symbol frequencies, limited to a maximum length. The unlimited lengths
 * come from the classic two-queue construction over the sorted frequencies (Huffman 1952; van
 * Leeuwen 1976). When the tree is deeper than the limit, which needs Fibonacci-like frequencies and
 * so is rare, the lengths are rebalanced on their histogram: clamp to the limit, then push the
 * deepest symbols still above it down one level until the Kraft sum fits, then pull symbols up
 * where slack is left. Finally the histogram's lengths go to the symbols in order of frequency, so
 * a more frequent symbol never gets a longer code. This is a heuristic, not package-merge: a few
 * tenths of a percent worse than optimal in the rare limited case, optimal otherwise. Tested in
 * {@code HuffmanTest} (Kraft, limit, near-entropy size).
 */
final class CodeLengths {
  private CodeLengths() {}

  /** Code length per symbol (0 = unused); a single used symbol gets length 1. */
  static int[] of(long[] freq, int maxLen) {
    int[] used = usedSymbolsByFrequency(freq);
    int[] lengths = new int[freq.length];
    if (used.length == 1) {
      lengths[used[0]] = 1;
    }
    if (used.length <= 1) {
      return lengths;
    }
    if (used.length > (1L << maxLen)) {
      throw new IllegalArgumentException(
          "Huffman: " + used.length + " symbols cannot have codes of at most " + maxLen + " bits");
    }
    int[] depth = treeDepths(freq, used);
    int[] histogram = new int[Math.max(maxLen, max(depth)) + 1];
    for (int d : depth) {
      histogram[d]++;
    }
    if (histogram.length - 1 > maxLen) {
      histogram = limit(histogram, maxLen);
    }
    // used[] is by ascending frequency: the longest lengths go to the rarest symbols.
    int i = 0;
    for (int len = histogram.length - 1; len >= 1; len--) {
      for (int c = 0; c < histogram[len]; c++) {
        lengths[used[i++]] = len;
      }
    }
    return lengths;
  }

  /** Symbols with a non-zero frequency, by ascending frequency, ties by ascending symbol. */
  private static int[] usedSymbolsByFrequency(long[] freq) {
    int m = 0;
    for (long f : freq) {
      if (f < 0) {
        throw new IllegalArgumentException("Huffman: negative frequency " + f);
      }
      m += f > 0 ? 1 : 0;
    }
    Integer[] boxed = new Integer[m];
    int j = 0;
    for (int s = 0; s < freq.length; s++) {
      if (freq[s] > 0) {
        boxed[j++] = s;
      }
    }
    Arrays.sort(boxed, (a, b) -> freq[a] != freq[b] ? Long.compare(freq[a], freq[b]) : a - b);
    int[] out = new int[m];
    for (int i = 0; i < m; i++) {
      out[i] = boxed[i];
    }
    return out;
  }

  /**
   * Leaf depths of a Huffman tree over {@code used} (sorted by ascending frequency), in the same
   * order. Two queues: the sorted leaves and the internal nodes, which are made in non-decreasing
   * weight order, so the two lightest nodes are always at the queue fronts.
   */
  private static int[] treeDepths(long[] freq, int[] used) {
    int m = used.length;
    long[] weight = new long[2 * m - 1]; // nodes 0..m-1 leaves, m.. internal
    int[] parent = new int[2 * m - 1];
    for (int i = 0; i < m; i++) {
      weight[i] = freq[used[i]];
    }
    int leaf = 0;
    int inner = m;
    for (int next = m; next < 2 * m - 1; next++) {
      int a = leaf < m && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
      int b = leaf < m && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
      weight[next] = weight[a] + weight[b];
      parent[a] = next;
      parent[b] = next;
    }
    int[] depth = new int[2 * m - 1]; // the root (last node) has depth 0
    for (int n = 2 * m - 3; n >= 0; n--) {
      depth[n] = depth[parent[n]] + 1;
    }
    return Arrays.copyOf(depth, m);
  }

  /** Rebalances a length histogram so no length exceeds {@code maxLen} and Kraft holds. */
  private static int[] limit(int[] histogram, int maxLen) {
    int[] h = Arrays.copyOf(histogram, maxLen + 1);
    for (int len = maxLen + 1; len < histogram.length; len++) {
      h[maxLen] += histogram[len];
    }
    long full = 1L << maxLen; // Kraft sum of a complete code, in units of 2^-maxLen
    long kraft = 0;
    for (int len = 1; len <= maxLen; len++) {
      kraft += (long) h[len] << (maxLen - len);
    }
    while (kraft > full) {
      // Lengthen the deepest symbol above the limit; one exists since count <= 2^maxLen.
      int len = maxLen - 1;
      while (h[len] == 0) {
        len--;
      }
      h[len]--;
      h[len + 1]++;
      kraft -= 1L << (maxLen - len - 1);
    }
    boolean moved = true;
    while (moved) { // use the slack: shorten the deepest symbol that still fits
      moved = false;
      for (int len = maxLen; len >= 2 && !moved; len--) {
        if (h[len] > 0 && kraft + (1L << (maxLen - len)) <= full) {
          h[len]--;
          h[len - 1]++;
          kraft += 1L << (maxLen - len);
          moved = true;
        }
      }
    }
    return h;
  }

  private static int max(int[] a) {
    int m = 0;
    for (int v : a) {
      m = Math.max(m, v);
    }
    return m;
  }
}
