package jcnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.nn.io.SafeTensors;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training loop on a slice of the shipped MNIST: it learns, reruns are bit-identical, a run
 * interrupted mid-epoch resumes from its checkpoint to the same weights as an uninterrupted one,
 * and weight averaging averages the right epochs at the right rate, across a resume too.
 */
class TrainerTest {
  private static Backend previous;
  @TempDir Path dir;

  @BeforeAll
  static void fastBackend() {
    previous = Backends.use(Backends.cpu(2));
  }

  @AfterAll
  static void restore() {
    Backends.use(previous);
  }

  private static TrainConfig config(Path out, int epochs, int checkpointEvery) {
    return config(out, epochs, checkpointEvery, 0.02, 7, 1280, null);
  }

  private static TrainConfig config(
      Path out, int epochs, int checkpointEvery, double lr, long seed, int limit, Path init) {
    return config(out, epochs, checkpointEvery, lr, seed, limit, init, 0, 0);
  }

  private static TrainConfig config(
      Path out,
      int epochs,
      int checkpointEvery,
      double lr,
      long seed,
      int limit,
      Path init,
      int swaEpochs,
      double swaLr) {
    return new TrainConfig(
        "lenet5",
        "mnist",
        epochs,
        32,
        lr,
        "sgd",
        0.9,
        5e-4,
        "cosine",
        seed,
        2,
        500,
        false,
        checkpointEvery,
        limit,
        null,
        out.toString(),
        init == null ? null : init.toString(),
        swaEpochs,
        swaLr);
  }

  /** A listener that throws at the given step of the given (0-based) epoch: a simulated crash. */
  private static Trainer.Listener crashAt(int crashEpoch, int crashBatch) {
    return new Trainer.Listener() {
      int epoch;

      @Override
      public void epochStart(int e, int epochs, int batches, int startBatch) {
        epoch = e;
      }

      @Override
      public void step(int batch, double loss, double acc, double ips) {
        if (epoch == crashEpoch && batch == crashBatch) {
          throw new IllegalStateException("simulated crash");
        }
      }
    };
  }

  private static Map<String, Tensor> weights(Path out) throws IOException {
    return SafeTensors.read(out.resolve("model.safetensors")).tensors();
  }

  @Test
  void learnsAndWritesItsFiles() throws IOException {
    RunResult r = new Trainer(config(dir.resolve("a"), 2, 0), new Trainer.Listener() {}).run(false);
    assertEquals(2, r.history().size());
    assertTrue(r.history().get(1).trainLoss() < r.history().get(0).trainLoss());
    assertTrue(r.testAccuracy() > 0.80, "test accuracy " + r.testAccuracy());
    for (String f :
        new String[] {
          "model.safetensors", "best.safetensors", "checkpoint.safetensors", "metrics.json"
        }) {
      assertTrue(Files.exists(dir.resolve("a").resolve(f)), f);
    }
    String metrics = Files.readString(dir.resolve("a/metrics.json"));
    assertTrue(metrics.contains("\"test_accuracy\"") && metrics.contains("\"history\""), metrics);
  }

  @Test
  void sameSeedSameThreadsGivesIdenticalWeights() throws IOException {
    new Trainer(config(dir.resolve("a"), 1, 0), new Trainer.Listener() {}).run(false);
    new Trainer(config(dir.resolve("b"), 1, 0), new Trainer.Listener() {}).run(false);
    Map<String, Tensor> a = weights(dir.resolve("a"));
    Map<String, Tensor> b = weights(dir.resolve("b"));
    a.forEach((k, v) -> assertArrayEquals(v.data(), b.get(k).data(), k));
  }

  @Test
  void resumeAfterACrashMidEpochMatchesAnUninterruptedRun() throws IOException {
    new Trainer(config(dir.resolve("full"), 2, 0), new Trainer.Listener() {}).run(false);
    Path crashed = dir.resolve("crashed");
    Trainer.Listener crashInEpoch2 = crashAt(1, 17);
    assertThrows(
        IllegalStateException.class,
        () -> new Trainer(config(crashed, 2, 5), crashInEpoch2).run(false));
    assertTrue(Files.exists(crashed.resolve(Checkpoint.FILE)));
    // the crashed run's metrics.json holds epoch 1 and says it is unfinished, with no test numbers
    JsonObject partial =
        JsonParser.parseString(Files.readString(crashed.resolve(Trainer.METRICS)))
            .getAsJsonObject();
    assertFalse(partial.get("finished").getAsBoolean());
    assertEquals(1, partial.getAsJsonArray("history").size());
    assertTrue(partial.get("test_accuracy").isJsonNull(), partial.toString());
    new Trainer(config(crashed, 2, 5), new Trainer.Listener() {}).run(true);
    JsonObject done =
        JsonParser.parseString(Files.readString(crashed.resolve(Trainer.METRICS)))
            .getAsJsonObject();
    assertTrue(done.get("finished").getAsBoolean());
    assertEquals(2, done.getAsJsonArray("history").size());
    JsonObject epoch2 = done.getAsJsonArray("history").get(1).getAsJsonObject();
    assertTrue(epoch2.has("train_loss") && epoch2.has("val_accuracy"), epoch2.toString());
    assertEquals(5e-4, done.getAsJsonObject("config").get("weight_decay").getAsDouble());
    assertTrue(done.get("test_accuracy").getAsDouble() > 0.5, done.toString());
    Map<String, Tensor> a = weights(dir.resolve("full"));
    Map<String, Tensor> b = weights(crashed);
    a.forEach((k, v) -> assertArrayEquals(v.data(), b.get(k).data(), k));
  }

