package jcnn.compress.codec;

/**
 * Huffman coding of int symbol arrays in one call: {@link #encode} writes a self-contained stream
 * (code table, symbol count, codes) and {@link #decode} reads it back. The pieces ({@link
 * HuffmanCode}, {@link BitWriter}, {@link BitReader}) are public for codecs that share one stream
 * between several codes, as {@link SparseLayer} does.
 *
 * <pre>
 * stream := code table (see LengthTable) | count: 32 bits | count codes | zero padding to a byte
 * </pre>
 *
 * Tested in {@code HuffmanTest}.
 */
public final class Huffman {
  private Huffman() {}

  /** How often each symbol of [0, alphabetSize) occurs in {@code symbols}. */
  public static long[] histogram(int[] symbols, int alphabetSize) {
    long[] freq = new long[alphabetSize];
    for (int s : symbols) {
      if (s < 0 || s >= alphabetSize) {
        throw new IllegalArgumentException(
            "Huffman.histogram: symbol " + s + " outside the alphabet [0, " + alphabetSize + ")");
      }
      freq[s]++;
    }
    return freq;
  }

  /** The optimal length-limited code for {@code symbols} over [0, alphabetSize). */
  public static HuffmanCode codeFor(int[] symbols, int alphabetSize) {
    return HuffmanCode.fromFrequencies(histogram(symbols, alphabetSize));
  }

  /** A self-contained stream of {@code symbols}, each in [0, alphabetSize). */
  public static byte[] encode(int[] symbols, int alphabetSize) {
    HuffmanCode code = codeFor(symbols, alphabetSize);
    BitWriter w = new BitWriter();
    code.writeTable(w);
    w.writeBits(symbols.length, 32);
    code.encode(symbols, w);
    return w.toByteArray();
  }

  /** Decodes a stream written by {@link #encode} with the same alphabet size. */
  public static int[] decode(byte[] stream, int alphabetSize) throws CorruptStreamException {
    BitReader r = new BitReader(stream);
    HuffmanCode code = HuffmanCode.readTable(r, alphabetSize, "Huffman stream");
    int count = r.readBits(32, "Huffman stream symbol count");
    if (count < 0) {
      throw new CorruptStreamException("Huffman stream: negative symbol count " + count);
    }
    return code.decode(r, count, "Huffman stream");
  }

  /** Shannon entropy of these frequencies times their total: the floor for any symbol code. */
  public static double entropyBits(long[] freq) {
    long total = 0;
    for (long f : freq) {
      total += f;
    }
    double bits = 0;
    for (long f : freq) {
      if (f > 0) {
        bits -= f * (Math.log((double) f / total) / Math.log(2));
      }
    }
    return bits;
  }
}
