package jcnn.compress.exec;

import java.util.Locale;
import jcnn.backend.cpu.Sgemv;

/**
 * A sparse weight matrix in compressed sparse row (CSR) form: row k's non-zeros are entries
 * [rowStart[k], rowStart[k + 1]) of {@code cols} (16-bit column indices, so C is at most 65,536)
 * and of either {@code values} (float32) or {@code codes} (one byte each, into a codebook of at
 * most 256 centroids: Deep Compression's pruning and weight sharing together).
 *
 * <p>Bytes: 4 (K + 1) + nnz (2 + 4) for float values, 4 (K + 1) + 3 nnz + 4 k with codes, against 4
 * K C dense. Product: at M = 1 a gather dot product per row (3 loads and a multiply-add per
 * non-zero, the gathers x[col] hit L1 for fc-sized x) with four partial sums, so the loop is bound
 * by loads rather than by the latency of one chain of adds; at M &gt; 1 each output row is the sum
 * of its non-zeros' rows of B, held in vector registers ({@link Sgemv#combineRows}), so the work is
 * nnz M FMAs, density times the dense GEMM's, and the output row is stored once. Tested in {@code
 * CompressedExecTest}.
 */
public final class SparseRows implements TermRows {

  /** The widest row a 16-bit column index can address. */
  public static final int MAX_COLS = 1 << 16;

  private final int rows;
  private final int cols;
  private final int[] rowStart; // [K + 1]
  private final char[] colIndex; // [nnz]
  private final float[] values; // [nnz] or null
  private final byte[] codes; // [nnz] or null
  private final float[] codebook; // [k <= 256] or null
  private final int widest; // the most non-zeros in a row

  private SparseRows(
      int rows,
      int cols,
      int[] rowStart,
      char[] colIndex,
      float[] values,
      byte[] codes,
      float[] cb) {
    this.rows = rows;
    this.cols = cols;
    this.rowStart = rowStart;
    this.colIndex = colIndex;
    this.values = values;
    this.codes = codes;
    this.codebook = cb;
    int most = 0;
    for (int k = 0; k < rows; k++) {
      most = Math.max(most, rowStart[k + 1] - rowStart[k]);
    }
    this.widest = most;
  }

  /** The non-zeros of dense w [rows, cols] with their float values (exact: the same floats). */
  public static SparseRows of(float[] w, int rows, int cols) {
    checkShape(w.length, rows, cols);
    int[] start = new int[rows + 1];
    int nnz = 0;
    for (float v : w) {
      nnz += v != 0f ? 1 : 0;
    }
    char[] ci = new char[nnz];
    float[] vals = new float[nnz];
    int j = 0;
    for (int k = 0; k < rows; k++) {
      for (int c = 0; c < cols; c++) {
        float v = w[k * cols + c];
        if (v != 0f) {
          ci[j] = (char) c;
          vals[j++] = v;
        }
      }
      start[k + 1] = j;
    }
    return new SparseRows(rows, cols, start, ci, vals, null, null);
  }

  /**
   * The non-pruned entries of codes [rows, cols] (-1 = pruned) as byte codes into {@code codebook}
   * (at most 256 centroids).
   */
  public static SparseRows coded(int[] codes, float[] codebook, int rows, int cols) {
    checkShape(codes.length, rows, cols);
    if (codebook.length > 256) {
      throw new IllegalArgumentException(
          "SparseRows.coded: " + codebook.length + " centroids do not fit byte codes (max 256)");
    }
    int[] start = new int[rows + 1];
    int nnz = 0;
    for (int c : codes) {
      nnz += c >= 0 ? 1 : 0;
    }
    char[] ci = new char[nnz];
    byte[] bc = new byte[nnz];
    int j = 0;
    for (int k = 0; k < rows; k++) {
      for (int c = 0; c < cols; c++) {
        int code = codes[k * cols + c];
        if (code >= 0) {
          ci[j] = (char) c;
          bc[j++] = (byte) code;
        }
      }
      start[k + 1] = j;
    }
    return new SparseRows(rows, cols, start, ci, null, bc, codebook.clone());
  }

  private static void checkShape(int n, int rows, int cols) {
    if (rows < 1 || cols < 1 || (long) rows * cols != n) {
      throw new IllegalArgumentException(
          "SparseRows: " + n + " weights do not make a [" + rows + ", " + cols + "] matrix");
    }
    if (cols > MAX_COLS) {
      throw new IllegalArgumentException(
          "SparseRows: rows of " + cols + " columns exceed 16-bit indices (" + MAX_COLS + ")");
    }
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  /** The number of stored non-zeros. */
  public int nonZeros() {
    return colIndex.length;
  }

  private float value(int j) {
    return values != null ? values[j] : codebook[codes[j] & 0xFF];
  }

  @Override
  public void multiply(int k0, int k1, float[] b, int bOff, int m, float[] y, int yOff) {
    if (m == 1) {
      for (int k = k0; k < k1; k++) {
        y[yOff + k] = values != null ? dotValues(k, b, bOff) : dotCodes(k, b, bOff);
      }
      return;
    }
    multiplyTerms(k0, k1, b, bOff, m, y, yOff);
  }

  // Row k times x: four partial sums, so consecutive non-zeros do not wait on one add's latency.
  private float dotValues(int k, float[] x, int xo) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int j = rowStart[k];
    int end = rowStart[k + 1];
    for (; j + 3 < end; j += 4) {
      s0 += values[j] * x[xo + colIndex[j]];
      s1 += values[j + 1] * x[xo + colIndex[j + 1]];
      s2 += values[j + 2] * x[xo + colIndex[j + 2]];
      s3 += values[j + 3] * x[xo + colIndex[j + 3]];
    }
    for (; j < end; j++) {
      s0 += values[j] * x[xo + colIndex[j]];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private float dotCodes(int k, float[] x, int xo) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int j = rowStart[k];
    int end = rowStart[k + 1];
    for (; j + 3 < end; j += 4) {
      s0 += codebook[codes[j] & 0xFF] * x[xo + colIndex[j]];
      s1 += codebook[codes[j + 1] & 0xFF] * x[xo + colIndex[j + 1]];
      s2 += codebook[codes[j + 2] & 0xFF] * x[xo + colIndex[j + 2]];
      s3 += codebook[codes[j + 3] & 0xFF] * x[xo + colIndex[j + 3]];
    }
    for (; j < end; j++) {
      s0 += codebook[codes[j] & 0xFF] * x[xo + colIndex[j]];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public int terms(int k, float[] w, int[] col) {
    int j0 = rowStart[k];
    int n = rowStart[k + 1] - j0;
    for (int t = 0; t < n; t++) {
      w[t] = value(j0 + t);
      col[t] = colIndex[j0 + t];
    }
    return n;
  }

  @Override
  public int maxTerms() {
    return widest;
  }

  @Override
  public long bytes() {
    long b = 4L * rowStart.length + 2L * colIndex.length;
    return values != null ? b + 4L * values.length : b + codes.length + 4L * codebook.length;
  }

  @Override
  public String describe() {
    double density = (double) colIndex.length / ((long) rows * cols);
    return String.format(
        Locale.ROOT,
        "csr %.1f%% dense, %s",
        100 * density,
        values != null ? "float values" : codebook.length + "-entry codebook");
  }

  @Override
  public float[] dense() {
    float[] w = new float[rows * cols];
    for (int k = 0; k < rows; k++) {
      for (int j = rowStart[k]; j < rowStart[k + 1]; j++) {
        w[k * cols + colIndex[j]] = value(j);
      }
    }
    return w;
  }
}
