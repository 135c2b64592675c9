package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import jcnn.data.DataPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that runs a model file takes the dataset from the file (issue 24): a model trained
 * on fashion-mnist is evaluated on fashion-mnist without {@code --dataset}, and its accuracy is the
 * training run's. The "fashion-mnist" here is the shipped MNIST with every label moved on by 3
 * (label -> (label + 3) mod 10) in a folder given by {@code --data-dir}, so the test needs no
 * download and cannot pass by accident: a model trained on it scores near 0 on real MNIST, whose
 * labels it has learnt to shift. The real Fashion-MNIST runs the same code path (only the files
 * differ).
 */
class EvalDatasetTest {
  private static final int SHIFT = 3;

  @TempDir static Path dir;
  private static Path data;
  private static Path model;
  private static JsonObject trained;

  @BeforeAll
  static void trainOnShiftedLabels() throws IOException {
    data = dir.resolve("data");
    Path mnist =
        DataPaths.standard(null).find("MNIST", "mnist", List.of("train-images-idx3-ubyte.gz"));
    Path fashion = Files.createDirectories(data.resolve("fashion-mnist"));
    for (String part : new String[] {"train", "t10k"}) {
      Files.copy(
          mnist.resolve(part + "-images-idx3-ubyte.gz"),
          fashion.resolve(part + "-images-idx3-ubyte.gz"));
      shiftLabels(
          mnist.resolve(part + "-labels-idx1-ubyte.gz"),
          fashion.resolve(part + "-labels-idx1-ubyte.gz"));
    }
    Path run = dir.resolve("run");
    Cli.Run t =
        Cli.run(
            "train",
            "--model",
            "lenet5",
            "--dataset",
            "fashion-mnist",
            "--data-dir",
            data.toString(),
            "--epochs",
            "1",
            "--batch",
            "32",
            "--limit",
            "1600",
            "--val",
            "500",
            "--threads",
            "2",
            "--quiet",
            "--out",
            run.toString(),
            "--json");
    assertEquals(0, t.exitCode(), t.err());
    trained = JsonParser.parseString(t.lastOutLine()).getAsJsonObject();
    model = run.resolve("best.safetensors");
  }

  /** Copies an IDX label file (gzip), replacing every label l by (l + SHIFT) mod 10. */
  private static void shiftLabels(Path from, Path to) throws IOException {
    byte[] b;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(from))) {
      b = in.readAllBytes();
    }
    for (int i = 8; i < b.length; i++) { // 8 header bytes: magic 2049, count
      b[i] = (byte) ((b[i] + SHIFT) % 10);
    }
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
      out.write(b);
    }
  }

  private static JsonObject evalJson(Cli.Run r) {
    assertEquals(0, r.exitCode(), r.err());
    return JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
  }

  @Test
  void evalWithoutDatasetUsesTheFilesDatasetAndGivesTheTrainingRunsAccuracy() {
    double accuracy = trained.get("test_accuracy").getAsDouble();
    assertTrue(accuracy > 0.8, "the model did not learn: " + trained);
    JsonObject j =
        evalJson(
            Cli.run(
                "eval",
                "--model-file",
                model.toString(),
                "--data-dir",
                data.toString(),
                "--threads",
                "2",
                "--json"));
    assertEquals("fashion-mnist", j.get("dataset").getAsString());
    assertEquals("file", j.get("dataset_source").getAsString());
    assertEquals(accuracy, j.get("test_accuracy").getAsDouble(), 1e-9);
  }

  @Test
  void aDatasetOfTheSameShapeRunsWithAWarning() {
    Cli.Run r =
        Cli.run(
            "eval",
            "--model-file",
            model.toString(),
            "--dataset",
            "mnist",
            "--threads",
            "2",
            "--json");
    JsonObject j = evalJson(r);
    assertEquals("mnist", j.get("dataset").getAsString());
    assertEquals("option", j.get("dataset_source").getAsString());
    assertTrue(
        r.err().startsWith("jcnn: warning: ")
            && r.err().contains("fashion-mnist")
            && r.err().contains("--dataset mnist"),
        r.err());
    // the labels are shifted: on real MNIST this model is (nearly) always wrong
    assertTrue(j.get("test_accuracy").getAsDouble() < 0.2, j.toString());
  }

  @Test
  void aDatasetOfAnotherShapeIsOneLine() {
    Cli.Run r =
        Cli.run("eval", "--model-file", model.toString(), "--dataset", "cifar10", "--threads", "2");
    Cli.assertOneLineError(r, "--dataset cifar10 does not fit this model file");
    assertEquals(Main.EXIT_USAGE, r.exitCode());
    assertTrue(r.err().contains("1x28x28") && r.err().contains("3x32x32"), r.err());
  }

  @Test
  void averageAndInitTakeTheFilesDataset() {
    Cli.Run a =
        Cli.run(
            "average",
            "--model-file",
            model.toString(),
            "--data-dir",
            data.toString(),
            "--threads",
            "2",
            "--out",
            dir.resolve("avg.safetensors").toString(),
            "--json");
    JsonObject aj = evalJson(a);
    assertEquals("fashion-mnist", aj.get("dataset").getAsString());
    Cli.Run t =
        Cli.run(
            "train",
            "--model",
            "lenet5",
            "--init",
            model.toString(),
            "--data-dir",
            data.toString(),
            "--epochs",
            "1",
            "--limit",
            "320",
            "--val",
            "500",
            "--threads",
            "2",
            "--quiet",
            "--out",
            dir.resolve("init").toString(),
            "--json");
    JsonObject tj = evalJson(t);
    assertEquals("fashion-mnist", tj.get("dataset").getAsString());
  }
}
