package jcnn.compress.codec;

import java.util.List;
import java.util.Locale;

/**
 * Where the bytes of a {@code .jcz} file went, per tensor, in the columns of Deep Compression's
 * storage tables: bits for cluster ids, for index gaps, for the codebook, and for everything else
 * (Huffman tables, section header, CRC, byte padding), which together make the section's bytes.
 * Also the compression-rate formula of Han et al. / Tzelepis et al. Eq. 2, so a report can show the
 * formula's estimate beside the measured size. Returned by {@link JczWriter}; tested in {@code
 * JczFileTest} (the columns add up) and {@code JczSizeTest}.
 */
public record SizeReport(
    List<TensorSize> tensors, long headerBytes, long trailerBytes, long fileBytes) {
  public SizeReport {
    tensors = List.copyOf(tensors);
  }

  /**
   * One section. {@code valueBits} is non-zero only for RAW_F32 (32 per value); {@code codeBits},
   * {@code indexBits}, {@code codebookBits} only for the coded forms; {@code overheadBits} is the
   * rest of the section, so the five add up to {@code 8 * sectionBytes}.
   */
  public record TensorSize(
      String name,
      Encoding encoding,
      int gapBits,
      int numel,
      int nonZeros,
      int k,
      long valueBits,
      long codeBits,
      long indexBits,
      long codebookBits,
      long overheadBits,
      long sectionBytes) {

    /** Measured rate: the tensor as dense float32 over its section's bytes. */
    public double measuredRate() {
      return 32.0 * numel / (8.0 * sectionBytes);
    }

    /**
     * Eq. 2 for this tensor as Tzelepis et al. apply it: n = the non-zero weights, b = 32, k
     * clusters; NaN for raw tensors. It counts no index and no table bits.
     */
    public double eq2Rate() {
      return encoding == Encoding.RAW_F32 || k == 0 ? Double.NaN : compressionRate(nonZeros, 32, k);
    }

    /** The size Eq. 2 predicts for the non-zeros: (n log2 k + k b) / 8 bytes. */
    public double eq2Bytes() {
      return encoding == Encoding.RAW_F32 || k == 0
          ? 4.0 * numel
          : (nonZeros * log2(k) + 32.0 * k) / 8;
    }
  }

  /**
   * Han et al. 2016 / Tzelepis et al. 2019 Eq. 2: {@code r = n b / (n log2 k + k b)}, the rate of
   * storing n weights of b bits as log2(k)-bit indices into k shared b-bit centroids. It has no
   * term for the positions of the non-zeros of a pruned layer nor for entropy coding, so it differs
   * from the measured file size in both directions (Huffman codes go below log2 k; the gaps add).
   */
  public static double compressionRate(long n, int b, int k) {
    if (n < 0 || b <= 0 || k <= 0) {
      throw new IllegalArgumentException(
          "compressionRate: needs n >= 0, b > 0, k > 0 (n " + n + ", b " + b + ", k " + k + ")");
    }
    return (double) n * b / (n * log2(k) + (double) k * b);
  }

  private static double log2(int k) {
    return Math.log(k) / Math.log(2);
  }

  /** Sum of the sections' bytes. */
  public long sectionBytes() {
    long s = 0;
    for (TensorSize t : tensors) {
      s += t.sectionBytes;
    }
    return s;
  }

  /** A plain-text table, one line per tensor plus a total line. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-24s %-7s %9s %8s %5s %9s %9s %9s %9s %9s %9s %8s%n",
            "tensor",
            "form",
            "weights",
            "nonzero",
            "k",
            "raw bits",
            "id bits",
            "gap bits",
            "cb bits",
            "other",
            "bytes",
            "rate"));
    long weights = 0;
    for (TensorSize t : tensors) {
      weights += t.numel;
      String form = t.encoding == Encoding.SPARSE ? "SPARSE" + t.gapBits : t.encoding.name();
      sb.append(
          String.format(
              Locale.ROOT,
              "%-24s %-7s %9d %8d %5d %9d %9d %9d %9d %9d %9d %7.1fx%n",
              t.name.length() > 24 ? t.name.substring(0, 21) + "..." : t.name,
              form.length() > 7 ? form.substring(0, 7) : form,
              t.numel,
              t.nonZeros,
              t.k,
              t.valueBits,
              t.codeBits,
              t.indexBits,
              t.codebookBits,
              t.overheadBits,
              t.sectionBytes,
              t.measuredRate()));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "file: %d bytes (header %d, sections %d, trailer %d) for %d values = %.1fx float32%n",
            fileBytes,
            headerBytes,
            sectionBytes(),
            trailerBytes,
            weights,
            4.0 * weights / fileBytes));
    return sb.toString();
  }
}
