package jcnn.compress.exec;

import java.util.Arrays;
import jcnn.backend.cpu.Sgemv;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Binary or ternary weights as bit planes, 64 weights to a {@code long}. Binary (BinaryConnect,
 * BNN, XNOR-Net): weight (k, c) is +s_k where bit c of row k's {@code pos} plane is set, -s_k where
 * it is clear. Ternary (TWN, TTQ): +wp where the {@code pos} bit is set, -wn where the {@code neg}
 * bit is, 0 where neither is. A row is {@code blocks} blocks of {@code blockLen} columns, each
 * block starting a new word: a conv row is R S blocks of C channels (columns in (r, s, c) order),
 * so one pixel's channels are whole words for {@link Xnor}; a linear row is one block.
 *
 * <p>Product with real inputs: Σ_c w_kc B[c, :] = s_k (2 Σ_{pos} B[c, :] - Σ_all B[c, :]) for
 * binary, wp Σ_{pos} - wn Σ_{neg} for ternary, so only additions remain. At M = 1 (a linear layer
 * at batch 1) the sums are vector adds of x masked by the bits (each lane's bit shifted to the sign
 * position and spread by an arithmetic shift); at M &gt; 1 the set bits are walked with {@code
 * Long.numberOfTrailingZeros} and each adds a row of B. Bytes: C / 8 per row per plane, 32 (binary)
 * or 16 (ternary) times fewer than float32. Tested in {@code CompressedExecTest}.
 */
public final class BitRows implements WeightRows {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final int V = F.length();
  private static final IntVector LANE_SHIFT = laneShifts(); // lane i: 31 - i

  private final int rows;
  private final int blockLen;
  private final int blocks;
  private final int blockWords; // ceil(blockLen / 64)
  private final long[] pos; // [K * blocks * blockWords]
  private final long[] neg; // same, ternary only; null for binary
  private final float[] scales; // binary: s_k [K]; ternary: {wp, wn}

  private BitRows(int rows, int blockLen, int blocks, long[] pos, long[] neg, float[] scales) {
    this.rows = rows;
    this.blockLen = blockLen;
    this.blocks = blocks;
    this.blockWords = (blockLen + 63) / 64;
    this.pos = pos;
    this.neg = neg;
    this.scales = scales;
  }

  private static IntVector laneShifts() {
    int[] s = new int[I.length()];
    for (int i = 0; i < s.length; i++) {
      s[i] = 31 - i;
    }
    return IntVector.fromArray(I, s, 0);
  }

  /**
   * Binary weights w [rows, blocks * blockLen], each +-scale of its row; {@code scales} has one
   * entry or one per row.
   */
  public static BitRows binary(float[] w, float[] scales, int rows, int blockLen, int blocks) {
    check(w.length, rows, blockLen, blocks);
    if (scales.length != 1 && scales.length != rows) {
      throw new IllegalArgumentException(
          "BitRows.binary: " + scales.length + " scales for " + rows + " rows");
    }
    float[] s = new float[rows];
    for (int k = 0; k < rows; k++) {
      s[k] = scales.length == 1 ? scales[0] : scales[k];
    }
    int wpr = blocks * ((blockLen + 63) / 64);
    long[] pos = new long[rows * wpr];
    int cols = blocks * blockLen;
    for (int k = 0; k < rows; k++) {
      for (int c = 0; c < cols; c++) {
        float v = w[k * cols + c];
        if (Math.abs(v) != s[k]) {
          throw new IllegalArgumentException(
              "BitRows.binary: weight " + v + " at row " + k + " is not +-" + s[k]);
        }
        if (v > 0) {
          setBit(pos, k * wpr, c, blockLen);
        }
      }
    }
    return new BitRows(rows, blockLen, blocks, pos, null, s);
  }

  /** Ternary weights w [rows, blocks * blockLen], each +wp, 0 or -wn. */
  public static BitRows ternary(float[] w, float wp, float wn, int rows, int blockLen, int blocks) {
    check(w.length, rows, blockLen, blocks);
    int wpr = blocks * ((blockLen + 63) / 64);
    long[] pos = new long[rows * wpr];
    long[] neg = new long[rows * wpr];
    int cols = blocks * blockLen;
    for (int k = 0; k < rows; k++) {
      for (int c = 0; c < cols; c++) {
        float v = w[k * cols + c];
        if (v == wp && v > 0) {
          setBit(pos, k * wpr, c, blockLen);
        } else if (v == -wn && v < 0) {
          setBit(neg, k * wpr, c, blockLen);
        } else if (v != 0f) {
          throw new IllegalArgumentException(
              "BitRows.ternary: weight " + v + " at row " + k + " is not +" + wp + ", 0 or -" + wn);
        }
      }
    }
    return new BitRows(rows, blockLen, blocks, pos, neg, new float[] {wp, wn});
  }

  private static void check(int n, int rows, int blockLen, int blocks) {
    if (rows < 1 || blockLen < 1 || blocks < 1 || (long) rows * blocks * blockLen != n) {
      throw new IllegalArgumentException(
          "BitRows: "
              + n
              + " weights do not make "
              + rows
              + " rows of "
              + blocks
              + " x "
              + blockLen);
    }
  }

  private static void setBit(long[] plane, int rowWord, int c, int blockLen) {
    int blk = c / blockLen;
    int within = c % blockLen;
    int words = (blockLen + 63) / 64;
    plane[rowWord + blk * words + within / 64] |= 1L << (within % 64);
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return blocks * blockLen;
  }

