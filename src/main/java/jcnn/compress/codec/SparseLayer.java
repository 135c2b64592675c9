package jcnn.compress.codec;

/**
 * The codec of one weight-shared layer (Deep Compression, Han et al. 2016, Sec. 3 and 4): cluster
 * ids over the flattened weights, {@link #PRUNED} for a pruned weight, plus the float32 codebook.
 * Three encodings ({@link Encoding}), and {@link #encode} keeps the smallest:
 *
 * <ul>
 *   <li>SPARSE, the paper's relative indices: for each non-zero, the gap from the previous non-zero
 *       (or from position -1) and its cluster id. Gaps are limited to 2^gapBits; a longer gap first
 *       emits "filler zeros" (gap 2^gapBits, id k) that produce no weight. The gap stream and the
 *       id stream are Huffman-coded with their own canonical tables. gapBits 2..8 are all tried
 *       (the paper fixes 8 for conv, 5 for fc): with Huffman on top, a larger range mostly costs
 *       table bits, a smaller one fillers.
 *   <li>DENSE: every position's id Huffman-coded, id k meaning pruned (no index overhead).
 *   <li>FIXED: every id in ceil(log2(k + 1)) plain bits (no tables; wins for tiny tensors).
 * </ul>
 *
 * <pre>
 * payload := codebook: k x float32 | body | zero padding to a byte
 * SPARSE body := gap table (alphabet 2^gapBits, symbol gap - 1) | id table (alphabet k + 1)
 *                | entries gap codes | entries id codes
 * DENSE body  := id table (alphabet k + 1) | n id codes
 * FIXED body  := n ids of ceil(log2(k + 1)) bits
 * </pre>
 *
 * Decoding checks every count against the bits left before allocating and every position against n,
 * so a damaged payload throws {@link CorruptStreamException}. Tested in {@code SparseLayerTest}.
 */
public final class SparseLayer {
  /** The code of a pruned (zero) weight. */
  public static final int PRUNED = -1;

  /** Gap widths tried by {@link #encode}. */
  public static final int MIN_GAP_BITS = 2;

  public static final int MAX_GAP_BITS = 8;

  /** The widest gap field a file may declare (a 2^16 gap alphabet). */
  public static final int FORMAT_MAX_GAP_BITS = 16;

  /** The most clusters: ids plus the pruned / filler symbol must fit a 2^16 alphabet. */
  public static final int MAX_CLUSTERS = HuffmanCode.MAX_ALPHABET - 1;

  /**
   * An encoded layer: the section parameters (encoding, gapBits, k, entries = symbols in the id
   * stream), the payload, and where its bits went; payload.length * 8 = codeBits + indexBits +
   * codebookBits + tableBits + padding.
   */
  public record Encoded(
      Encoding encoding,
      int gapBits,
      int k,
      int entries,
      byte[] payload,
      long codeBits,
      long indexBits,
      long codebookBits,
      long tableBits) {}

  /** A decoded layer: the ids (PRUNED for zeros) and the codebook. */
  public record Decoded(int[] codes, float[] codebook) {}

  private SparseLayer() {}

  /** The smallest of FIXED, DENSE and SPARSE (gapBits 2..8); ties go to the simpler form. */
  public static Encoded encode(int[] codes, float[] codebook) {
    int k = check(codes, codebook);
    Encoding best = Encoding.FIXED;
    long bestBits = (long) codes.length * fixedWidth(k);
    long dense = huffmanBits(denseHistogram(codes, k));
    int bestGapBits = 0;
    if (dense < bestBits) {
      best = Encoding.DENSE;
      bestBits = dense;
    }
    int[] gaps = gaps(codes);
    for (int g = MIN_GAP_BITS; g <= MAX_GAP_BITS; g++) {
      long[][] h = sparseHistograms(codes, gaps, k, g);
      long bits = huffmanBits(h[0]) + huffmanBits(h[1]);
      if (bits < bestBits) {
        best = Encoding.SPARSE;
        bestBits = bits;
        bestGapBits = g;
      }
    }
    return encode(codes, codebook, best, bestGapBits);
  }

