package jcnn.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import jcnn.data.Augment;
import jcnn.data.Dataset;
import jcnn.data.Datasets;
import jcnn.models.Models;
import jcnn.nn.Module;
import jcnn.train.Evaluator;
import jcnn.train.ModelFile;
import jcnn.train.TrainConfig;
import jcnn.train.WeightAveraging;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jcnn average}: the mean of the weights of several model files of one network (snapshots of
 * one run: the ends of cosine cycles, the last epochs), with batch-norm statistics recomputed on
 * the training split ({@link WeightAveraging}). Prints validation and test accuracy of every input
 * and of the average, so the choice between them can be made on validation, and writes the average
 * as a model file with the first file's training config (same validation split, so {@code --init}
 * and {@code compress} accept it). Given one file it only recomputes that model's batch-norm
 * statistics, PyTorch's {@code update_bn}. Tested by {@code AverageCommandTest}.
 */
@Command(
    name = "average",
    mixinStandardHelpOptions = true,
    description =
        "Average the weights of model files of one network (stochastic weight averaging, offline),"
            + " recompute batch-norm statistics, and write the result.")
final class AverageCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model-file",
      required = true,
      description =
          "A .safetensors model file; give two or more to average, or one to recompute its"
              + " batch-norm statistics only (update_bn).")
  List<Path> files = new ArrayList<>();

  @Option(names = "--out", required = true, description = "The averaged model file to write.")
  Path out;

  @Option(
      names = "--bn-images",
      description =
          "Training images to recompute batch-norm statistics from (default: all of the training"
              + " split); 0 averages the files' statistics instead.")
  Integer bnImages;

  @Option(names = "--batch", description = "Default: ${DEFAULT-VALUE}.")
  int batch = 128;

  @Option(
      names = "--augment",
      description =
          "Pass the images for the batch-norm statistics through the training crop and flip: on,"
              + " off or auto (default: as the first file was trained; the statistics must come"
              + " from images like those the layers were trained on).")
  String augment = "auto";

  @Mixin DeviceOptions dev = new DeviceOptions();

  @Option(
      names = "--data-dir",
      description = "Folder holding the datasets (default: $JCNN_DATA, then ./datasets).")
  Path dataDir;

  @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (files.size() == 1 && bnImages != null && bnImages == 0) {
      throw new IllegalArgumentException(
          "one --model-file with --bn-images 0 would only copy it: give two or more to average,"
              + " or let one file's batch-norm statistics be recomputed");
    }
    if (dev.threads < 1 || batch < 2 || (bnImages != null && bnImages < 0)) {
      throw new IllegalArgumentException(
          "--threads must be >= 1, --batch >= 2 and --bn-images >= 0");
    }
    dev.install();
    long t0 = System.nanoTime();
    List<ModelFile.Loaded> loaded = new ArrayList<>();
    for (Path f : files) {
      loaded.add(ModelFile.load(f));
    }
    ModelFile.Loaded first = loaded.get(0);
    Split split = splitOf(first);
    if (first.data().note() != null) {
      Errors.warner(spec).accept(first.data().note());
    }
    Augment bnAugment = TrainCommand.augmentFlag(augment, split.augment) ? Augment.cifar() : null;
    for (int i = 1; i < loaded.size(); i++) {
      ModelFile.Loaded m = loaded.get(i);
      if (!m.name().equals(first.name()) || m.classes() != first.classes()) {
        throw new IOException(
            String.format(
                "%s: holds %s with %d classes; %s holds %s with %d",
                files.get(i), m.name(), m.classes(), files.get(0), first.name(), first.classes()));
      }
      Split s = splitOf(m);
      if (!s.sameSplit(split)) {
        throw new IOException(
            String.format(
                "%s: was trained on %s with --seed %d --val %d, %s on %s with --seed %d --val %d;"
                    + " averaging models of different runs mixes validation splits",
                files.get(i),
                s.dataset,
                s.seed,
                s.val,
                files.get(0),
                split.dataset,
                split.seed,
                split.val));
      }
    }
    Dataset full = Datasets.load(split.dataset, true, dataDir);
    Dataset.Split parts = full.split(split.val, split.seed);
    Dataset test = Datasets.load(split.dataset, false, dataDir);
    Dataset val = parts.validation();
    PrintWriter o = spec.commandLine().getOut();
    JsonArray inputs = new JsonArray();
    List<Module> models = new ArrayList<>();
    for (int i = 0; i < loaded.size(); i++) {
      Module m = loaded.get(i).model();
      models.add(m);
      JsonObject j = measure(m, val, test);
      o.printf(
          Locale.ROOT,
          "%s: validation %s, test %.2f%%%n",
          files.get(i),
          val.size() > 0 ? String.format(Locale.ROOT, "%.2f%%", 100 * accuracy(j, "val")) : "-",
          100 * accuracy(j, "test"));
      j.addProperty("model_file", files.get(i).toString());
      inputs.add(j);
    }
    Module avg = Models.create(first.name(), first.classes(), 0);
    WeightAveraging.average(avg, models);
    int bnUsed = 0;
    if (bnImages == null || bnImages > 0) {
      bnUsed =
          WeightAveraging.updateBatchNorm(
              avg, parts.train(), batch, bnImages == null ? 0 : bnImages, bnAugment, split.seed);
    }
    JsonObject result = measure(avg, val, test);
    o.printf(
        Locale.ROOT,
        "%s (batch-norm statistics %s): validation %s, test %.2f%%%n",
        files.size() == 1 ? "the same weights" : "average of " + files.size(),
        bnUsed > 0
            ? "from " + bnUsed + " training images"
            : files.size() == 1 ? "as they were" : "averaged",
        val.size() > 0 ? String.format(Locale.ROOT, "%.2f%%", 100 * accuracy(result, "val")) : "-",
        100 * accuracy(result, "test"));
    ModelFile.save(out, avg, first.name(), first.classes(), first.metadata().get("jcnn.config"));
    o.println("wrote " + out);
    if (json) {
      result.addProperty("model", first.name());
      result.addProperty("dataset", split.dataset);
      result.addProperty("out", out.toString());
      result.addProperty("bn_images", bnUsed);
      result.add("inputs", inputs);
      result.addProperty("params", avg.numParameters());
      result.addProperty("seconds", (System.nanoTime() - t0) / 1e9);
      Json.print(o, result);
    }
    return 0;
  }

  /**
   * The dataset and validation split a model file was trained with, and whether with crop and flip
   * (which only decides how the batch-norm statistics are recomputed).
   */
  private record Split(String dataset, long seed, int val, boolean augment) {
    boolean sameSplit(Split o) {
      return dataset.equals(o.dataset) && seed == o.seed && val == o.val;
    }
  }

  private static Split splitOf(ModelFile.Loaded m) {
    TrainConfig c = m.config();
    if (c == null) { // the train command's defaults, on the network's usual dataset
      String ds = m.data().dataset();
      return new Split(ds, 1, 5000, ds.equals("cifar10"));
    }
    return new Split(m.data().dataset(), c.seed(), c.valCount(), c.augment());
  }

  private JsonObject measure(Module m, Dataset val, Dataset test) {
    JsonObject j = new JsonObject();
    if (val.size() > 0) {
      j.addProperty("val_accuracy", Evaluator.evaluate(m, val, 256).accuracy());
    }
    j.addProperty("test_accuracy", Evaluator.evaluate(m, test, 256).accuracy());
    return j;
  }

  private static double accuracy(JsonObject j, String part) {
    return j.has(part + "_accuracy") ? j.get(part + "_accuracy").getAsDouble() : Double.NaN;
  }
}
