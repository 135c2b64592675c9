package jcnn.compress.codec;

import jcnn.tensor.Shape;

/**
 * One tensor of a {@link JczModel}: either {@link Raw} float32 values or {@link Coded} cluster ids
 * over a codebook (Deep Compression's weight sharing, {@link SparseLayer#PRUNED} for pruned
 * weights). Arrays are held, not copied, and stay row-major over {@link #shape()}. Tested in {@code
 * JczFileTest}.
 */
public sealed interface JczTensor permits JczTensor.Raw, JczTensor.Coded {
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
