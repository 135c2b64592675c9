package jcnn.compress.pipeline;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import jcnn.compress.codec.JczWriter;
import jcnn.compress.codec.SizeReport;
import jcnn.compress.quant.Quantization;
import jcnn.compress.quant.QuantizedWeight;
import jcnn.data.Dataset;
import jcnn.data.Datasets;
import jcnn.models.Models;
import jcnn.nn.io.AtomicWrite;
import jcnn.report.Charts;
import jcnn.train.Evaluator;
import jcnn.train.ModelFile;
import jcnn.train.RunResult;
import jcnn.train.TrainConfig;
import jcnn.train.Trainer;

/**
 * Runs a {@link QuantRecipe}: trains the float reference into {@code OUT/float} (or takes a given
 * one), then each quantized stage into {@code OUT/<label>} (fine-tuned from the reference's best
 * weights when the recipe says so); writes each stage's best model as {@code OUT/<label>.jcz} with
 * its binary and ternary layers bit-packed, reads it back, checks that it decodes bit for bit to
 * what the model computes with, and measures it from the file on the test set; then writes {@code
 * OUT/report.md} (accuracy against bits per weight and bytes on disk, the target, the published
 * figure), {@code OUT/results.json} and one histogram per quantized layer with its levels marked.
 * Every training resumes from its checkpoint with {@code resume}. Call order: {@code new
 * QuantRun(recipe, settings, listener).run()}. Tested in {@code QuantRecipesTest}.
 */
public final class QuantRun {
  /**
   * The run's settings.
   *
   * @param epochs the epochs of every stage (0: the recipe's)
   * @param limit train on only this many images (0: all), a smoke run
   * @param reference a trained float model file to use instead of training the reference (null:
   *     train it)
   */
  public record Settings(
      int epochs, int limit, int threads, Path dataDir, Path out, boolean resume, Path reference) {}

  /** One trained network as measured. */
  public record Row(
      String label,
      String model,
      long params,
      double testAccuracy,
      double fileAccuracy,
      long floatBytes,
      long fileBytes,
      long lowBitWeights,
      double lowBitBitsPerWeight,
      double trainSeconds,
      Path jcz) {
    /** How many times smaller than float32 the file is. */
    public double rate() {
      return fileBytes == 0 ? Double.NaN : (double) floatBytes / fileBytes;
    }
  }

  /** The reference row (or null), the quantized rows and whether each met the target. */
  public record Result(QuantRecipe recipe, Row reference, List<Row> stages, List<Boolean> met) {}

  private final QuantRecipe recipe;
  private final Settings settings;
  private final CompressionPipeline.Listener listener;

  public QuantRun(QuantRecipe recipe, Settings settings, CompressionPipeline.Listener listener) {
    this.recipe = recipe;
    this.settings = settings;
    this.listener = listener;
  }

  public Result run() throws IOException {
    Files.createDirectories(settings.out());
    Path refFile = null;
    Row ref = null;
    if (settings.reference() != null) {
      refFile = settings.reference();
      ModelFile.Loaded l = ModelFile.load(refFile);
      if (recipe.reference() == null || !l.name().equals(recipe.reference().model())) {
        throw new IllegalArgumentException(
            "--reference "
                + refFile
                + " holds "
                + l.name()
                + "; "
                + recipe.name()
                + " needs "
                + (recipe.reference() == null ? "no reference" : recipe.reference().model()));
      }
      Dataset test = Datasets.load(recipe.reference().dataset(), false, settings.dataDir());
      double acc = Evaluator.evaluate(l.model(), test, 256).accuracy();
      ref =
          new Row(
              "float",
              l.name(),
              l.model().numParameters(),
              acc,
              Double.NaN,
              4 * l.model().numParameters(),
              0,
              0,
              Double.NaN,
              Double.NaN,
              null);
      log("float reference from %s: test %.4f", refFile, acc);
    } else if (recipe.reference() != null) {
      ref = train(recipe.reference(), null);
      refFile = settings.out().resolve("float").resolve("best.safetensors");
    }
    List<Row> rows = new ArrayList<>();
    List<Boolean> met = new ArrayList<>();
    for (QuantRecipe.Stage s : recipe.stages()) {
      Row row = train(s, recipe.fineTune() ? refFile : null);
      rows.add(row);
      boolean ok =
          recipe.target().met(row.fileAccuracy(), ref == null ? Double.NaN : ref.testAccuracy());
      met.add(ok);
      log(
          "%s: %s %s (test %.4f from the file)",
          row.label(), recipe.target().describe(), ok ? "met" : "NOT met", row.fileAccuracy());
    }
    Result r = new Result(recipe, ref, rows, met);
    writeReport(r);
    return r;
  }

