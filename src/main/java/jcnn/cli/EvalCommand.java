package jcnn.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
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
 * rebuilt by the name stored in the file and runs on the decoded weights). Tested by {@code
 * TrainCommandTest} and {@code CompressCommandTest}.
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
    dev.install();
    Loaded m = load(file);
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
      Json.print(o, j);
    }
    return 0;
  }

  /** A model from either kind of file, with the dataset it belongs to. */
  record Loaded(Module model, String name, String format, ModelData data) {}

  static Loaded load(Path file) throws IOException {
    if (CompressedModel.isJcz(file)) {
      CompressedModel.Loaded c = CompressedModel.load(file);
      return new Loaded(c.model(), c.name(), "jcz", c.data());
    }
    ModelFile.Loaded m = ModelFile.load(file);
    return new Loaded(m.model(), m.name(), "safetensors", m.data());
  }
}
