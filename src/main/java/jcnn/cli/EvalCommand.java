package jcnn.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import jcnn.compress.exec.ExecMode;
import jcnn.compress.exec.ExecPlan;
import jcnn.compress.pipeline.CompressedModel;
import jcnn.data.Dataset;
import jcnn.data.Datasets;
import jcnn.nn.Module;
import jcnn.train.Evaluator;
import jcnn.train.ModelData;
import jcnn.train.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jcnn eval}: test accuracy of a saved model file, either a {@code .safetensors} model or a
 * compressed {@code .jcz} file (recognised by its magic bytes, whatever its name; the network is
 * rebuilt by the name stored in the file and, by default, its conv and linear layers run in their
 * compressed forms, {@code --exec}; see {@link ExecPlan}). Tested by {@code TrainCommandTest} and
 * {@code CompressCommandTest}.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate a model file on a dataset's test set.")
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model-file",
      required = true,
      description = "A .safetensors model file or a compressed .jcz file written by jcnn.")
  Path file;

  @Option(
      names = "--dataset",
      description =
          "mnist, fashion-mnist or cifar10 (default: the one named in the model file; one with"
              + " other classes or image shape is an error).")
  String dataset;

  @Mixin ExecOptions execOptions = new ExecOptions();

  @Option(names = "--batch", description = "Default: ${DEFAULT-VALUE}.")
  int batch = 256;

  @Mixin DeviceOptions dev = new DeviceOptions();

  @Option(
      names = "--data-dir",
      description = "Folder holding the datasets (default: $JCNN_DATA, then ./datasets).")
  Path dataDir;

  @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (dev.threads < 1 || batch < 1) {
      throw new IllegalArgumentException("--threads and --batch must be at least 1");
    }
    ExecMode mode = execOptions.mode();
    dev.install();
    Loaded m = load(file, mode);
    PrintWriter o = spec.commandLine().getOut();
    String ds = m.data().choose(dataset, Errors.warner(spec));
    if (dataset == null && m.data().note() != null) {
      o.println(m.data().note());
    }
    Dataset test = Datasets.load(ds, false, dataDir);
    long t0 = System.nanoTime();
    Evaluator.Result r = Evaluator.evaluate(m.model(), test, batch);
    double seconds = (System.nanoTime() - t0) / 1e9;
    o.printf(
        Locale.ROOT,
        "%s (%s, %s) on %s test: accuracy %.2f%%, loss %.4f, %d images, %.0f img/s%n",
        file,
        m.name(),
        m.format(),
        ds,
        100 * r.accuracy(),
        r.loss(),
        r.images(),
        r.images() / seconds);
    o.println(memoryLine(m));
    if (json) {
      JsonObject j = new JsonObject();
      j.addProperty("model_file", file.toString());
      j.addProperty("model", m.name());
      j.addProperty("format", m.format());
      j.addProperty("file_bytes", Files.size(file));
      j.addProperty("dataset", ds);
      j.addProperty("dataset_source", dataset != null ? "option" : m.data().source());
      j.addProperty("test_accuracy", r.accuracy());
      j.addProperty("test_loss", r.loss());
      j.addProperty("images", r.images());
      j.addProperty("images_per_second", r.images() / seconds);
      j.addProperty("params", m.model().numParameters());
      addMemory(j, m);
      Json.print(o, j);
    }
    return 0;
  }

  /**
   * A model from either kind of file, with the dataset it belongs to, how it runs ({@code exec}:
   * "dense", "compressed" or "auto"; always "dense" for .safetensors), the bytes it holds and would
   * hold as float32, and the execution form of each conv and linear layer.
   */
  record Loaded(
      Module model,
      String name,
      String format,
      ModelData data,
      String exec,
      long bytes,
      long denseBytes,
      List<ExecPlan.Layer> layers) {}

  static Loaded load(Path file) throws IOException {
    return load(file, ExecMode.COMPRESSED);
  }

  static Loaded load(Path file, ExecMode mode) throws IOException {
    if (CompressedModel.isJcz(file)) {
      CompressedModel.Loaded c = CompressedModel.load(file, mode);
      return new Loaded(
          c.model(),
          c.name(),
          "jcz",
          c.data(),
          mode.label(),
          c.bytes(),
          c.denseBytes(),
          c.layers());
    }
    ModelFile.Loaded m = ModelFile.load(file);
    long bytes = ExecPlan.modelBytes(m.model());
    return new Loaded(
        m.model(), m.name(), "safetensors", m.data(), "dense", bytes, bytes, List.of());
  }

  /** "executing compressed: 102,400 bytes in memory, 5.9% of the 1,722,000 of float32". */
  static String memoryLine(Loaded m) {
    return String.format(
        Locale.ROOT,
        "executing %s: %,d bytes of weights in memory, %.1f%% of float32's %,d",
        m.exec(),
        m.bytes(),
        100.0 * m.bytes() / m.denseBytes(),
        m.denseBytes());
  }

  /** The memory figures and per-layer forms of {@code m}, as JSON fields of j. */
  static void addMemory(JsonObject j, Loaded m) {
    j.addProperty("exec", m.exec());
    j.addProperty("model_bytes", m.bytes());
    j.addProperty("dense_bytes", m.denseBytes());
    JsonArray layers = new JsonArray();
    for (ExecPlan.Layer l : m.layers()) {
      JsonObject o = new JsonObject();
      o.addProperty("name", l.name());
      o.addProperty("kind", l.kind());
      o.addProperty("form", l.form());
      o.addProperty("bytes", l.bytes());
      o.addProperty("dense_bytes", l.denseBytes());
      layers.add(o);
    }
    j.add("layers", layers);
  }
}
