package jcnn.compress.codec;

import jcnn.tensor.Shape;

/**
 * One tensor of a {@link JczModel}: {@link Raw} float32 values, {@link Coded} cluster ids over a
 * codebook (Deep Compression's weight sharing, {@link SparseLayer#PRUNED} for pruned weights), or
 * the bit-packed low-bit weights of binary ({@link Binary}, 1 bit each) and ternary ({@link
 * Ternary}, 2 bits each) training. Arrays are held, not copied, and stay row-major over {@link
 * #shape()}. Tested in {@code JczFileTest} and {@code JczLowBitTest}.
 */
public sealed interface JczTensor
    permits JczTensor.Raw, JczTensor.Coded, JczTensor.Binary, JczTensor.Ternary {
  /** The most values a tensor may hold in a {@code .jcz} file, 2^28. */
  int MAX_NUMEL = 1 << 28;

  Shape shape();

  /** The tensor's values as floats: the raw values, or codebook[code] (0 where pruned). */
  float[] decode();

  /** Float32 values stored as they are: biases, batch-norm parameters, anything tiny. */
  record Raw(float[] values, Shape shape) implements JczTensor {
    public Raw {
      if (values.length != shape.numel() || values.length > MAX_NUMEL) {
        throw new IllegalArgumentException(
            "JczTensor.Raw: " + values.length + " values for shape " + shape);
      }
    }

    @Override
    public float[] decode() {
      return values.clone();
    }
  }

  /** Cluster ids ({@code -1} = pruned) into a float32 codebook of k centroids. */
  record Coded(int[] codes, float[] codebook, Shape shape) implements JczTensor {
    public Coded {
      if (codes.length != shape.numel() || codes.length > MAX_NUMEL) {
        throw new IllegalArgumentException(
            "JczTensor.Coded: " + codes.length + " codes for shape " + shape);
      }
      if (codebook.length > SparseLayer.MAX_CLUSTERS) {
        throw new IllegalArgumentException(
            "JczTensor.Coded: "
                + codebook.length
                + " clusters, at most "
                + SparseLayer.MAX_CLUSTERS);
      }
      for (int i = 0; i < codes.length; i++) {
        if (codes[i] < SparseLayer.PRUNED || codes[i] >= codebook.length) {
          throw new IllegalArgumentException(
              "JczTensor.Coded: code "
                  + codes[i]
                  + " at "
                  + i
                  + " is not -1 or in [0, "
                  + codebook.length
                  + ")");
        }
      }
    }

    /** The decoded weights: exactly codebook[code], and +0.0f where pruned. */
    @Override
    public float[] decode() {
      float[] out = new float[codes.length];
      for (int i = 0; i < codes.length; i++) {
        int c = codes[i];
        out[i] = c == SparseLayer.PRUNED ? 0f : codebook[c];
      }
      return out;
    }

    /** Number of weights that are not pruned. */
    public int nonZeros() {
      int nnz = 0;
      for (int c : codes) {
        nnz += c == SparseLayer.PRUNED ? 0 : 1;
      }
      return nnz;
    }
  }

  /**
   * Binary weights, 1 bit each: bit i (MSB-first in {@code bits}) set means {@code +scale}, clear
   * {@code -scale}, where the scale is {@code scales[0]} for the whole tensor or {@code scales[r]}
   * for output channel r = i / (numel / dims[0]) (XNOR-Net's per-channel scale).
   *
   * @param bits ceil(numel / 8) bytes, the unused low bits of the last byte zero
   */
  record Binary(float[] scales, byte[] bits, Shape shape) implements JczTensor {
    public Binary {
      int n = shape.numel();
      int rows = shape.rank() == 0 ? 1 : shape.dim(0);
      if (n > MAX_NUMEL || n < 1 || bits.length != (n + 7) / 8) {
        throw new IllegalArgumentException(
            "JczTensor.Binary: " + bits.length + " bytes of bits for shape " + shape);
      }
      if (scales.length != 1 && scales.length != rows) {
        throw new IllegalArgumentException(
            "JczTensor.Binary: "
                + scales.length
                + " scales for shape "
                + shape
                + ", need 1 or one per output channel ("
                + rows
                + ")");
      }
      checkScales(scales);
    }

    /** Whether weight i is the positive level. */
    public boolean positive(int i) {
      return (bits[i >>> 3] & (0x80 >>> (i & 7))) != 0;
    }

    /** The scale of weight i. */
    public float scale(int i) {
      return scales.length == 1 ? scales[0] : scales[i / (shape.numel() / scales.length)];
    }

    @Override
    public float[] decode() {
      float[] out = new float[shape.numel()];
      for (int i = 0; i < out.length; i++) {
        out[i] = positive(i) ? scale(i) : -scale(i);
      }
      return out;
    }

    /** Packs the signs of w (w &gt;= 0 is positive) MSB-first. */
    public static byte[] pack(float[] w) {
      byte[] out = new byte[(w.length + 7) / 8];
      for (int i = 0; i < w.length; i++) {
        if (w[i] >= 0) {
          out[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
      }
      return out;
    }
  }

  /**
   * Ternary weights, 2 bits each (MSB-first, four per byte): code 0 is 0, 1 is {@code +positive}, 2
   * is {@code -negative}; 3 is not a code. One pair of levels per tensor, as TWN (positive =
   * negative) and TTQ (two trained scales) have them.
   *
   * @param codes ceil(numel / 4) bytes, the unused low bits of the last byte zero
   */
  record Ternary(float positive, float negative, byte[] codes, Shape shape) implements JczTensor {
    public static final int ZERO = 0;
    public static final int POSITIVE = 1;
    public static final int NEGATIVE = 2;

    public Ternary {
      int n = shape.numel();
      if (n > MAX_NUMEL || n < 1 || codes.length != (n + 3) / 4) {
        throw new IllegalArgumentException(
            "JczTensor.Ternary: " + codes.length + " bytes of codes for shape " + shape);
      }
      checkScales(new float[] {positive, negative});
      for (int i = 0; i < n; i++) {
        if (code(codes, i) == 3) {
          throw new IllegalArgumentException("ternary code 3 (not a level) at weight " + i);
        }
      }
    }

    /** Code i of a packed array. */
    public static int code(byte[] codes, int i) {
      return (codes[i >>> 2] >>> (6 - 2 * (i & 3))) & 3;
    }

    @Override
    public float[] decode() {
      float[] out = new float[shape.numel()];
      for (int i = 0; i < out.length; i++) {
        int c = code(codes, i);
        out[i] = c == POSITIVE ? positive : c == NEGATIVE ? -negative : 0f;
      }
      return out;
    }

    /** The weights that are not zero. */
    public int nonZeros() {
      int nnz = 0;
      for (int i = 0; i < shape.numel(); i++) {
        nnz += code(codes, i) == ZERO ? 0 : 1;
      }
      return nnz;
    }

    /** Packs w, whose values are 0, +positive or -negative, as codes; anything else is an error. */
    public static Ternary of(float[] w, float positive, float negative, Shape shape) {
      byte[] out = new byte[(w.length + 3) / 4];
      for (int i = 0; i < w.length; i++) {
        int c;
        if (w[i] == 0f) {
          c = ZERO;
        } else if (w[i] == positive) {
          c = POSITIVE;
        } else if (w[i] == -negative) {
          c = NEGATIVE;
        } else {
          throw new IllegalArgumentException(
              "JczTensor.Ternary: value "
                  + w[i]
                  + " at "
                  + i
                  + " is none of 0, "
                  + positive
                  + ", "
                  + -negative);
        }
        out[i >>> 2] |= (byte) (c << (6 - 2 * (i & 3)));
      }
      return new Ternary(positive, negative, out, shape);
    }
  }

  /** Scales must be finite and non-zero: a zero or NaN scale is a damaged or meaningless file. */
  private static void checkScales(float[] scales) {
    for (int i = 0; i < scales.length; i++) {
      if (!Float.isFinite(scales[i]) || scales[i] == 0f) {
        throw new IllegalArgumentException(
            "scale " + i + " is " + scales[i] + "; scales must be finite and non-zero");
      }
    }
  }

  /**
   * The smaller of the two ways to store shared weights: {@link Coded}, or {@link Raw} decoded
   * values when the codebook and tables would outweigh n float32s (a 10-value bias with 10
   * centroids, say). Both decode to the same floats.
   */
  static JczTensor compact(int[] codes, float[] codebook, Shape shape) {
    Coded coded = new Coded(codes, codebook, shape);
    long codedBytes = SparseLayer.encode(codes, codebook).payload().length;
    return codedBytes < 4L * codes.length ? coded : new Raw(coded.decode(), shape);
  }
}
