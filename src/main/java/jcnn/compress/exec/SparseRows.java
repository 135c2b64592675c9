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
 * K C dense. Product: at M = 1 a gather dot product per row (2 loads, 1 FMA per non-zero, the
 * gathers x[col] hit L1 for fc-sized x); at M &gt; 1 each non-zero scales one row of B into Y with
 * vector FMAs, so the work is nnz M FMAs, density times the dense GEMM's. Tested in {@code
 * CompressedExecTest}.
 */
public final class SparseRows implements WeightRows {

  /** The widest row a 16-bit column index can address. */
  public static final int MAX_COLS = 1 << 16;

  private final int rows;
  private final int cols;
  private final int[] rowStart; // [K + 1]
  private final char[] colIndex; // [nnz]
  private final float[] values; // [nnz] or null
  private final byte[] codes; // [nnz] or null
  private final float[] codebook; // [k <= 256] or null

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
    if (m == 1 && values != null) {
      for (int k = k0; k < k1; k++) {
        float acc = 0f;
        for (int j = rowStart[k], end = rowStart[k + 1]; j < end; j++) {
          acc += values[j] * b[bOff + colIndex[j]];
        }
        y[yOff + k] = acc;
      }
      return;
    }
    if (m == 1) {
      for (int k = k0; k < k1; k++) {
        float acc = 0f;
        for (int j = rowStart[k], end = rowStart[k + 1]; j < end; j++) {
          acc += codebook[codes[j] & 0xFF] * b[bOff + colIndex[j]];
        }
        y[yOff + k] = acc;
      }
      return;
    }
    for (int k = k0; k < k1; k++) {
      int yr = yOff + k * m;
      java.util.Arrays.fill(y, yr, yr + m, 0f);
      for (int j = rowStart[k], end = rowStart[k + 1]; j < end; j++) {
        Sgemv.axpy(value(j), b, bOff + colIndex[j] * m, y, yr, m);
      }
    }
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
