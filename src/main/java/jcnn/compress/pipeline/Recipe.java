package jcnn.compress.pipeline;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jcnn.report.CompressionSummary;
import jcnn.report.Published;
import jcnn.train.TrainConfig;

/**
 * One published pipeline, train to report: how to train the network from scratch ({@link Train}),
 * how to compress it ({@link CompressOptions}), the published row it reproduces and the targets our
 * run is held to. The recipes themselves are in {@link Recipes}. Tested in {@code RecipesTest}.
 */
public record Recipe(
    String name,
    String title,
    Train train,
    CompressOptions compress,
    Published published,
    Targets targets,
    String notes) {

  /** The compression settings, as an independent copy that a caller may change. */
  @Override
  public CompressOptions compress() {
    return compress.copy();
  }

  /** The training run: SGD with momentum 0.9, the named schedule, batch, seed, validation split. */
  public record Train(
      String model,
      String dataset,
      int epochs,
      int batch,
      double lr,
      double weightDecay,
      String schedule,
      long seed,
      int val,
      boolean augment) {

    /** The config for {@code jcnn.train.Trainer}, with the run's own epochs, limit and paths. */
    public TrainConfig config(int epochs, int limit, int threads, Path dataDir, Path out) {
      return new TrainConfig(
          model,
          dataset,
          epochs,
          batch,
          lr,
          "sgd",
          0.9,
          weightDecay,
          schedule,
          seed,
          threads,
          val,
          augment,
          0,
          limit,
          dataDir == null ? null : dataDir.toString(),
          out.toString(),
          null,
          0,
          0);
    }
  }

  /**
   * What our run must reach (from the issue): at least {@code minPruned} of the weights pruned, the
   * quantized test accuracy at most {@code maxDrop} below the unpruned one, the file at most {@code
   * maxBytes} (0: no limit) and at least {@code minRate} times smaller than float32 (0: no limit).
   */
  public record Targets(double minPruned, double maxDrop, long maxBytes, double minRate) {

    /** One line per target: what it asks, what we got, and whether it is met. */
    public List<Check> check(CompressionSummary s) {
      List<Check> out = new ArrayList<>();
      double pruned = s.pruning().fraction();
      out.add(
          new Check(
              String.format(Locale.ROOT, "pruned >= %.0f%%", 100 * minPruned),
              String.format(Locale.ROOT, "%.2f%%", 100 * pruned),
              pruned >= minPruned));
      double drop = s.accuracy().initial().test() - s.accuracy().quantized().test();
      out.add(
          new Check(
              String.format(
                  Locale.ROOT, "quantized within %.1f point(s) of unpruned (test)", 100 * maxDrop),
              String.format(Locale.ROOT, "%+.2f points", -100 * drop),
              drop <= maxDrop + 1e-12));
      if (maxBytes > 0) {
        out.add(
            new Check(
                String.format(Locale.ROOT, ".jcz <= %,d bytes", maxBytes),
                String.format(Locale.ROOT, "%,d bytes", s.sizes().file()),
                s.sizes().file() <= maxBytes));
      }
      if (minRate > 0) {
        out.add(
            new Check(
                String.format(Locale.ROOT, ">= %.0fx on disk", minRate),
                String.format(Locale.ROOT, "%.1fx", s.sizes().fileRate()),
                s.sizes().fileRate() >= minRate));
      }
      return out;
    }
  }

  /** One target's outcome. */
  public record Check(String target, String ours, boolean met) {
    /** The outcomes as the JSON array of {@code jcnn reproduce --json}. */
    public static JsonArray toJson(List<Check> checks) {
      JsonArray a = new JsonArray();
      for (Check k : checks) {
        JsonObject j = new JsonObject();
        j.addProperty("target", k.target());
        j.addProperty("ours", k.ours());
        j.addProperty("met", k.met());
        a.add(j);
      }
      return a;
    }
  }
}
