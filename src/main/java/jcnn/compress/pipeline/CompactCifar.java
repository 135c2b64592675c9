package jcnn.compress.pipeline;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The two roads to a small CIFAR-10 model on one table ({@code ./jcnn reproduce compact-cifar}):
 * networks designed small (SqueezeNet, MobileNet V1/V2, SEP-Net) and ordinary ones compressed
 * (cifar-tz, ResNet-20), every one trained from scratch and then put through the same compression
 * pipeline, so that each row gives the float model and its {@code .jcz} side by side. The question
 * the table answers: which network gives the smallest file within one point of its own float
 * model's test accuracy.
 *
 * <p>Every network trains with SGD (momentum 0.9, cosine from lr 0.1, weight decay 5e-4, batch 128,
 * random crop and flip, seed 1, 5,000 validation images) for the epochs given here, and is
 * compressed alike: class-blind (global) magnitude pruning of every conv and linear weight,
 * depthwise and pointwise included, one-shot to {@link #PRUNE}, {@link #RETRAIN} epochs of masked
 * retraining, 64-cluster (6-bit) k-means sharing per tensor, one epoch of centroid fine-tuning,
 * Huffman coding. Deep Compression coded SqueezeNet at 6 bits too, to 10x (Iandola et al., Table
 * 2), which is {@link #SQUEEZENET_MIN_RATE}. Tested in {@code CompactCifarTest}.
 */
public final class CompactCifar {
  private CompactCifar() {}

  /** The recipe's name on the command line. */
  public static final String NAME = "compact-cifar";

  /** The fraction of conv and linear weights pruned in every network. */
  public static final double PRUNE = 0.7;

  /** k-means clusters per tensor: 6-bit weights. */
  public static final int CLUSTERS = 64;

  /** Epochs of masked retraining after pruning. */
  public static final int RETRAIN = 2;

  /** How far below its float model a compressed model may fall and still count: one point. */
  public static final double MAX_DROP = 0.01;

  /** The target for SqueezeNet: at least 10x smaller on disk within one point. */
  public static final double SQUEEZENET_MIN_RATE = 10;

  /** Which road a network takes: designed small, or an ordinary network compressed. */
  public enum Road {
    COMPACT("designed small"),
    COMPRESSED("ordinary, compressed");

    public final String label;

    Road(String label) {
      this.label = label;
    }
  }

  /** One network of the table: how it trains, and its road. */
  public record Entry(Road road, Recipe.Train train) {
    public String model() {
      return train.model();
    }
  }

  /** The networks in table order; the compact ones first. */
  public static final List<Entry> ENTRIES =
      List.of(
          entry(Road.COMPACT, "squeezenet", 30),
          entry(Road.COMPACT, "mobilenet1", 30),
          entry(Road.COMPACT, "mobilenet2", 30),
          entry(Road.COMPACT, "sepnet", 30),
          entry(Road.COMPRESSED, "cifar-tz", 30),
          entry(Road.COMPRESSED, "resnet20", 60));

  private static Entry entry(Road road, String model, int epochs) {
    return new Entry(
        road, new Recipe.Train(model, "cifar10", epochs, 128, 0.1, 5e-4, "cosine", 1, 5000, true));
  }

  /** The entry of {@code model}; IllegalArgumentException listing the table's networks. */
  public static Entry entry(String model) {
    for (Entry e : ENTRIES) {
      if (e.model().equals(model)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "--models: '"
            + model
            + "' is not on the compact-cifar table; its networks: "
            + ENTRIES.stream().map(Entry::model).toList());
  }

  /** The compression settings every network gets. */
  public static CompressOptions compression() {
    return new CompressOptions()
        .criterion("global")
        .target(PRUNE)
        .retrainEpochs(RETRAIN)
        .finetuneEpochs(1)
        .clusters(Integer.toString(CLUSTERS))
        .batch(128)
        .curve("none");
  }

  /**
   * One network's outcome.
   *
   * @param floatBytes the float32 model file on disk (safetensors: weights, batch-norm statistics,
   *     header)
   * @param floatTest test accuracy of the float model (the best epoch on validation)
   * @param jczBytes the compressed file on disk
   * @param jczTest test accuracy of the model decoded from the compressed file
   * @param pruned the fraction of conv and linear weights that are zero in the file
   * @param epochs training epochs run
   */
  public record Row(
      String model,
      Road road,
      long params,
      long macs,
      int epochs,
      long floatBytes,
      double floatTest,
      long jczBytes,
      double jczTest,
      double pruned) {

    /** Float bytes over compressed bytes, both as files on disk. */
    public double rate() {
      return (double) floatBytes / jczBytes;
    }

    /** The compressed model is at most one point below its float model on the test set. */
    public boolean withinOnePoint() {
      return floatTest - jczTest <= MAX_DROP + 1e-12;
    }

    public JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("model", model);
      o.addProperty("road", road.name().toLowerCase(Locale.ROOT));
      o.addProperty("params", params);
      o.addProperty("macs", macs);
      o.addProperty("epochs", epochs);
      o.addProperty("float_bytes", floatBytes);
      o.addProperty("float_test_accuracy", floatTest);
      o.addProperty("jcz_bytes", jczBytes);
      o.addProperty("jcz_test_accuracy", jczTest);
      o.addProperty("pruned_fraction", pruned);
      o.addProperty("rate", rate());
      o.addProperty("within_one_point", withinOnePoint());
      return o;
    }

    public static Row fromJson(JsonObject o) {
      return new Row(
          o.get("model").getAsString(),
          Road.valueOf(o.get("road").getAsString().toUpperCase(Locale.ROOT)),
          o.get("params").getAsLong(),
          o.get("macs").getAsLong(),
          o.get("epochs").getAsInt(),
          o.get("float_bytes").getAsLong(),
          o.get("float_test_accuracy").getAsDouble(),
          o.get("jcz_bytes").getAsLong(),
          o.get("jcz_test_accuracy").getAsDouble(),
          o.get("pruned_fraction").getAsDouble());
    }
  }

  /** The row with the smallest compressed file within one point of its float model, if any. */
  public static Optional<Row> smallestWithinOnePoint(List<Row> rows) {
    Row best = null;
    for (Row r : rows) {
      if (r.withinOnePoint() && (best == null || r.jczBytes() < best.jczBytes())) {
        best = r;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The target lines: SqueezeNet at least 10x on disk within one point, when it is on the table.
   */
  public static List<Recipe.Check> checks(List<Row> rows) {
    List<Recipe.Check> out = new ArrayList<>();
    for (Row r : rows) {
      if (r.model().equals("squeezenet")) {
        out.add(
            new Recipe.Check(
                String.format(
                    Locale.ROOT, "squeezenet >= %.0fx on disk within 1 point", SQUEEZENET_MIN_RATE),
                String.format(
                    Locale.ROOT,
                    "%.1fx, %+.2f points",
                    r.rate(),
                    100 * (r.jczTest() - r.floatTest())),
                r.rate() >= SQUEEZENET_MIN_RATE && r.withinOnePoint()));
      }
    }
    return out;
  }

  /** The table as Markdown, with the answer below it. */
  public static String markdown(List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append(
        "| network | road | parameters | multiply-adds | epochs | float bytes | float test |"
            + " .jcz bytes | .jcz test | change | pruned | on disk |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,d | %,d | %d | %,d | %.2f%% | %,d | %.2f%% | %+.2f | %.1f%% | %.1fx%s |\n",
              r.model(),
              r.road().label,
              r.params(),
              r.macs(),
              r.epochs(),
              r.floatBytes(),
              100 * r.floatTest(),
              r.jczBytes(),
              100 * r.jczTest(),
              100 * (r.jczTest() - r.floatTest()),
              100 * r.pruned(),
              r.rate(),
              r.withinOnePoint() ? "" : " (more than 1 point lost)"));
    }
    b.append('\n');
    b.append(
        smallestWithinOnePoint(rows)
            .map(
                r ->
                    String.format(
                        Locale.ROOT,
                        "Smallest file within 1 point of its float model: %s (%s), %,d bytes at"
                            + " %.2f%% test accuracy.\n",
                        r.model(),
                        r.road().label,
                        r.jczBytes(),
                        100 * r.jczTest()))
            .orElse("No compressed model stayed within 1 point of its float model.\n"));
    return b.toString();
  }

  /** The rows and the answer as one JSON object. */
  public static JsonObject json(List<Row> rows) {
    JsonObject o = new JsonObject();
    o.addProperty("recipe", NAME);
    JsonArray a = new JsonArray();
    rows.forEach(r -> a.add(r.toJson()));
    o.add("rows", a);
    smallestWithinOnePoint(rows)
        .ifPresent(r -> o.addProperty("smallest_within_one_point", r.model()));
    o.add("targets", Recipe.Check.toJson(checks(rows)));
    return o;
  }
}
