package jcnn.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import jcnn.backend.Backends;
import jcnn.data.Dataset;
import jcnn.data.Datasets;
import jcnn.models.Models;
import jcnn.train.Evaluator;
import jcnn.train.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jcnn eval}: test accuracy of a saved model file. Tested by {@code TrainCommandTest}. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate a model file on a dataset's test set.")
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model-file",
      required = true,
      description = "A .safetensors model file written by jcnn.")
  Path file;

  @Option(
      names = "--dataset",
      description = "mnist, fashion-mnist or cifar10 (default: the model's).")
  String dataset;

  @Option(names = "--batch", description = "Default: ${DEFAULT-VALUE}.")
  int batch = 256;

  @Option(names = "--threads", description = "CPU threads (default: ${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--data-dir",
      description = "Folder holding the datasets (default: $JCNN_DATA, then ./datasets).")
  Path dataDir;

  @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (threads < 1 || batch < 1) {
      throw new IllegalArgumentException("--threads and --batch must be at least 1");
    }
    Backends.use(Backends.cpu(threads));
    ModelFile.Loaded m = ModelFile.load(file);
    String ds = dataset != null ? dataset : Models.spec(m.name()).dataset();
    Dataset test = Datasets.load(ds, false, dataDir);
    long t0 = System.nanoTime();
    Evaluator.Result r = Evaluator.evaluate(m.model(), test, batch);
    double seconds = (System.nanoTime() - t0) / 1e9;
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        Locale.ROOT,
        "%s (%s) on %s test: accuracy %.2f%%, loss %.4f, %d images, %.0f img/s%n",
        file,
        m.name(),
        ds,
        100 * r.accuracy(),
        r.loss(),
        r.images(),
        r.images() / seconds);
    if (json) {
      JsonObject j = new JsonObject();
      j.addProperty("model_file", file.toString());
      j.addProperty("model", m.name());
      j.addProperty("dataset", ds);
      j.addProperty("test_accuracy", r.accuracy());
      j.addProperty("test_loss", r.loss());
      j.addProperty("images", r.images());
      j.addProperty("images_per_second", r.images() / seconds);
      j.addProperty("params", m.model().numParameters());
      Json.print(o, j);
    }
    return 0;
  }
}
