package jcnn.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.nn.Dropout;
import jcnn.nn.Module;
import jcnn.nn.io.SafeTensors;
import jcnn.optim.Optimizer;
import jcnn.tensor.Tensor;

/**
 * A resumable snapshot of a training run, in one safetensors file written atomically: the model's
 * state dict (prefix {@code model/}), the optimizer's state ({@code optim/}), and in the metadata
 * the config, the position (next epoch and batch), the partial sums of the epoch in progress, the
 * best validation result so far, the epoch history, and the random state; with weight averaging
 * also the running mean of the weights ({@code swa/}) and how many epochs it holds.
 *
 * <p>jcnn's random state is counter-based: the data order and augmentation derive from (seed,
 * epoch, sample), and each dropout layer's mask from (seed, calls so far). Saving the dropout call
 * counters therefore restores the random state exactly, and a resumed run produces the same weights
 * bit for bit as an uninterrupted one.
 */
public final class Checkpoint {
  public static final String FILE = "checkpoint.safetensors";
  private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

  /** Where a run stands. */
  public static final class Position {
    int epoch;
    int batch;
    double lossSum;
    long correct;
    long seen;
    double trainSeconds;
    double bestValAccuracy = -1;
    int bestEpoch = -1;
    int swaCount; // epochs averaged so far (stochastic weight averaging)
    List<EpochStats> history = new ArrayList<>();
  }

  private Checkpoint() {}

  static void save(
      Path dir, TrainConfig cfg, Module model, Optimizer opt, Position pos, Map<String, Tensor> swa)
      throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    model.stateDict().forEach((k, v) -> tensors.put("model/" + k, v));
    opt.state().forEach((k, v) -> tensors.put("optim/" + k, v));
    swa.forEach((k, v) -> tensors.put("swa/" + k, v));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("jcnn.format", "jcnn-checkpoint");
    meta.put("config", cfg.toJson());
    meta.put("position", GSON.toJson(pos));
    meta.put("dropout", GSON.toJson(dropoutCalls(model)));
    SafeTensors.write(dir.resolve(FILE), tensors, meta);
  }

  /**
   * Restores model, optimizer and random state from {@code dir}, and fills swa with the running
   * mean of the weights if there is one; returns the position.
   */
  static Position load(Path dir, Module model, Optimizer opt, Map<String, Tensor> swa)
      throws IOException {
    Path file = dir.resolve(FILE);
    SafeTensors.Contents c = SafeTensors.read(file);
    if (!"jcnn-checkpoint".equals(c.metadata().get("jcnn.format"))) {
      throw new IOException(file + ": not a jcnn checkpoint");
    }
    Map<String, Tensor> m = new LinkedHashMap<>();
    Map<String, Tensor> o = new LinkedHashMap<>();
    c.tensors()
        .forEach(
            (k, v) -> {
              if (k.startsWith("model/")) {
                m.put(k.substring(6), v);
              } else if (k.startsWith("optim/")) {
                o.put(k.substring(6), v);
              } else if (k.startsWith("swa/")) {
                swa.put(k.substring(4), v);
              }
            });
    ModelFile.load(file, model, m);
    try {
      opt.loadState(o);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": optimizer state: " + e.getMessage(), e);
    }
    Map<String, Long> calls =
        GSON.fromJson(c.metadata().get("dropout"), new TypeToken<Map<String, Long>>() {}.getType());
    model
        .namedModules()
        .forEach(
            (name, mod) -> {
              if (mod instanceof Dropout d && calls.containsKey(name)) {
                d.setCalls(calls.get(name));
              }
            });
    Position pos = GSON.fromJson(c.metadata().get("position"), Position.class);
    if (pos.swaCount > 0 && swa.size() != model.namedParameters().size()) {
      throw new IOException(
          file
              + ": the position says "
              + pos.swaCount
              + " epochs were averaged, but the checkpoint holds "
              + swa.size()
              + " averaged tensors for "
              + model.namedParameters().size()
              + " parameters");
    }
    return pos;
  }

  /** The config a checkpoint in {@code dir} was written with. */
  static TrainConfig config(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    String json = SafeTensors.read(file).metadata().get("config");
    if (json == null) {
      throw new IOException(file + ": no config in the checkpoint metadata");
    }
    return TrainConfig.fromJson(json);
  }

  private static Map<String, Long> dropoutCalls(Module model) {
    Map<String, Long> calls = new LinkedHashMap<>();
    model
        .namedModules()
        .forEach(
            (name, mod) -> {
              if (mod instanceof Dropout d) {
                calls.put(name, d.calls());
              }
            });
    return calls;
  }
}
