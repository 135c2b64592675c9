package jcnn.compress.exec;

import java.util.Locale;

/**
 * A weight matrix kept as dense codebook indices, Deep Compression's shared weights without the
 * sparse index: one byte per weight for up to 255 centroids, or two 4-bit indices per byte for up
 * to 15, with one more table entry, 0.0, standing for the pruned weights. The product looks each
 * weight up in a table of at most 256 floats (L1-resident), so it reads 1 or 0.5 bytes per weight
 * where dense float32 reads 4: it wins where the weights do not fit cache, and holds 4 to 8 times
 * fewer bytes everywhere. Tested in {@code CompressedExecTest}.
 */
public final class CodedRows implements TermRows {
  private final int rows;
  private final int cols;
  private final boolean nibbles;
  private final byte[] index; // [K * C] bytes, or [K * ceil(C / 2)] nibble pairs (high first)
  private final float[] table; // the codebook, then 0.0 for pruned

  private CodedRows(int rows, int cols, boolean nibbles, byte[] index, float[] table) {
    this.rows = rows;
    this.cols = cols;
    this.nibbles = nibbles;
    this.index = index;
    this.table = table;
  }

  /**
   * codes [rows, cols] (-1 = pruned) into {@code codebook}: nibbles when the codebook and the
   * pruned entry fit 16 values, bytes when they fit 256.
   */
  public static CodedRows of(int[] codes, float[] codebook, int rows, int cols) {
    if (rows < 1 || cols < 1 || (long) rows * cols != codes.length) {
      throw new IllegalArgumentException(
          "CodedRows: " + codes.length + " codes do not make a [" + rows + ", " + cols + "]");
    }
    int k = codebook.length;
    if (k + 1 > 256) {
      throw new IllegalArgumentException(
          "CodedRows: " + k + " centroids and the pruned entry do not fit byte indices (max 255)");
    }
    float[] table = java.util.Arrays.copyOf(codebook, k + 1); // table[k] = 0 for pruned
    boolean nib = k + 1 <= 16;
    int stride = nib ? (cols + 1) / 2 : cols;
    byte[] idx = new byte[rows * stride];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int code = codes[r * cols + c];
        int v = code < 0 ? k : code;
        if (nib) {
          idx[r * stride + c / 2] |= (byte) ((c & 1) == 0 ? v << 4 : v);
        } else {
          idx[r * stride + c] = (byte) v;
        }
      }
    }
    return new CodedRows(rows, cols, nib, idx, table);
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  private int stride() {
    return nibbles ? (cols + 1) / 2 : cols;
  }

  /** The table index of weight (r, c). */
  private int code(int r, int c) {
    if (!nibbles) {
      return index[r * cols + c] & 0xFF;
    }
    int b = index[r * stride() + c / 2];
    return (c & 1) == 0 ? (b >> 4) & 0xF : b & 0xF;
  }

  @Override
  public void multiply(int k0, int k1, float[] b, int bOff, int m, float[] y, int yOff) {
    if (m == 1) {
      for (int k = k0; k < k1; k++) {
        y[yOff + k] = nibbles ? dotNibbles(k, b, bOff) : dotBytes(k, b, bOff);
      }
      return;
    }
    multiplyTerms(k0, k1, b, bOff, m, y, yOff);
  }

  // Row k times x with four partial sums (one chain of adds would bound the loop by its latency).
  private float dotBytes(int k, float[] x, int xo) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int base = k * cols;
    int c = 0;
    for (; c + 3 < cols; c += 4) {
      s0 += table[index[base + c] & 0xFF] * x[xo + c];
      s1 += table[index[base + c + 1] & 0xFF] * x[xo + c + 1];
      s2 += table[index[base + c + 2] & 0xFF] * x[xo + c + 2];
      s3 += table[index[base + c + 3] & 0xFF] * x[xo + c + 3];
    }
    for (; c < cols; c++) {
      s0 += table[index[base + c] & 0xFF] * x[xo + c];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private float dotNibbles(int k, float[] x, int xo) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int base = k * stride();
    int c = 0;
    for (; c + 3 < cols; c += 4) {
      int p = index[base + c / 2];
      int q = index[base + c / 2 + 1];
      s0 += table[(p >> 4) & 0xF] * x[xo + c];
      s1 += table[p & 0xF] * x[xo + c + 1];
      s2 += table[(q >> 4) & 0xF] * x[xo + c + 2];
      s3 += table[q & 0xF] * x[xo + c + 3];
    }
    for (; c < cols; c++) {
      s0 += table[code(k, c)] * x[xo + c];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public int terms(int k, float[] w, int[] col) {
    int n = 0;
    for (int c = 0; c < cols; c++) {
      float v = table[code(k, c)];
      if (v != 0f) {
        w[n] = v;
        col[n++] = c;
      }
    }
    return n;
  }

  @Override
  public int maxTerms() {
    return cols;
  }

  @Override
  public long bytes() {
    return index.length + 4L * table.length;
  }

  @Override
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%s codebook indices, %d-entry codebook",
        nibbles ? "4-bit" : "8-bit",
        table.length - 1);
  }

  @Override
  public float[] dense() {
    float[] w = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        w[r * cols + c] = table[code(r, c)];
      }
    }
    return w;
  }
}
