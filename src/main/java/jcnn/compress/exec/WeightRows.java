package jcnn.compress.exec;

import jcnn.backend.cpu.Sgemv;

/**
 * A weight matrix W [K, C] held in a compressed execution form, and its product with a dense
 * right-hand side: Y[k, :] = W[k, :] B for B [C, M] row-major. Conv layers pass B = im2col of one
 * image (M = P * Q output pixels, columns in (r, s, c) order); linear layers pass B = x^T (M =
 * batch) or, at batch 1, x itself (M = 1). Implementations are immutable and thread-safe: callers
 * split the rows [k0, k1) between threads.
 */
public sealed interface WeightRows permits SparseRows, CodedRows, BitRows {
  /** K, the number of output rows. */
  int rows();

  /** C, the length of a row. */
  int cols();

  /**
   * Y[k, :] = W[k, :] B for k in [k0, k1), overwriting Y.
   *
   * @param b B [C, M] from offset bOff
   * @param y Y [K, M] from offset yOff (row k at yOff + k * m)
   */
  void multiply(int k0, int k1, float[] b, int bOff, int m, float[] y, int yOff);

  /**
   * The non-zero weights of row k, in column order: their values into {@code w} and their columns
   * into {@code col}, both at least {@link #maxTerms()} long. Returns how many there are.
   */
  int terms(int k, float[] w, int[] col);

  /** The most non-zeros any row has: the scratch length {@link #terms} needs. */
  int maxTerms();

  /**
   * Y[k, :] = W[k, :] B through the terms of each row: the output row is the sum of its non-zeros'
   * rows of B, held in vector registers and stored once ({@link Sgemv#combineRows}), nnz M FMAs.
   * The M &gt; 1 product of every form.
   */
  default void multiplyTerms(int k0, int k1, float[] b, int bOff, int m, float[] y, int yOff) {
    float[] w = new float[maxTerms()];
    int[] off = new int[maxTerms()];
    for (int k = k0; k < k1; k++) {
      int n = terms(k, w, off);
      for (int t = 0; t < n; t++) {
        off[t] = bOff + off[t] * m;
      }
      Sgemv.combineRows(w, off, n, b, y, yOff + k * m, m);
    }
  }

  /** The bytes this form holds (its arrays), the figure {@code jcnn eval} reports. */
  long bytes();

  /** The form in a few words, e.g. "csr 8.1% dense, 64-entry codebook". */
  String describe();

  /** The weights decoded to dense float32 [K, C] (tests and the dense fallback only). */
  float[] dense();
}