  @Test
  void initStartsFromAModelFileAndRefusesAWrongModelOrSplit() throws IOException {
    Trainer.Listener quiet = new Trainer.Listener() {};
    RunResult trained = new Trainer(config(dir.resolve("a"), 2, 0), quiet).run(false);
    Path best = dir.resolve("a/best.safetensors");
    // one epoch of 64 images at lr 1e-6 moves no weight far: from fresh weights the network stays
    // at chance, from the file it keeps the trained network's validation accuracy
    double bestVal =
        trained.history().stream().mapToDouble(EpochStats::valAccuracy).max().orElse(0);
    RunResult warm =
        new Trainer(config(dir.resolve("w"), 1, 0, 1e-6, 7, 64, best), quiet).run(false);
    RunResult cold =
        new Trainer(config(dir.resolve("c"), 1, 0, 1e-6, 7, 64, null), quiet).run(false);
    double warmVal = warm.history().get(0).valAccuracy();
    assertTrue(Math.abs(warmVal - bestVal) <= 0.01, warmVal + " vs " + bestVal);
    assertTrue(cold.history().get(0).valAccuracy() < 0.5, cold.toString());
    assertTrue(
        Files.readString(dir.resolve("w").resolve(Trainer.METRICS)).contains(best.toString()),
        "metrics.json records the init file");

    // another seed carves another validation split, which would hold images the file trained on
    IOException split =
        assertThrows(
            IOException.class,
            () -> new Trainer(config(dir.resolve("s"), 1, 0, 0.01, 8, 64, best), quiet).run(false));
    assertTrue(
        split.getMessage().contains(best.toString())
            && split.getMessage().contains("Use --seed 7 --val 500"),
        split.getMessage());

    Path other = dir.resolve("lenet300.safetensors");
    ModelFile.save(other, jcnn.models.Models.create("lenet300", 10, 1), "lenet300", 10, null);
    IOException model =
        assertThrows(
            IOException.class,
            () ->
                new Trainer(config(dir.resolve("m"), 1, 0, 0.01, 7, 64, other), quiet).run(false));
    assertTrue(
        model.getMessage().contains(other.toString())
            && model.getMessage().contains("holds lenet300 with 10 classes"),
        model.getMessage());
  }

  private static TrainConfig swaConfig(Path out, int epochs, int swaEpochs, int checkpointEvery) {
    return config(out, epochs, checkpointEvery, 0.02, 7, 1280, null, swaEpochs, 0.005);
  }

  @Test
  void weightAveragingAveragesTheLastEpochsAndSurvivesAResume() throws IOException {
    Trainer.Listener quiet = new Trainer.Listener() {};
    // three epochs, the last two averaged at lr 0.005; the first two epochs of that run are
    // exactly a two-epoch run whose last epoch is averaged (same rates, data order and dropout)
    RunResult three = new Trainer(swaConfig(dir.resolve("x"), 3, 2, 0), quiet).run(false);
    RunResult two = new Trainer(swaConfig(dir.resolve("y"), 2, 1, 0), quiet).run(false);
    assertEquals(0.02, three.history().get(0).lr(), 1e-12);
    assertEquals(0.005, three.history().get(1).lr(), 1e-12);
    assertEquals(0.005, three.history().get(2).lr(), 1e-12);
    Map<String, Tensor> after2 = weights(dir.resolve("y"));
    Map<String, Tensor> after3 = weights(dir.resolve("x"));
    Map<String, Tensor> avg = SafeTensors.read(dir.resolve("x").resolve(Trainer.SWA)).tensors();
    after3.forEach(
        (k, w3) -> {
          float[] w2 = after2.get(k).data();
          float[] a = avg.get(k).data();
          for (int i = 0; i < a.length; i++) {
            assertEquals((w2[i] + w3.data()[i]) / 2, a[i], 1e-6, k + "[" + i + "]");
          }
        });
    // one averaged epoch: the average is the last weights
    Map<String, Tensor> avg1 = SafeTensors.read(dir.resolve("y").resolve(Trainer.SWA)).tensors();
    after2.forEach((k, v) -> assertArrayEquals(v.data(), avg1.get(k).data(), k));
    assertEquals(two.lastTestAccuracy(), two.swaTestAccuracy(), 0);
    assertTrue(three.swaTestAccuracy() > 0.8, three.toString());
    JsonObject metrics =
        JsonParser.parseString(Files.readString(dir.resolve("x").resolve(Trainer.METRICS)))
            .getAsJsonObject();
    assertEquals(three.swaValAccuracy(), metrics.get("swa_val_accuracy").getAsDouble(), 0);
    assertEquals(2, metrics.getAsJsonObject("config").get("swa_epochs").getAsInt());

    // a crash in the third epoch, after one epoch was averaged, then --resume: the same average
    Path crashed = dir.resolve("z");
    Trainer.Listener crashInEpoch3 = crashAt(2, 12);
    assertThrows(
        IllegalStateException.class,
        () -> new Trainer(swaConfig(crashed, 3, 2, 5), crashInEpoch3).run(false));
    new Trainer(swaConfig(crashed, 3, 2, 5), quiet).run(true);
    Map<String, Tensor> resumed = SafeTensors.read(crashed.resolve(Trainer.SWA)).tensors();
    avg.forEach((k, v) -> assertArrayEquals(v.data(), resumed.get(k).data(), k));

    assertThrows(IllegalArgumentException.class, () -> swaConfig(dir, 2, 3, 0));
  }
}
