package jcnn.compress.codec;

/**
 * How a tensor's values are stored in a {@code .jcz} section; the id is the section's type byte.
 * The three coded forms store cluster ids ({@code -1} = pruned) and a float32 codebook; {@link
 * SparseLayer} picks the smallest. The two low-bit forms hold the weights of binary and ternary
 * training ({@link JczTensor.Binary}, {@link JczTensor.Ternary}). See docs/jcz-format.md for the
 * bit layouts.
 */
public enum Encoding {
  /** Float32 values as they are: for biases and batch-norm parameters, where coding cannot pay. */
  RAW_F32(0),
  /** Each cluster id in ceil(log2(k + 1)) bits, id k meaning pruned; no tables. Tiny tensors. */
  FIXED(1),
  /** Huffman-coded cluster ids, symbol k meaning pruned: for dense or mildly pruned layers. */
  DENSE(2),
  /**
   * Deep Compression's relative-index form: Huffman-coded (gap, id) pairs for the non-zeros, id k a
   * filler zero that bridges a gap longer than 2^gapBits.
   */
  SPARSE(3),
  /** Format version 2: binary weights, 1 bit each, with one scale per tensor or per channel. */
  BINARY(4),
  /** Format version 2: ternary weights, 2 bits each, with a positive and a negative level. */
  TERNARY(5);

  public final int id;

  /** Whether this is one of the low-bit forms of format version 2. */
  public boolean lowBit() {
    return this == BINARY || this == TERNARY;
  }

  Encoding(int id) {
    this.id = id;
  }

  /** The encoding with this type byte, or null if there is none. */
  public static Encoding fromId(int id) {
    for (Encoding e : values()) {
      if (e.id == id) {
        return e;
      }
    }
    return null;
  }
}
