package jcnn.report;

/**
 * One published result to print beside ours (REFERENCE.md, "Published results"): the accuracies
 * before pruning, after pruning and after quantization (NaN where the source gives none), the
 * pruned percentage and the bytes, with a note on how the source measured them. Accuracies are in
 * [0, 1]; Deep Compression reports errors, stored here as 1 - error. Tested through {@code
 * ReportWriterTest}.
 *
 * @param source the paper and table, e.g. "Tzelepis et al. 2019, Tables II-III"
 * @param setting the network, data and method as the source states them
 * @param initial accuracy before compression
 * @param pruned accuracy after pruning and retraining (NaN: not reported)
 * @param quantized accuracy after pruning and quantization
 * @param prunedPercent percent of weights pruned
 * @param bytesDense the model's float32 size
 * @param bytesPruned size after pruning (NaN: not reported)
 * @param bytesCompressed size after the whole pipeline
 * @param sizeNote how the compressed size was obtained, e.g. "by Eq. 2" or "stored size"
 */
public record Published(
    String source,
    String setting,
    double initial,
    double pruned,
    double quantized,
    double prunedPercent,
    double bytesDense,
    double bytesPruned,
    double bytesCompressed,
    String sizeNote) {

  /** The published compression rate, dense over compressed bytes. */
  public double rate() {
    return bytesDense / bytesCompressed;
  }

  /** Deep Compression, Table 1: LeNet-300-100 on MNIST, 92% pruned, 6-bit weights, 40x. */
  public static final Published HAN_LENET300 =
      new Published(
          "Han et al. 2016 (Deep Compression), Table 1",
          "LeNet-300-100, MNIST; pruning, 6-bit sharing, Huffman",
          1 - 0.0164,
          Double.NaN,
          1 - 0.0158,
          92,
          1070e3,
          Double.NaN,
          27e3,
          "stored size, KB as published");

  /** Deep Compression, Table 1: LeNet-5 on MNIST, 92% pruned, 8-bit conv and 5-bit fc, 39x. */
  public static final Published HAN_LENET5 =
      new Published(
          "Han et al. 2016 (Deep Compression), Table 1",
          "LeNet-5, MNIST; pruning, 8-bit conv / 5-bit fc sharing, Huffman",
          1 - 0.0080,
          Double.NaN,
          1 - 0.0074,
          92,
          1720e3,
          Double.NaN,
          44e3,
          "stored size, KB as published");

  /** Tzelepis et al. 2019, Tables II and III: the MNIST classifier (our lenet5). */
  public static final Published TZELEPIS_MNIST =
      new Published(
          "Tzelepis et al. 2019, Tables II-III",
          "MNIST classifier (LeNet-5), class-blind iterative pruning, dynamic k-means",
          0.990,
          0.993,
          0.993,
          95,
          1_724_320,
          88_420,
          9_478,
          "by Eq. 2 (no index, table or header bytes)");

  /** Tzelepis et al. 2019, Tables II and III: the CIFAR-10 classifier. */
  public static final Published TZELEPIS_CIFAR =
      new Published(
          "Tzelepis et al. 2019, Tables II-III",
          "CIFAR-10 classifier (their width, 5.85M parameters), class-blind iterative pruning,"
              + " dynamic k-means",
          0.917,
          0.899,
          0.898,
          95,
          23_412_032,
          15_239_888,
          2_390_274,
          "by Eq. 2 (no index, table or header bytes)");
}
