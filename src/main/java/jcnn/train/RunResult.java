package jcnn.train;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jcnn.nn.io.AtomicWrite;

/**
 * The outcome of a training run, as the CLI prints it and as {@code metrics.json} stores it. The
 * reported test accuracy is that of the best model on validation (selected without looking at the
 * test set); the last epoch's test accuracy is given beside it, and with weight averaging the
 * validation and test accuracy of the averaged model ({@code swa_*}; NaN without it).
 *
 * <p>While a run is under way the trainer rewrites {@code metrics.json} after every epoch with
 * {@code "finished": false} and no test accuracies (the test set is measured once, at the end), so
 * a long run can be followed, and a killed one still leaves its history.
 */
public record RunResult(
    TrainConfig config,
    long params,
    List<EpochStats> history,
    int bestEpoch,
    double bestValAccuracy,
    double testAccuracy,
    double lastTestAccuracy,
    boolean finished,
    double swaValAccuracy,
    double swaTestAccuracy) {

  /** The state of an unfinished run after its latest epoch: no test accuracies yet. */
  public static RunResult inProgress(
      TrainConfig config,
      long params,
      List<EpochStats> history,
      int bestEpoch,
      double bestValAccuracy) {
    return new RunResult(
        config,
        params,
        history,
        bestEpoch,
        bestValAccuracy,
        Double.NaN,
        Double.NaN,
        false,
        Double.NaN,
        Double.NaN);
  }

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
    o.addProperty("finished", finished);
    o.addProperty("test_accuracy", finished ? testAccuracy : null);
    o.addProperty("val_accuracy", Double.isFinite(bestValAccuracy) ? bestValAccuracy : null);
    o.addProperty("best_epoch", bestEpoch);
    o.addProperty("last_test_accuracy", finished ? lastTestAccuracy : null);
    if (config.swaEpochs() > 0) {
      o.addProperty("swa_epochs", config.swaEpochs());
      o.addProperty(
          "swa_val_accuracy", finished && Double.isFinite(swaValAccuracy) ? swaValAccuracy : null);
      o.addProperty("swa_test_accuracy", finished ? swaTestAccuracy : null);
    }
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
    // snake_case throughout, like the summary keys (the checkpoint and model-file metadata keep
    // TrainConfig's own field names)
    Gson snake =
        new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .serializeNulls()
            .serializeSpecialFloatingPointValues()
            .create();
    o.add("config", snake.toJsonTree(config));
    o.add("history", snake.toJsonTree(history));
    String text =
        new GsonBuilder()
            .setPrettyPrinting()
            .serializeNulls()
            .serializeSpecialFloatingPointValues()
            .create()
            .toJson(o);
    AtomicWrite.write(file, text.getBytes(StandardCharsets.UTF_8));
  }
}
