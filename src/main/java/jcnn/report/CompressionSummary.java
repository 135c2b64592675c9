package jcnn.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import jcnn.compress.codec.SizeReport;
import jcnn.compress.prune.Curve;
import jcnn.compress.prune.IterativePruning;

/**
 * Every figure of one compression run, as the report prints it and {@code --json} emits it: the
 * rows of Tzelepis et al. 2019, Tables II (accuracy initial / pruned / pruned and quantized,
 * percent pruned) and III (bytes at each stage), the measured file with its per-tensor breakdown,
 * the pruning curves, the rounds of the iterative loop and the weights for the histograms. Built by
 * {@code jcnn.compress.pipeline.CompressionPipeline}; written by {@link ReportWriter}. Accuracies
 * are in [0, 1]. Tested in {@code ReportWriterTest}.
 *
 * @param model the network's name, e.g. lenet5
 * @param dataset the dataset's name
 * @param params the network's parameter count (buffers such as batch-norm statistics excluded)
 * @param settings the run's settings as printable name/value pairs, in order
 * @param accuracy the accuracies at each stage
 * @param pruning how much was pruned
 * @param sizes the bytes at each stage
 * @param file the measured {@code .jcz} file, per tensor
 * @param curves accuracy against pruned fraction per criterion (validation split)
 * @param curveNote how the curves were made (one-shot or with retraining)
 * @param rounds the rounds of the iterative loop (empty for a one-shot target)
 * @param weights per prunable layer, its weights at each stage, for the histograms
 * @param published the published row to print beside ours, or null
 * @param bitIdentical the weights decoded from the file equal the in-memory model bit for bit
 * @param seconds wall time of the run
 */