  /** Encodes in the given form (gapBits matters for SPARSE only, in [1, 16]). */
  public static Encoded encode(int[] codes, float[] codebook, Encoding encoding, int gapBits) {
    int k = check(codes, codebook);
    BitWriter w = new BitWriter();
    for (float c : codebook) {
      w.writeFloat(c);
    }
    long[] bits; // {code bits, index bits, table bits}
    int entries = codes.length;
    switch (encoding) {
      case FIXED -> bits = writeFixed(codes, k, w);
      case DENSE -> bits = writeDense(codes, k, w);
      case SPARSE -> {
        if (gapBits < 1 || gapBits > FORMAT_MAX_GAP_BITS) {
          throw new IllegalArgumentException("SparseLayer: gapBits " + gapBits + " not in [1, 16]");
        }
        int[][] stream = sparseStreams(codes, gaps(codes), k, gapBits);
        entries = stream[0].length;
        bits = writeSparse(stream, k, gapBits, w);
      }
      default -> throw new IllegalArgumentException("SparseLayer: cannot encode as " + encoding);
    }
    return new Encoded(
        encoding,
        encoding == Encoding.SPARSE ? gapBits : 0,
        k,
        entries,
        w.toByteArray(),
        bits[0],
        bits[1],
        32L * k,
        bits[2]);
  }

  /**
   * Decodes a payload of {@code n} weights written by {@link #encode}; the parameters come from the
   * section header. n and k must have been range-checked by the caller (k at most MAX_CLUSTERS).
   */
  public static Decoded decode(
      Encoding encoding, int gapBits, int k, int entries, int n, BitReader r, String what)
      throws CorruptStreamException {
    if (k < 0 || k > MAX_CLUSTERS || 32L * k > r.remaining()) {
      throw new CorruptStreamException(
          what + ": " + k + " centroids do not fit in the " + r.remaining() + " bits left");
    }
    float[] codebook = new float[k];
    for (int i = 0; i < k; i++) {
      codebook[i] = r.readFloat(what + " codebook");
    }
    int[] codes;
    switch (encoding) {
      case FIXED -> codes = readFixed(r, k, n, what);
      case DENSE -> codes = readDense(r, k, n, what);
      case SPARSE -> codes = SparseStreams.read(r, k, gapBits, entries, n, what);
      default -> throw new CorruptStreamException(what + ": " + encoding + " is not a coded form");
    }
    return new Decoded(codes, codebook);
  }

  /** Bits per id in FIXED: enough for 0..k, k meaning pruned. */
  static int fixedWidth(int k) {
    return 32 - Integer.numberOfLeadingZeros(k);
  }

  private static long[] writeFixed(int[] codes, int k, BitWriter w) {
    int width = fixedWidth(k);
    for (int c : codes) {
      w.writeBits(c == PRUNED ? k : c, width);
    }
    return new long[] {(long) codes.length * width, 0, 0};
  }

  private static int[] readFixed(BitReader r, int k, int n, String what)
      throws CorruptStreamException {
    int width = fixedWidth(k);
    if ((long) n * width > r.remaining()) {
      throw new CorruptStreamException(
          what + ": " + n + " ids of " + width + " bits do not fit in " + r.remaining() + " bits");
    }
    int[] codes = new int[n];
    for (int i = 0; i < n; i++) {
      int c = r.readBits(width, what);
      if (c > k) {
        throw new CorruptStreamException(what + ": id " + c + " at " + i + " exceeds k = " + k);
      }
      codes[i] = c == k ? PRUNED : c;
    }
    return codes;
  }

  private static long[] writeDense(int[] codes, int k, BitWriter w) {
    long[] freq = denseHistogram(codes, k);
    HuffmanCode code = HuffmanCode.fromFrequencies(freq);
    code.writeTable(w);
    int[] symbols = new int[codes.length];
    for (int i = 0; i < codes.length; i++) {
      symbols[i] = codes[i] == PRUNED ? k : codes[i];
    }
    code.encode(symbols, w);
    return new long[] {code.encodedBits(freq), 0, code.tableBits()};
  }