  /** Trains one stage, writes and checks its .jcz when it is quantized, measures it. */
  private Row train(QuantRecipe.Stage s, Path init) throws IOException {
    Path dir = settings.out().resolve(s.label());
    int epochs = settings.epochs() > 0 ? settings.epochs() : s.epochs();
    TrainConfig cfg =
        s.config(epochs, settings.limit(), settings.threads(), settings.dataDir(), dir, init);
    log(
        "%s: %s on %s, %d epochs, batch %d, %s lr %.3g %s, weight decay %.3g%s",
        s.label(),
        s.model(),
        s.dataset(),
        epochs,
        s.batch(),
        s.optimizer(),
        s.lr(),
        s.schedule(),
        s.weightDecay(),
        init == null ? "" : ", from " + init);
    RunResult rr = new Trainer(cfg, listener.training()).run(settings.resume());
    ModelFile.Loaded best = ModelFile.load(dir.resolve("best.safetensors"));
    long params = best.model().numParameters();
    Map<String, QuantizedWeight> q = Quantization.quantized(best.model());
    if (q.isEmpty()) {
      return new Row(
          s.label(),
          s.model(),
          params,
          rr.testAccuracy(),
          Double.NaN,
          4 * params,
          0,
          0,
          Double.NaN,
          rr.trainSeconds(),
          null);
    }
    Path jcz = settings.out().resolve(s.label() + ".jcz");
    String meta =
        "{\"recipe\":\""
            + recipe.name()
            + "\",\"stage\":\""
            + s.label()
            + "\","
            + "\"model\":\""
            + s.model()
            + "\",\"dataset\":\""
            + s.dataset()
            + "\"}";
    SizeReport sizes =
        JczWriter.write(
            jcz, CompressedModel.toJcz(best.model(), best.name(), best.classes(), meta));
    CompressedModel.Loaded back = CompressedModel.load(jcz);
    List<String> diff =
        CompressedModel.mismatches(
            CompressedModel.effectiveValues(best.model()), CompressedModel.values(back.model()));
    if (!diff.isEmpty()) {
      throw new IllegalStateException(jcz + ": decoded tensors differ from the model: " + diff);
    }
    Dataset test = Datasets.load(s.dataset(), false, settings.dataDir());
    double fromFile = Evaluator.evaluate(back.model(), test, 256).accuracy();
    long lowBit = 0;
    long lowBitBytes = 0;
    for (SizeReport.TensorSize t : sizes.tensors()) {
      if (t.encoding().lowBit()) {
        lowBit += t.numel();
        lowBitBytes += t.sectionBytes();
      }
    }
    writeHistograms(s.label(), q);
    log(
        "%s: wrote %s, %,d bytes (%.1fx float32), %d quantized layers at %.2f bits per weight;"
            + " decoded bit-identical; test %.4f from the file",
        s.label(),
        jcz,
        sizes.fileBytes(),
        4.0 * params / sizes.fileBytes(),
        q.size(),
        8.0 * lowBitBytes / lowBit,
        fromFile);
    return new Row(
        s.label(),
        s.model(),
        params,
        rr.testAccuracy(),
        fromFile,
        4 * params,
        sizes.fileBytes(),
        lowBit,
        8.0 * lowBitBytes / lowBit,
        rr.trainSeconds(),
        jcz);
  }

  private void writeHistograms(String label, Map<String, QuantizedWeight> q) throws IOException {
    for (Map.Entry<String, QuantizedWeight> e : q.entrySet()) {
      TreeSet<Float> levels = new TreeSet<>();
      for (float v : e.getValue().materialize().data()) {
        levels.add(v);
      }
      float[] lv = new float[levels.size()];
      int i = 0;
      for (float v : levels) {
        lv[i++] = v;
      }
      String name = "hist-" + label + "-" + e.getKey().replaceAll("[^A-Za-z0-9-]", "_") + ".png";
      AtomicWrite.write(
          settings.out().resolve(name),
          Charts.levels(e.getKey(), e.getValue().latent().value().data(), lv));
    }
  }

