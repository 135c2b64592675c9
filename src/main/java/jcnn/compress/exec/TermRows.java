package jcnn.compress.exec;

import jcnn.backend.cpu.Sgemv;

/**
 * A weight form that can list each row's non-zeros (CSR and dense codebook indices): the products
 * built on that list, {@link #multiplyTerms} for a linear layer's batch and {@link DirectConv} for
 * a conv, keep the output in vector registers and read each non-zero's input run once. Bit planes
 * ({@link BitRows}) are not term rows: a binary row has a term in every column, and walking the set
 * bits with an axpy each was twice as fast as listing them (jcnn bench xnor, batch 64).
 */
sealed interface TermRows extends WeightRows permits SparseRows, CodedRows {
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
}