  private static int[] readDense(BitReader r, int k, int n, String what)
      throws CorruptStreamException {
    HuffmanCode code = HuffmanCode.readTable(r, k + 1, what + " ids");
    int[] codes = code.decode(r, n, what + " ids");
    for (int i = 0; i < n; i++) {
      if (codes[i] == k) {
        codes[i] = PRUNED;
      }
    }
    return codes;
  }

  private static long[] writeSparse(int[][] stream, int k, int gapBits, BitWriter w) {
    long[] gapFreq = Huffman.histogram(stream[0], 1 << gapBits);
    long[] idFreq = Huffman.histogram(stream[1], k + 1);
    HuffmanCode gapCode = HuffmanCode.fromFrequencies(gapFreq);
    HuffmanCode idCode = HuffmanCode.fromFrequencies(idFreq);
    gapCode.writeTable(w);
    idCode.writeTable(w);
    gapCode.encode(stream[0], w);
    idCode.encode(stream[1], w);
    return new long[] {
      idCode.encodedBits(idFreq),
      gapCode.encodedBits(gapFreq),
      gapCode.tableBits() + idCode.tableBits()
    };
  }

  /** Distance of each non-zero from the previous one (the first from position -1). */
  private static int[] gaps(int[] codes) {
    int nnz = 0;
    for (int c : codes) {
      nnz += c == PRUNED ? 0 : 1;
    }
    int[] gaps = new int[nnz];
    int prev = -1;
    int j = 0;
    for (int i = 0; i < codes.length; i++) {
      if (codes[i] != PRUNED) {
        gaps[j++] = i - prev;
        prev = i;
      }
    }
    return gaps;
  }

  /** {gap symbol stream, id stream} with fillers: gap g > M becomes (g - 1) / M fillers first. */
  private static int[][] sparseStreams(int[] codes, int[] gaps, int k, int gapBits) {
    int max = 1 << gapBits;
    long entries = 0;
    for (int g : gaps) {
      entries += 1 + (g - 1) / max;
    }
    int[] gapSyms = new int[(int) entries];
    int[] ids = new int[(int) entries];
    int e = 0;
    int pos = -1;
    for (int g : gaps) {
      pos += g;
      for (int f = 0; f < (g - 1) / max; f++) {
        gapSyms[e] = max - 1;
        ids[e++] = k;
      }
      gapSyms[e] = (g - 1) % max;
      ids[e++] = codes[pos];
    }
    return new int[][] {gapSyms, ids};
  }

  /** The histograms of {@link #sparseStreams} without building the streams. */
  private static long[][] sparseHistograms(int[] codes, int[] gaps, int k, int gapBits) {
    int max = 1 << gapBits;
    long[] gapFreq = new long[max];
    long[] idFreq = new long[k + 1];
    int pos = -1;
    for (int g : gaps) {
      pos += g;
      int fillers = (g - 1) / max;
      gapFreq[max - 1] += fillers;
      idFreq[k] += fillers;
      gapFreq[(g - 1) % max]++;
      idFreq[codes[pos]]++;
    }
    return new long[][] {gapFreq, idFreq};
  }

  private static long[] denseHistogram(int[] codes, int k) {
    long[] freq = new long[k + 1];
    for (int c : codes) {
      freq[c == PRUNED ? k : c]++;
    }
    return freq;
  }

  /** Table plus data bits of the optimal code for these frequencies. */
  private static long huffmanBits(long[] freq) {
    HuffmanCode code = HuffmanCode.fromFrequencies(freq);
    return code.tableBits() + code.encodedBits(freq);
  }

  /** Validates ids against the codebook; returns k. */
  private static int check(int[] codes, float[] codebook) {
    int k = codebook.length;
    if (k > MAX_CLUSTERS) {
      throw new IllegalArgumentException(
          "SparseLayer: " + k + " clusters, at most " + MAX_CLUSTERS + " supported");
    }
    for (int i = 0; i < codes.length; i++) {
      if (codes[i] < PRUNED || codes[i] >= k) {
        throw new IllegalArgumentException(
            "SparseLayer: code " + codes[i] + " at " + i + " is not -1 or in [0, " + k + ")");
      }
    }
    return k;
  }
}