  private void writeReport(Result r) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(recipe.title()).append("\n\n");
    md.append(recipe.notes()).append("\n\n");
    md.append(
        "| network | weights | bits per quantized weight | parameters | float32 bytes |"
            + " .jcz bytes | smaller | test accuracy | from the file | target |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    List<Row> all = new ArrayList<>();
    if (r.reference() != null) {
      all.add(r.reference());
    }
    all.addAll(r.stages());
    for (Row row : all) {
      int k = r.stages().indexOf(row);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %,d | %,d | %s | %s | %.2f%% | %s | %s |%n",
              row.model(),
              row.label(),
              row.jcz() == null
                  ? "32"
                  : String.format(Locale.ROOT, "%.2f", row.lowBitBitsPerWeight()),
              row.params(),
              row.floatBytes(),
              row.jcz() == null ? "-" : String.format(Locale.ROOT, "%,d", row.fileBytes()),
              row.jcz() == null ? "-" : String.format(Locale.ROOT, "%.1fx", row.rate()),
              100 * row.testAccuracy(),
              Double.isNaN(row.fileAccuracy())
                  ? "-"
                  : String.format(Locale.ROOT, "%.2f%%", 100 * row.fileAccuracy()),
              k < 0
                  ? "reference"
                  : (r.met().get(k) ? "met: " : "NOT met: ") + recipe.target().describe()));
    }
    md.append("\nPublished: ").append(recipe.published()).append(".\n");
    if (all.stream().anyMatch(x -> Models.spec(x.model()).dataset().equals("cifar10"))) {
      md.append(
          "\nOur CIFAR-10 copy is decoded from JPEG (quality 75): accuracies run slightly"
              + " below published CIFAR-10 figures.\n");
    }
    md.append(
        "\nThe file sizes are the bytes of the .jcz files on disk; the histograms"
            + " (hist-*.png) show each quantized layer's latent weights with its levels.\n");
    AtomicWrite.write(
        settings.out().resolve("report.md"), md.toString().getBytes(StandardCharsets.UTF_8));
    AtomicWrite.write(
        settings.out().resolve("results.json"),
        new GsonBuilder()
            .setPrettyPrinting()
            .create()
            .toJson(toJson(r))
            .getBytes(StandardCharsets.UTF_8));
  }

  /** The result as the JSON of {@code results.json} and {@code jcnn reproduce --json}. */
  public static JsonObject toJson(Result r) {
    JsonObject o = new JsonObject();
    o.addProperty("recipe", r.recipe().name());
    o.addProperty("target", r.recipe().target().describe());
    o.addProperty("published", r.recipe().published());
    if (r.reference() != null) {
      o.add("reference", row(r.reference()));
    }
    JsonArray a = new JsonArray();
    for (int i = 0; i < r.stages().size(); i++) {
      JsonObject j = row(r.stages().get(i));
      j.addProperty("met", r.met().get(i));
      a.add(j);
    }
    o.add("stages", a);
    return o;
  }

  private static JsonObject row(Row row) {
    JsonObject j = new JsonObject();
    j.addProperty("label", row.label());
    j.addProperty("model", row.model());
    j.addProperty("params", row.params());
    j.addProperty("test_accuracy", row.testAccuracy());
    if (!Double.isNaN(row.fileAccuracy())) {
      j.addProperty("file_test_accuracy", row.fileAccuracy());
      j.addProperty("jcz_bytes", row.fileBytes());
      j.addProperty("low_bit_weights", row.lowBitWeights());
      j.addProperty("low_bit_bits_per_weight", row.lowBitBitsPerWeight());
      j.addProperty("jcz", row.jcz().toString());
    }
    j.addProperty("float32_bytes", row.floatBytes());
    if (!Double.isNaN(row.trainSeconds())) {
      j.addProperty("train_seconds", row.trainSeconds());
    }
    return j;
  }

  private void log(String fmt, Object... args) {
    listener.log(String.format(Locale.ROOT, fmt, args));
  }
}
