package jcnn.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jcnn.nn.io.AtomicWrite;

/**
 * The outcome of a training run, as the CLI prints it and as {@code metrics.json} stores it. The
 * reported test accuracy is that of the best model on validation (selected without looking at the
 * test set); the last epoch's test accuracy is given beside it.
 */
public record RunResult(
    TrainConfig config,
    long params,
    List<EpochStats> history,
    int bestEpoch,
    double bestValAccuracy,
    double testAccuracy,
    double lastTestAccuracy) {

  /** Training images per second over all epochs (training steps only). */
  public double imagesPerSecond() {
    double images = 0;
    double seconds = 0;
    for (EpochStats s : history) {
      images += s.imagesPerSecond() * s.seconds();
      seconds += s.seconds();
    }
    return seconds == 0 ? 0 : images / seconds;
  }

  public double trainSeconds() {
    return history.stream().mapToDouble(EpochStats::seconds).sum();
  }

  /** The summary object printed by {@code --json} and stored in metrics.json. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("model", config.model());
    o.addProperty("dataset", config.dataset());
    o.addProperty("test_accuracy", testAccuracy);
    o.addProperty("val_accuracy", Double.isFinite(bestValAccuracy) ? bestValAccuracy : null);
    o.addProperty("best_epoch", bestEpoch);
    o.addProperty("last_test_accuracy", lastTestAccuracy);
    o.addProperty("images_per_second", imagesPerSecond());
    o.addProperty("epochs", history.size());
    o.addProperty("seconds", trainSeconds());
    o.addProperty("params", params);
    o.addProperty("threads", config.threads());
    o.addProperty("seed", config.seed());
    return o;
  }

  public void writeMetrics(Path file) throws IOException {
    JsonObject o = toJson();
    o.add("config", JsonParser.parseString(config.toJson()));
    o.add(
        "history",
        new GsonBuilder().serializeSpecialFloatingPointValues().create().toJsonTree(history));
    String text =
        new GsonBuilder()
            .setPrettyPrinting()
            .serializeSpecialFloatingPointValues()
            .create()
            .toJson(o);
    AtomicWrite.write(file, text.getBytes(StandardCharsets.UTF_8));
  }
}