  /** Whether these are binary weights (one plane), as {@link Xnor} needs. */
  public boolean isBinary() {
    return neg == null;
  }

  int blockLen() {
    return blockLen;
  }

  int blocks() {
    return blocks;
  }

  int blockWords() {
    return blockWords;
  }

  int wordsPerRow() {
    return blocks * blockWords;
  }

  /** The positive plane: row k's words from k * wordsPerRow(). */
  long[] positive() {
    return pos;
  }

  /** Binary: the scale of row k. */
  float scale(int k) {
    return scales[k];
  }

  @Override
  public void multiply(int k0, int k1, float[] b, int bOff, int m, float[] y, int yOff) {
    if (m == 1 && blocks == 1) {
      float total = neg == null ? sum(b, bOff, blockLen) : 0f;
      for (int k = k0; k < k1; k++) {
        int w0 = k * blockWords;
        float p = maskedSum(pos, w0, b, bOff, blockLen);
        y[yOff + k] =
            neg == null
                ? scales[k] * (2 * p - total)
                : scales[0] * p - scales[1] * maskedSum(neg, w0, b, bOff, blockLen);
      }
      return;
    }
    float[] total = neg == null ? columnSums(b, bOff, m) : null;
    float[] accN = neg == null ? null : new float[m];
    for (int k = k0; k < k1; k++) {
      int yr = yOff + k * m;
      Arrays.fill(y, yr, yr + m, 0f);
      addRows(pos, k, b, bOff, m, y, yr);
      if (neg == null) {
        float s = scales[k];
        for (int i = 0; i < m; i++) {
          y[yr + i] = s * (2 * y[yr + i] - total[i]);
        }
      } else {
        Arrays.fill(accN, 0f);
        addRows(neg, k, b, bOff, m, accN, 0);
        for (int i = 0; i < m; i++) {
          y[yr + i] = scales[0] * y[yr + i] - scales[1] * accN[i];
        }
      }
    }
  }

  /** acc[0, m) += B[c, :] for every set bit c of row k of {@code plane}. */
  private void addRows(long[] plane, int k, float[] b, int bOff, int m, float[] acc, int aOff) {
    int w0 = k * wordsPerRow();
    for (int wi = 0; wi < wordsPerRow(); wi++) {
      long word = plane[w0 + wi];
      int cBase = (wi / blockWords) * blockLen + (wi % blockWords) * 64;
      while (word != 0) {
        int c = cBase + Long.numberOfTrailingZeros(word);
        word &= word - 1;
        Sgemv.axpy(1f, b, bOff + c * m, acc, aOff, m);
      }
    }
  }

  private float[] columnSums(float[] b, int bOff, int m) {
    float[] t = new float[m];
    for (int c = 0, n = cols(); c < n; c++) {
      Sgemv.axpy(1f, b, bOff + c * m, t, 0, m);
    }
    return t;
  }

  private static float sum(float[] x, int off, int len) {
    FloatVector acc = FloatVector.zero(F);
    int i = 0;
    for (int bound = F.loopBound(len); i < bound; i += V) {
      acc = acc.add(FloatVector.fromArray(F, x, off + i));
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < len; i++) {
      s += x[off + i];
    }
    return s;
  }

  /** Σ x[off + c] over c in [0, len) whose bit is set in plane[w0 ...] (LSB-first words). */
  static float maskedSum(long[] plane, int w0, float[] x, int off, int len) {
    FloatVector acc = FloatVector.zero(F);
    int c = 0;
    for (int full = len / 64 * 64; c < full; c += 64) {
      long word = plane[w0 + c / 64];
      for (int sub = 0; sub < 64; sub += V) {
        IntVector mask =
            IntVector.broadcast(I, (int) (word >>> sub))
                .lanewise(VectorOperators.LSHL, LANE_SHIFT)
                .lanewise(VectorOperators.ASHR, 31);
        FloatVector xv = FloatVector.fromArray(F, x, off + c + sub);
        acc = acc.add(xv.reinterpretAsInts().and(mask).reinterpretAsFloats());
      }
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; c < len; c++) {
      if ((plane[w0 + c / 64] >>> (c % 64) & 1) != 0) {
        s += x[off + c];
      }
    }
    return s;
  }

  @Override
  public long bytes() {
    return 8L * pos.length + (neg == null ? 0 : 8L * neg.length) + 4L * scales.length;
  }

  @Override
  public String describe() {
    return neg == null ? "binary, 1 bit/weight, a scale per row" : "ternary, 2 bit planes";
  }

  @Override
  public float[] dense() {
    int cols = cols();
    float[] w = new float[rows * cols];
    for (int k = 0; k < rows; k++) {
      for (int c = 0; c < cols; c++) {
        int word = k * wordsPerRow() + (c / blockLen) * blockWords + (c % blockLen) / 64;
        long bit = 1L << ((c % blockLen) % 64);
        if ((pos[word] & bit) != 0) {
          w[k * cols + c] = neg == null ? scales[k] : scales[0];
        } else if (neg == null) {
          w[k * cols + c] = -scales[k];
        } else if ((neg[word] & bit) != 0) {
          w[k * cols + c] = -scales[1];
        }
      }
    }
    return w;
  }
}
