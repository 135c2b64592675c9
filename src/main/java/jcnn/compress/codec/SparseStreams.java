package jcnn.compress.codec;

import java.util.Arrays;

/**
 * Decoding of {@link SparseLayer}'s SPARSE body: two canonical tables, the gap stream, the id
 * stream, then the walk that places each id at its position. Kept apart from the encoder because it
 * is where a damaged payload must be caught: counts are checked against the bits left before
 * anything is allocated (inside {@link HuffmanCode#decode}) and every position against n. Tested in
 * {@code SparseLayerTest}.
 */
final class SparseStreams {
  private SparseStreams() {}

  static int[] read(BitReader r, int k, int gapBits, int entries, int n, String what)
      throws CorruptStreamException {
    if (gapBits < 1 || gapBits > SparseLayer.FORMAT_MAX_GAP_BITS) {
      throw new CorruptStreamException(what + ": gap width " + gapBits + " not in [1, 16]");
    }
    if (entries < 0 || entries > n) {
      throw new CorruptStreamException(
          what + ": " + entries + " (gap, id) entries for " + n + " weights");
    }
    HuffmanCode gapCode = HuffmanCode.readTable(r, 1 << gapBits, what + " gaps");
    HuffmanCode idCode = HuffmanCode.readTable(r, k + 1, what + " ids");
    int[] gaps = gapCode.decode(r, entries, what + " gaps");
    int[] ids = idCode.decode(r, entries, what + " ids");
    int[] codes = new int[n];
    Arrays.fill(codes, SparseLayer.PRUNED);
    long pos = -1;
    for (int e = 0; e < entries; e++) {
      pos += gaps[e] + 1;
      if (pos >= n) {
        throw new CorruptStreamException(
            what + ": entry " + e + " lands at position " + pos + ", past the " + n + " weights");
      }
      if (ids[e] != k) { // id k is a filler zero: it only moves the position
        codes[(int) pos] = ids[e];
      }
    }
    return codes;
  }
}
