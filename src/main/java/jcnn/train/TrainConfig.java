package jcnn.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.nio.file.Path;
import jcnn.data.Augment;

/**
 * Everything that defines a training run. Two runs with equal configs and thread counts produce
 * bit-identical weights. Serialised into checkpoints and metrics.json.
 *
 * @param valCount images carved from the training set for validation (selection never uses the test
 *     set)
 * @param checkpointEvery also checkpoint every this many batches inside an epoch (0: epoch ends
 *     only)
 * @param trainLimit train on only the first this many images of the shuffled training split (0:
 *     all), for smoke tests
 * @param initFrom start from the weights (and batch-norm statistics) of this jcnn model file
 *     instead of fresh ones, with a fresh optimizer and schedule: fine-tuning, or a warm restart of
 *     the cosine schedule (Loshchilov and Hutter 2017); null: fresh weights
 * @param swaEpochs stochastic weight averaging (Izmailov et al. 2018) over the last this many
 *     epochs: they run at the constant rate {@code swaLr} (the schedule before them ends at it) and
 *     the weights after each are averaged into {@code swa.safetensors}, its batch-norm statistics
 *     recomputed on the training split; 0: none
 * @param swaLr the constant learning rate of the averaging epochs
 */
public record TrainConfig(
    String model,
    String dataset,
    int epochs,
    int batch,
    double lr,
    String optimizer,
    double momentum,
    double weightDecay,
    String schedule,
    long seed,
    int threads,
    int valCount,
    boolean augment,
    int checkpointEvery,
    int trainLimit,
    String dataDir,
    String outDir,
    String initFrom,
    int swaEpochs,
    double swaLr) {

  private static final Gson GSON = new GsonBuilder().create();

  public TrainConfig {
    require(epochs >= 1, "epochs must be >= 1, got " + epochs);
    require(batch >= 1, "batch must be >= 1, got " + batch);
    require(lr > 0, "lr must be > 0, got " + lr);
    require(
        optimizer.equals("sgd") || optimizer.equals("adam"),
        "optimizer must be sgd or adam, got " + optimizer);
    require(
        schedule.equals("constant") || schedule.equals("cosine") || schedule.equals("step"),
        "schedule must be constant, cosine or step, got " + schedule);
    require(threads >= 1, "threads must be >= 1, got " + threads);
    require(valCount >= 0, "val must be >= 0, got " + valCount);
    require(checkpointEvery >= 0, "checkpoint-every must be >= 0, got " + checkpointEvery);
    require(trainLimit >= 0, "limit must be >= 0, got " + trainLimit);
    require(
        swaEpochs >= 0 && swaEpochs <= epochs,
        "swa-epochs must be in 0.." + epochs + " (the epochs), got " + swaEpochs);
    require(swaEpochs == 0 || swaLr > 0, "swa-epochs needs an swa-lr > 0, got " + swaLr);
  }

  /** The training augmentation this config asks for: CIFAR's crop and flip, or null for none. */
  public Augment augmentation() {
    return augment ? Augment.cifar() : null;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  public Path out() {
    return Path.of(outDir);
  }

  public Path dataPath() {
    return dataDir == null ? null : Path.of(dataDir);
  }

  public String toJson() {
    return GSON.toJson(this);
  }

  public static TrainConfig fromJson(String json) {
    return GSON.fromJson(json, TrainConfig.class);
  }

  /** This config with another epoch count (resuming a run to a later end). */
  public TrainConfig withEpochs(int e) {
    return new TrainConfig(
        model,
        dataset,
        e,
        batch,
        lr,
        optimizer,
        momentum,
        weightDecay,
        schedule,
        seed,
        threads,
        valCount,
        augment,
        checkpointEvery,
        trainLimit,
        dataDir,
        outDir,
        initFrom,
        swaEpochs,
        swaLr);
  }
}
