package jcnn.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import jcnn.data.Datasets;
import jcnn.models.Models;
import jcnn.nn.Summary;
import jcnn.tensor.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jcnn summary}: a network's layers with output shape, parameters and multiply-adds per
 * image, and the totals, like torchinfo's {@code summary}. Nothing is trained or written. Tested by
 * {@code SummaryCommandTest}.
 */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description =
        "Show a network layer by layer: output shape, parameters and multiply-adds per image.")
final class SummaryCommand implements Callable<Integer> {
  /** Inputs at least this large get a compact network's ImageNet configuration under auto. */
  static final int IMAGENET_FROM = 64;

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      description = "One of: ${COMPLETION-CANDIDATES}.",
      completionCandidates = TrainCommand.ModelNames.class)
  String model;

  @Option(
      names = "--width",
      description = "Width multiplier alpha of a compact network (default: ${DEFAULT-VALUE}).")
  double width = 1.0;

  @Option(
      names = "--resolution",
      description =
          "Resolution multiplier rho in (0, 1] (default: ${DEFAULT-VALUE}): the network's first"
              + " layer resizes the --input image to rho times its side.")
  double resolution = 1.0;

  @Option(
      names = "--classes",
      description = "Classifier outputs (default: 1000 in the ImageNet configuration, else 10).")
  Integer classes;

  @Option(
      names = "--input",
      paramLabel = "S",
      description =
          "Side of the square input image (default: the model's dataset, 28 or 32; 224 with"
              + " --config imagenet).")
  Integer input;

  @Option(
      names = "--config",
      description =
          "cifar, imagenet or auto (default: ${DEFAULT-VALUE}: a compact network's original"
              + " ImageNet configuration when --input is "
              + IMAGENET_FROM
              + " or more, else the 32x32 one; see docs/models.md).")
  String config = "auto";

  @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
  boolean json;

  @Override
  public Integer call() {
    Models.Spec m = Models.spec(model);
    boolean imagenet = imagenet(m);
    int side = input != null ? input : imagenet ? 224 : m.height();
    int k = classes != null ? classes : imagenet ? 1000 : Datasets.info(m.dataset()).numClasses();
    String name = Models.variant(model, width, resolution);
    Summary s;
    try { // one forward pass; only when it fails does checkInput look for the smallest input
      s = Summary.of(Models.create(name, k, 0, imagenet), Shape.of(m.channels(), side, side));
    } catch (IllegalArgumentException e) {
      Models.checkInput(name, k, imagenet, side); // throws the one-line error naming the option
      throw e;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.print(out, toJson(s, name, imagenet, k));
    } else {
      print(out, s, name, imagenet, k);
    }
    return 0;
  }

  private boolean imagenet(Models.Spec m) {
    return switch (config) {
      case "cifar" -> false;
      case "imagenet" -> {
        if (!m.imagenet()) {
          throw new IllegalArgumentException(
              "--config imagenet: " + m.name() + " has no ImageNet configuration");
        }
        yield true;
      }
      case "auto" -> m.imagenet() && input != null && input >= IMAGENET_FROM;
      default ->
          throw new IllegalArgumentException(
              "--config must be cifar, imagenet or auto, got " + config);
    };
  }

  private static void print(PrintWriter out, Summary s, String name, boolean imagenet, int k) {
    out.printf(
        Locale.ROOT,
        "%s, %s configuration, %d classes, input %s%n",
        name,
        imagenet ? "ImageNet" : "32x32",
        k,
        s.input());
    String fmt = "%-34s %-36s %-16s %12s %15s%n";
    out.printf(Locale.ROOT, fmt, "layer", "type", "output", "params", "mult-adds");
    out.println("-".repeat(117));
    for (Summary.Row r : s.rows()) {
      out.printf(
          Locale.ROOT,
          fmt,
          r.name(),
          clip(r.kind(), 36),
          r.output(),
          r.params() == 0 ? "" : String.format(Locale.ROOT, "%,d", r.params()),
          r.macs() == 0 ? "" : String.format(Locale.ROOT, "%,d", r.macs()));
    }
    out.println("-".repeat(117));
    out.printf(
        Locale.ROOT,
        "parameters:      %,d (%.2f MB as float32)%n",
        s.params(),
        s.params() * 4 / 1e6);
    out.printf(Locale.ROOT, "mult-adds:       %,d (%.1f M) per image%n", s.macs(), s.macs() / 1e6);
    out.printf(
        Locale.ROOT,
        "activations:     %.2f MB per image (float32 outputs of every row, what training keeps)%n",
        s.activationBytes() / 1e6);
    out.println(
        "(mult-adds count convolutions and fully connected layers, as the papers do; batch norm,"
            + " activations and pooling are not counted)");
    out.flush();
  }

  private static String clip(String t, int n) {
    return t.length() <= n ? t : t.substring(0, n - 3) + "...";
  }

  private static JsonObject toJson(Summary s, String name, boolean imagenet, int k) {
    JsonObject o = new JsonObject();
    o.addProperty("model", name);
    o.addProperty("config", imagenet ? "imagenet" : "cifar");
    o.addProperty("classes", k);
    o.add("input", dims(s.input()));
    o.addProperty("params", s.params());
    o.addProperty("macs", s.macs());
    o.addProperty("activation_bytes", s.activationBytes());
    JsonArray layers = new JsonArray();
    for (Summary.Row r : s.rows()) {
      JsonObject l = new JsonObject();
      l.addProperty("name", r.name());
      l.addProperty("type", r.kind());
      l.add("output", dims(r.output()));
      l.addProperty("params", r.params());
      l.addProperty("macs", r.macs());
      layers.add(l);
    }
    o.add("layers", layers);
    return o;
  }

  private static JsonArray dims(Shape s) {
    JsonArray a = new JsonArray();
    for (int d : s.dims()) {
      a.add(d);
    }
    return a;
  }
}