public record CompressionSummary(
    String model,
    String dataset,
    long params,
    Map<String, String> settings,
    Accuracies accuracy,
    PruneStats pruning,
    Sizes sizes,
    SizeReport file,
    List<Curve> curves,
    String curveNote,
    List<IterativePruning.Round> rounds,
    List<LayerWeights> weights,
    Published published,
    boolean bitIdentical,
    double seconds) {

  /** Accuracy on the validation split (carved from the training set) and on the test set. */
  public record Accuracy(double val, double test) {}

  /**
   * The stages: the trained model, after pruning and retraining, after weight sharing and
   * fine-tuning (the same as pruned when nothing is quantized), and the model decoded from the
   * file.
   */
  public record Accuracies(
      Accuracy initial, Accuracy pruned, Accuracy quantized, Accuracy fromFile) {}

  /**
   * @param prunableWeights conv and linear weights
   * @param zeroWeights of those, the pruned (zero) ones
   * @param nonZeroParams parameters that are not zero, biases and batch norm included
   * @param perLayer the fraction pruned per layer, by parameter name
   */
  public record PruneStats(
      long prunableWeights, long zeroWeights, long nonZeroParams, Map<String, Double> perLayer) {
    /** The fraction of the conv and linear weights pruned: Table II's "percentage pruned". */
    public double fraction() {
      return prunableWeights == 0 ? 0 : (double) zeroWeights / prunableWeights;
    }
  }

  /**
   * Table III's columns and the measured file.
   *
   * @param dense 4 bytes per parameter
   * @param pruned 4 bytes per non-zero parameter: Tzelepis' "pruned" column, which drops removed
   *     weights and charges nothing for where the others are
   * @param prunedCsr the pruned weights as CSR per layer: 4 bytes of value and 4 of column index
   *     per non-zero, 4 per row pointer; other parameters dense
   * @param eq2 Eq. 2's size: per coded tensor (n log2 k + 32 k) / 8 bytes for its n non-zeros, 4
   *     bytes per value for tensors stored raw; no index, table, header or CRC bytes
   * @param file the {@code .jcz} file's measured bytes on disk
   */
  public record Sizes(long dense, long pruned, long prunedCsr, double eq2, long file) {
    public double eq2Rate() {
      return dense / eq2;
    }

    public double fileRate() {
      return (double) dense / file;
    }
  }

  /**
   * One prunable layer's weights at three stages (copies), for the histograms of Tzelepis et al.,
   * Fig. 2. {@code shared} and {@code centroids} are null when nothing was quantized.
   */
  public record LayerWeights(
      String name,
      int[] shape,
      float[] before,
      float[] pruned,
      float[] shared,
      float[] centroids) {}

  /** The CIFAR-10 copy under datasets/ was decoded from JPEG: said next to every CIFAR number. */
  public boolean jpegDataset() {
    return dataset.equals("cifar10");
  }

  /** The figures as one JSON object (the CLI's {@code --json}); NaN becomes null. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("model", model);
    o.addProperty("dataset", dataset);
    o.addProperty("params", params);
    JsonObject s = new JsonObject();
    settings.forEach(s::addProperty);
    o.add("settings", s);
    JsonObject acc = new JsonObject();
    acc.add("initial", json(accuracy.initial()));
    acc.add("pruned", json(accuracy.pruned()));
    acc.add("quantized", json(accuracy.quantized()));
    acc.add("from_file", json(accuracy.fromFile()));
    o.add("accuracy", acc);
    number(o, "pruned_fraction", pruning.fraction());
    o.addProperty("prunable_weights", pruning.prunableWeights());
    o.addProperty("nonzero_params", pruning.nonZeroParams());
    o.add("bytes", sizesJson());
    o.add("layers", layersJson());
    o.addProperty("bit_identical", bitIdentical);
    o.addProperty("jpeg_dataset", jpegDataset());
    number(o, "seconds", seconds);
    if (published != null) {
      o.add("published", publishedJson());
    }
    return o;
  }

  private JsonObject sizesJson() {
    JsonObject b = new JsonObject();
    b.addProperty("dense", sizes.dense());
    b.addProperty("pruned", sizes.pruned());
    b.addProperty("pruned_csr", sizes.prunedCsr());
    number(b, "eq2", sizes.eq2());
    number(b, "eq2_rate", sizes.eq2Rate());
    b.addProperty("file", sizes.file());
    number(b, "file_rate", sizes.fileRate());
    b.addProperty("file_header", file.headerBytes());
    b.addProperty("file_trailer", file.trailerBytes());
    return b;
  }

  private JsonArray layersJson() {
    JsonArray a = new JsonArray();
    for (SizeReport.TensorSize t : file.tensors()) {
      JsonObject l = new JsonObject();
      l.addProperty("name", t.name());
      l.addProperty("encoding", t.encoding().name());
      l.addProperty("numel", t.numel());
      l.addProperty("nonzeros", t.nonZeros());
      l.addProperty("k", t.k());
      l.addProperty("value_bits", t.valueBits());
      l.addProperty("code_bits", t.codeBits());
      l.addProperty("index_bits", t.indexBits());
      l.addProperty("codebook_bits", t.codebookBits());
      l.addProperty("other_bits", t.overheadBits());
      l.addProperty("bytes", t.sectionBytes());
      number(l, "eq2_bytes", t.eq2Bytes());
      a.add(l);
    }
    return a;
  }

  private JsonObject publishedJson() {
    JsonObject p = new JsonObject();
    p.addProperty("source", published.source());
    number(p, "initial", published.initial());
    number(p, "pruned", published.pruned());
    number(p, "quantized", published.quantized());
    number(p, "pruned_percent", published.prunedPercent());
    number(p, "bytes_dense", published.bytesDense());
    number(p, "bytes_pruned", published.bytesPruned());
    number(p, "bytes_compressed", published.bytesCompressed());
    number(p, "rate", published.rate());
    p.addProperty("size_note", published.sizeNote());
    return p;
  }

  private static JsonObject json(Accuracy a) {
    JsonObject o = new JsonObject();
    number(o, "val", a.val());
    number(o, "test", a.test());
    return o;
  }

  private static void number(JsonObject o, String key, double v) {
    if (Double.isFinite(v)) {
      o.addProperty(key, v);
    } else {
      o.add(key, JsonNull.INSTANCE);
    }
  }
}
