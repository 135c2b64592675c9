package jcnn.compress.codec;

/**
 * The compact on-disk form of a canonical Huffman code: its code lengths, delta-coded. Layout
 * (bits, MSB first):
 *
 * <pre>
 * m: 17 bits        number of lengths stored (symbols past the last used one are left out)
 * then ops until m lengths are produced, prev starting at 0:
 *   0                 one length equal to prev
 *   10                prev + 1
 *   110               prev - 1
 *   1110 + 5 bits     an absolute length in [0, 24]
 *   1111 + 16 bits    a run of (value + 1) lengths equal to prev (used for runs of 21 or more)
 * </pre>
 *
 * Neighbouring symbols (cluster ids sorted by centroid, gaps of similar size) have similar lengths,
 * so a 33-symbol table takes 60 to 120 bits instead of the 165 of plain 5-bit lengths, and an
 * unused stretch of a 2^16 alphabet costs 20 bits per 65,536 symbols. Tested in {@code
 * HuffmanTest}.
 */
final class LengthTable {
  static final int COUNT_BITS = 17;
  private static final int RUN_BITS = 16;
  private static final int MIN_RUN = 21; // shorter runs are cheaper as single '0' ops

  private LengthTable() {}

  static void write(int[] lengths, BitWriter w) {
    int m = lengths.length;
    while (m > 0 && lengths[m - 1] == 0) {
      m--;
    }
    w.writeBits(m, COUNT_BITS);
    int prev = 0;
    int i = 0;
    while (i < m) {
      int len = lengths[i];
      if (len == prev) {
        int run = 1;
        while (i + run < m && lengths[i + run] == prev && run < 1 << RUN_BITS) {
          run++;
        }
        if (run >= MIN_RUN) {
          w.writeBits(0b1111, 4);
          w.writeBits(run - 1, RUN_BITS);
          i += run;
          continue;
        }
        w.writeBits(0b0, 1);
      } else if (len == prev + 1) {
        w.writeBits(0b10, 2);
      } else if (len == prev - 1) {
        w.writeBits(0b110, 3);
      } else {
        w.writeBits(0b1110, 4);
        w.writeBits(len, 5);
      }
      prev = len;
      i++;
    }
  }

  /** Reads the lengths of an {@code alphabetSize}-symbol code; every value is range-checked. */
  static int[] read(BitReader r, int alphabetSize, int maxLen, String what)
      throws CorruptStreamException {
    String where = "code table of " + what;
    int m = r.readBits(COUNT_BITS, where);
    if (m > alphabetSize) {
      throw new CorruptStreamException(
          where + " lists " + m + " symbols, the alphabet has " + alphabetSize);
    }
    int[] lengths = new int[alphabetSize];
    int prev = 0;
    int i = 0;
    while (i < m) {
      int run = 1;
      int len;
      if (!r.readBit(where)) {
        len = prev;
      } else if (!r.readBit(where)) {
        len = prev + 1;
      } else if (!r.readBit(where)) {
        len = prev - 1;
      } else if (!r.readBit(where)) {
        len = r.readBits(5, where);
      } else {
        len = prev;
        run = r.readBits(RUN_BITS, where) + 1;
      }
      if (len < 0 || len > maxLen || run > m - i) {
        throw new CorruptStreamException(
            where + ": bad entry at symbol " + i + " (length " + len + ", run " + run + ")");
      }
      for (int j = 0; j < run; j++) {
        lengths[i++] = len;
      }
      prev = len;
    }
    return lengths;
  }
}
