package jcnn.compress.codec;

import java.util.Arrays;

/**
 * A canonical Huffman code over the alphabet [0, alphabetSize): each symbol's code length, and
 * codes assigned in (length, symbol) order as in DEFLATE (RFC 1951, 3.2.2). Because the lengths
 * alone determine the codes, a stream stores only the lengths ({@link #writeTable}, format in
 * {@link LengthTable}) and the decoder rebuilds the same code. Lengths are at most {@link
 * #MAX_LENGTH} bits; codes may be incomplete (Kraft sum below 1, e.g. a single symbol has the 1-bit
 * code "0"), in which case the unused bit patterns are detected as corruption on decode. Tested in
 * {@code HuffmanTest}.
 */
public final class HuffmanCode {
  /** The longest code; 24 bits keep a table-miss decode inside one {@link BitReader#peek}. */
  public static final int MAX_LENGTH = 24;

  /** The largest alphabet, 2^16 symbols. */
  public static final int MAX_ALPHABET = 1 << 16;

  private final int[] lengths; // per symbol, 0 = not in the code
  private final int[] codes; // per symbol, right-aligned canonical code
  private HuffmanDecoder decoder; // built on first decode

  private HuffmanCode(int[] lengths) {
    this.lengths = lengths;
    this.codes = canonicalCodes(lengths);
  }

  /** The optimal (length-limited) code for these frequencies; the alphabet is freq.length. */
  public static HuffmanCode fromFrequencies(long[] freq) {
    checkAlphabet(freq.length);
    return new HuffmanCode(CodeLengths.of(freq, MAX_LENGTH));
  }

  /** The canonical code with these lengths; throws if a length is out of range or Kraft fails. */
  public static HuffmanCode fromLengths(int[] lengths) {
    checkAlphabet(lengths.length);
    String problem = validate(lengths);
    if (problem != null) {
      throw new IllegalArgumentException("HuffmanCode.fromLengths: " + problem);
    }
    return new HuffmanCode(lengths.clone());
  }

  /** Reads a table written by {@link #writeTable} for an alphabet of {@code alphabetSize}. */
  public static HuffmanCode readTable(BitReader r, int alphabetSize, String what)
      throws CorruptStreamException {
    checkAlphabet(alphabetSize);
    int[] lengths = LengthTable.read(r, alphabetSize, MAX_LENGTH, what);
    String problem = validate(lengths);
    if (problem != null) {
      throw new CorruptStreamException("bad code table for " + what + ": " + problem);
    }
    return new HuffmanCode(lengths);
  }

  /** Writes the code lengths (not the codes) so {@link #readTable} rebuilds this code. */
  public void writeTable(BitWriter w) {
    LengthTable.write(lengths, w);
  }

  /** Size in bits of {@link #writeTable}'s output. */
  public long tableBits() {
    BitWriter w = new BitWriter();
    writeTable(w);
    return w.bitLength();
  }

  public int alphabetSize() {
    return lengths.length;
  }

  /** Code length of {@code symbol} in bits, 0 if it has no code. */
  public int length(int symbol) {
    return lengths[symbol];
  }

  public int[] lengths() {
    return lengths.clone();
  }

  /** Bits needed to encode symbols with these frequencies (which must all have codes). */
  public long encodedBits(long[] freq) {
    long bits = 0;
    for (int s = 0; s < freq.length; s++) {
      bits += freq[s] * lengths[s];
    }
    return bits;
  }

  /** Appends the codes of {@code symbols}; each must be in the alphabet and have a code. */
  public void encode(int[] symbols, BitWriter w) {
    for (int s : symbols) {
      if (s < 0 || s >= lengths.length || lengths[s] == 0) {
        throw new IllegalArgumentException(
            "HuffmanCode.encode: symbol " + s + " has no code (alphabet " + lengths.length + ")");
      }
      w.writeBits(codes[s], lengths[s]);
    }
  }

  /**
   * Decodes {@code count} symbols. Throws if the stream holds fewer bits than that many symbols
   * could take (checked before allocating), runs out, or holds a bit pattern that is no code.
   */
  public int[] decode(BitReader r, int count, String what) throws CorruptStreamException {
    if (count < 0 || count > r.remaining()) {
      throw new CorruptStreamException(
          what + ": " + count + " symbols cannot fit in the " + r.remaining() + " bits left");
    }
    if (decoder == null) {
      decoder = new HuffmanDecoder(lengths, codes);
    }
    int[] out = new int[count];
    decoder.decode(r, out, what);
    return out;
  }

  /** Null if {@code lengths} form a prefix code of lengths in [0, MAX_LENGTH], else the reason. */
  private static String validate(int[] lengths) {
    long kraft = 0; // in units of 2^-MAX_LENGTH
    for (int s = 0; s < lengths.length; s++) {
      if (lengths[s] < 0 || lengths[s] > MAX_LENGTH) {
        return "symbol " + s + " has length " + lengths[s] + ", outside [0, " + MAX_LENGTH + "]";
      }
      kraft += lengths[s] == 0 ? 0 : 1L << (MAX_LENGTH - lengths[s]);
    }
    if (kraft > 1L << MAX_LENGTH) {
      return "lengths are over-subscribed (Kraft sum "
          + (double) kraft / (1L << MAX_LENGTH)
          + " > 1)";
    }
    return null;
  }

  /** DEFLATE's assignment: codes of one length are consecutive, shorter codes sort first. */
  private static int[] canonicalCodes(int[] lengths) {
    int[] perLength = new int[MAX_LENGTH + 1];
    for (int len : lengths) {
      perLength[len]++;
    }
    perLength[0] = 0;
    int[] next = new int[MAX_LENGTH + 1];
    int code = 0;
    for (int len = 1; len <= MAX_LENGTH; len++) {
      code = (code + perLength[len - 1]) << 1;
      next[len] = code;
    }
    int[] codes = new int[lengths.length];
    for (int s = 0; s < lengths.length; s++) {
      if (lengths[s] != 0) {
        codes[s] = next[lengths[s]]++;
      }
    }
    return codes;
  }

  private static void checkAlphabet(int size) {
    if (size < 0 || size > MAX_ALPHABET) {
      throw new IllegalArgumentException(
          "HuffmanCode: alphabet of " + size + " symbols, at most " + MAX_ALPHABET + " allowed");
    }
  }

  @Override
  public String toString() {
    return "HuffmanCode" + Arrays.toString(lengths);
  }
}
