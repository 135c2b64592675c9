package jcnn.compress.codec;

/**
 * Table-driven decoding of a canonical Huffman code. One lookup on the next {@code tableBits} bits
 * gives the symbol and its length for every code up to that length (nearly all symbols in
 * practice); longer codes fall back to the canonical first-code-per-length search (at most {@link
 * HuffmanCode#MAX_LENGTH} steps). Bit patterns that start no code throw, and every symbol's bits
 * are consumed through a checked {@link BitReader#skip}, so a corrupt stream ends in an exception
 * after at most one pass over its bits. Tested in {@code HuffmanTest} (speed, corruption).
 */
final class HuffmanDecoder {
  private static final int MAX_TABLE_BITS = 11;
  private static final int LONG = -1; // table entry: the prefix of a code longer than tableBits
  private static final int NONE = 0; // table entry: no code starts with these bits

  private final int tableBits;
  private final int maxLen;
  private final int[] table; // (symbol << 5) | length, or LONG, or NONE
  private final int[] count; // codes per length
  private final int[] firstCode; // first canonical code of each length
  private final int[] firstIndex; // its index in sorted
  private final int[] sorted; // symbols in (length, symbol) order

  HuffmanDecoder(int[] lengths, int[] codes) {
    int max = 0;
    count = new int[HuffmanCode.MAX_LENGTH + 1];
    for (int len : lengths) {
      max = Math.max(max, len);
      count[len]++;
    }
    count[0] = 0;
    maxLen = Math.max(max, 1);
    tableBits = Math.min(maxLen, MAX_TABLE_BITS);
    firstCode = new int[HuffmanCode.MAX_LENGTH + 1];
    firstIndex = new int[HuffmanCode.MAX_LENGTH + 1];
    int code = 0;
    int index = 0;
    for (int len = 1; len <= HuffmanCode.MAX_LENGTH; len++) {
      code = (code + count[len - 1]) << 1;
      firstCode[len] = code;
      firstIndex[len] = index;
      index += count[len];
    }
    sorted = new int[index];
    int[] fill = firstIndex.clone();
    for (int s = 0; s < lengths.length; s++) {
      if (lengths[s] != 0) {
        sorted[fill[lengths[s]]++] = s;
      }
    }
    table = buildTable(lengths, codes);
  }

  private int[] buildTable(int[] lengths, int[] codes) {
    int[] t = new int[1 << tableBits];
    for (int s = 0; s < lengths.length; s++) {
      int len = lengths[s];
      if (len == 0) {
        continue;
      }
      if (len <= tableBits) {
        int shift = tableBits - len;
        int from = codes[s] << shift;
        for (int i = 0; i < 1 << shift; i++) {
          t[from + i] = (s << 5) | len;
        }
      } else {
        t[codes[s] >>> (len - tableBits)] = LONG;
      }
    }
    return t;
  }

  void decode(BitReader r, int[] out, String what) throws CorruptStreamException {
    for (int i = 0; i < out.length; i++) {
      int e = table[r.peek(tableBits)];
      if (e > 0) {
        r.skip(e & 31, what);
        out[i] = e >>> 5;
      } else if (e == LONG) {
        out[i] = decodeLong(r, what);
      } else {
        throw invalid(r, what);
      }
    }
  }

  /** The canonical search, one bit at a time from length 1, for codes past the table. */
  private int decodeLong(BitReader r, String what) throws CorruptStreamException {
    int bits = r.peek(maxLen);
    int code = 0;
    for (int len = 1; len <= maxLen; len++) {
      code = (code << 1) | ((bits >>> (maxLen - len)) & 1);
      int k = code - firstCode[len];
      if (k >= 0 && k < count[len]) {
        r.skip(len, what);
        return sorted[firstIndex[len] + k];
      }
    }
    throw invalid(r, what);
  }

  private static CorruptStreamException invalid(BitReader r, String what) {
    return new CorruptStreamException(
        "no Huffman code matches the bits at bit " + r.position() + " of " + what);
  }
}
