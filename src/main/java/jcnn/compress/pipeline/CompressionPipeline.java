package jcnn.compress.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import jcnn.compress.codec.SizeReport;
import jcnn.compress.quant.Quantization;
import jcnn.compress.quant.QuantizedWeight;
import jcnn.report.CompressionSummary;
import jcnn.report.Published;
import jcnn.report.ReportWriter;
import jcnn.train.ModelFile;
import jcnn.train.Trainer;

/**
 * The end-to-end compression of a trained model (Deep Compression, Han et al. 2016; Tzelepis et al.
 * 2019, Fig. 1): load the model file and its data (validation carved as training carved it, {@link
 * PipelineData}); measure; prune with the chosen criterion, either one-shot to a target and
 * retrain, or the Tzelepis loop with rollback; measure; bake the masks; share weights by per-layer
 * k-means and fine-tune the centroids; measure; encode to {@code .jcz}, write it atomically, read
 * it back, decode into a fresh network, check that its weights equal the in-memory model bit for
 * bit and measure it from the file; then write the report ({@link ReportWriter}). The stages are in
 * {@link PipelineRun}.
 *
 * <p>Every selection (rollback, the best retraining epoch, the layer criterion's sensitivity scan)
 * uses the validation split; the test set is only measured. Call order: {@code new
 * CompressionPipeline(options, listener)} -> optionally {@code published(row)} -> {@code
 * run(modelFile, outDir)}. Tested in {@code CompressionPipelineTest}.
 */
public final class CompressionPipeline {
  /** The file name of the compressed model under the output folder. */
  public static final String JCZ = "model.jcz";

  /** Progress: log lines, and the retraining's per-step listener (a progress bar). */
  public interface Listener {
    void log(String line);

    default Trainer.Listener training() {
      return new Trainer.Listener() {};
    }
  }

  private final CompressOptions opts;
  private final Listener listener;
  private Published published;
  private boolean writeReport = true;

  /** Checks the options first (IllegalArgumentException naming the flag). */
  public CompressionPipeline(CompressOptions opts, Listener listener) {
    this.opts = opts.validate();
    this.listener = listener;
  }

  /** The published row to print beside ours in the report (a recipe's). */
  public CompressionPipeline published(Published p) {
    this.published = p;
    return this;
  }

  /** Write report.md and the charts (default true). */
  public CompressionPipeline writeReport(boolean on) {
    this.writeReport = on;
    return this;
  }

  /** Compresses the model in {@code modelFile}, writing model.jcz and the report to outDir. */
  public CompressionResult run(Path modelFile, Path outDir) throws IOException {
    long t0 = System.nanoTime();
    ModelFile.Loaded src = ModelFile.load(modelFile);
    PipelineData data =
        PipelineData.load(
            src,
            opts.dataset,
            opts.dataDir,
            opts.trainLimit,
            msg -> listener.log("warning: " + msg));
    Files.createDirectories(outDir);
    listener.log(
        String.format(
            Locale.ROOT,
            "%s from %s on %s: %,d parameters; train %,d, validation %,d, test %,d images; %s",
            src.name(),
            modelFile,
            data.dataset(),
            src.model().numParameters(),
            data.train().size(),
            data.val().size(),
            data.test().size(),
            data.note()));
    Map<String, QuantizedWeight> lowBit = Quantization.quantized(src.model());
    if (!lowBit.isEmpty()) {
      listener.log(
          "binary/ternary layers, stored at 1 or 2 bits and left out of pruning and k-means: "
              + String.join(
                  ", ",
                  lowBit.entrySet().stream()
                      .map(e -> e.getKey() + " (" + e.getValue().mode().cliName() + ")")
                      .toList()));
    }
    PipelineRun run = new PipelineRun(opts, listener, src, data);
    run.measureInitial();
    run.curves();
    run.prune();
    run.quantize();
    Path jcz = outDir.resolve(JCZ);
    SizeReport sizes = run.encodeAndCheck(jcz);
    double seconds = (System.nanoTime() - t0) / 1e9;
    CompressionSummary s = Summaries.build(run, sizes, published, seconds);
    ReportWriter.Written w = writeReport ? ReportWriter.write(outDir, s) : null;
    if (w != null) {
      listener.log("report: " + w.report());
    }
    return new CompressionResult(s, jcz, w, run.model, run.decoded);
  }
}
