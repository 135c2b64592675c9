package jcnn.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import jcnn.autograd.GradMode;
import jcnn.autograd.Variable;
import jcnn.data.DatasetInfo;
import jcnn.data.Datasets;
import jcnn.data.ImageInput;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jcnn predict}: classifies image files with a saved model file (loaded as {@code jcnn eval}
 * loads it, {@link EvalCommand#load}). The images become one batch [N, C, H, W] in the input form
 * of the model's dataset ({@link ImageInput}: channels, size, normalisation), the network runs once
 * in eval mode without a graph, and each image gets its top classes by softmax probability. Bad
 * input (a missing file, one that does not decode, a grayscale image for a colour model) is one
 * line naming the file, exit code 2. Tested by {@code PredictCommandTest}.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description =
        "Classify image files (PNG or JPEG) with a model file: each image's most likely classes"
            + " and their probabilities. Images are converted to the model's dataset (channels,"
            + " size, normalisation); nothing is inverted, so MNIST digits must be white on black.")
final class PredictCommand implements Callable<Integer> {
  /** One of an image's top classes. */
  record Guess(int index, String name, double probability) {}

  @Spec CommandSpec spec;

  @Option(
      names = "--model-file",
      required = true,
      description = "A .safetensors model file or a compressed .jcz file written by jcnn.")
  Path file;

  @Option(
      names = "--top",
      description = "How many classes to show per image (default: ${DEFAULT-VALUE}).")
  int top = 5;

  @Mixin DeviceOptions dev = new DeviceOptions();

  @Mixin ExecOptions execOptions = new ExecOptions();

  @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
  boolean json;

  @Parameters(
      arity = "1..*",
      paramLabel = "IMAGE",
      description =
          "Image files; grayscale ones for 1-channel models (MNIST, Fashion-MNIST; a colour"
              + " image is taken as its luminance), colour ones for CIFAR-10.")
  List<Path> images;

  @Override
  public Integer call() throws Exception {
    if (top < 1) {
      throw new IllegalArgumentException("--top must be at least 1, got " + top);
    }
    if (dev.threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, got " + dev.threads);
    }
    var mode = execOptions.mode();
    dev.install();
    EvalCommand.Loaded m = EvalCommand.load(file, mode);
    PrintWriter o = spec.commandLine().getOut();
    String ds = m.data().choose(null, Errors.warner(spec));
    if (m.data().note() != null) {
      o.println(m.data().note());
    }
    DatasetInfo info = Datasets.info(ds);
    int[] shape = Datasets.imageShape(ds); // [C, H, W]
    Tensor x = ImageInput.batch(images, info, shape[1], shape[2]); // [N, C, H, W]
    double[][] p = probabilities(m.model(), x); // [N, classes]
    List<List<Guess>> guesses = new ArrayList<>();
    for (double[] row : p) {
      guesses.add(topK(row, top, info));
    }
    printText(o, m, ds, shape, guesses);
    if (json) {
      Json.print(o, toJson(m, ds, guesses));
    }
    return 0;
  }

  /** Softmax of the model's logits for {@code x}, in eval mode and without recording a graph. */
  static double[][] probabilities(Module model, Tensor x) {
    boolean wasTraining = model.isTraining();
    model.eval();
    Tensor logits; // [N, classes]
    try (var scope = GradMode.noGrad()) {
      logits = model.forward(Variable.constant(x)).value();
    } finally {
      model.train(wasTraining);
    }
    int n = logits.dim(0);
    int k = logits.dim(1);
    float[] z = logits.dataForRead();
    double[][] p = new double[n][k];
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, z[i * k + j]);
      }
      double sum = 0;
      for (int j = 0; j < k; j++) {
        p[i][j] = Math.exp(z[i * k + j] - max);
        sum += p[i][j];
      }
      for (int j = 0; j < k; j++) {
        p[i][j] /= sum;
      }
    }
    return p;
  }

  /** The {@code k} most probable classes of one image, most probable first (ties: lower index). */
  static List<Guess> topK(double[] p, int k, DatasetInfo info) {
    List<Guess> all = new ArrayList<>();
    for (int j = 0; j < p.length; j++) {
      String name = j < info.numClasses() ? info.classNames().get(j) : "class " + j;
      all.add(new Guess(j, name, p[j]));
    }
    all.sort(Comparator.comparingDouble(Guess::probability).reversed());
    return all.subList(0, Math.min(k, all.size()));
  }

  private void printText(
      PrintWriter o, EvalCommand.Loaded m, String ds, int[] shape, List<List<Guess>> guesses) {
    o.printf(
        Locale.ROOT,
        "%s (%s, %s): %s classes, images as %s%n",
        file,
        m.name(),
        m.format(),
        ds,
        Datasets.shapeText(shape));
    o.println(EvalCommand.memoryLine(m));
    int width = 0;
    for (String c : Datasets.info(ds).classNames()) {
      width = Math.max(width, c.length());
    }
    for (int i = 0; i < images.size(); i++) {
      o.println(images.get(i));
      for (Guess g : guesses.get(i)) {
        o.printf(Locale.ROOT, "  %-" + width + "s  %6.2f%%%n", g.name(), 100 * g.probability());
      }
    }
    o.flush();
  }

  private JsonObject toJson(EvalCommand.Loaded m, String ds, List<List<Guess>> guesses) {
    JsonObject j = new JsonObject();
    j.addProperty("model_file", file.toString());
    j.addProperty("model", m.name());
    j.addProperty("format", m.format());
    j.addProperty("dataset", ds);
    j.addProperty("dataset_source", m.data().source());
    j.addProperty("top_k", top);
    JsonArray predictions = new JsonArray();
    for (int i = 0; i < images.size(); i++) {
      JsonArray topList = new JsonArray();
      for (Guess g : guesses.get(i)) {
        JsonObject t = new JsonObject();
        t.addProperty("class", g.name());
        t.addProperty("index", g.index());
        t.addProperty("probability", g.probability());
        topList.add(t);
      }
      JsonObject one = new JsonObject();
      one.addProperty("file", images.get(i).toString());
      one.add("top", topList);
      predictions.add(one);
    }
    j.add("predictions", predictions);
    EvalCommand.addMemory(j, m);
    return j;
  }
}
