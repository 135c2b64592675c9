package jcnn.compress.exec;

/**
 * A weight matrix W [K, C] held in a compressed execution form, and its product with a dense
 * right-hand side: Y[k, :] = W[k, :] B for B [C, M] row-major. Linear layers pass B = x^T (M =
 * batch) or, at batch 1, x itself (M = 1); conv layers pass the im2col of one image (M = P Q,
 * columns in (r, s, c) order), or, for the forms that list their non-zeros ({@link TermRows}), run
 * each row on the input directly ({@link DirectConv}). Implementations are immutable and
 * thread-safe: callers split the rows [k0, k1) between threads.
 */
public sealed interface WeightRows permits TermRows, BitRows {
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

  /** The bytes this form holds (its arrays), the figure {@code jcnn eval} reports. */
  long bytes();

  /** The form in a few words, e.g. "csr 8.1% dense, 64-entry codebook". */
  String describe();

  /** The weights decoded to dense float32 [K, C] (tests and the dense fallback only). */
  float[] dense();
}
