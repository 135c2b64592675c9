package jcnn.cli;

import static jcnn.cli.Cli.assertOneLineError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jcnn.models.Models;
import jcnn.tensor.Tensor;
import jcnn.train.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jcnn average} end to end on two snapshots of one LeNet-300-100 run on a slice of the
 * shipped MNIST (one epoch, then one more from it with {@code --init}): the written file holds the
 * mean of the two, every input and the average are measured, and files of another network or
 * another validation split are refused in one line.
 */
class AverageCommandTest {
  @TempDir static Path dir;
  private static Path a;
  private static Path b;

  @BeforeAll
  static void twoSnapshots() {
    a = train("a", null, "3").resolve("model.safetensors");
    b = train("b", a, "3").resolve("model.safetensors");
  }

  private static Path train(String name, Path init, String seed) {
    Path out = dir.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--model",
                "lenet300",
                "--epochs",
                "1",
                "--limit",
                "1500",
                "--val",
                "500",
                "--seed",
                seed,
                "--threads",
                "2",
                "--quiet",
                "--out",
                out.toString()));
    if (init != null) {
      args.addAll(List.of("--init", init.toString(), "--lr", "0.01"));
    }
    Cli.Run t = Cli.run(args.toArray(new String[0]));
    assertEquals(0, t.exitCode(), t.err());
    return out;
  }

  @Test
  void writesTheMeanAndMeasuresEveryInput() throws IOException {
    Path avg = dir.resolve("avg.safetensors");
    Cli.Run r =
        Cli.run(
            "average",
            "--model-file",
            a.toString(),
            "--model-file",
            b.toString(),
            "--out",
            avg.toString(),
            "--threads",
            "2",
            "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonObject j = JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
    assertEquals(2, j.getAsJsonArray("inputs").size());
    assertEquals(0, j.get("bn_images").getAsInt()); // lenet300 has no batch norm
    assertTrue(j.get("val_accuracy").getAsDouble() > 0.5, j.toString());
    assertTrue(j.get("test_accuracy").getAsDouble() > 0.5, j.toString());

    Tensor wa = ModelFile.load(a).model().stateDict().get("1.weight");
    Tensor wb = ModelFile.load(b).model().stateDict().get("1.weight");
    ModelFile.Loaded m = ModelFile.load(avg);
    Tensor w = m.model().stateDict().get("1.weight");
    for (int i = 0; i < w.numel(); i += 997) {
      float want = (float) (((double) wa.dataForRead()[i] + wb.dataForRead()[i]) / 2);
      assertEquals(want, w.dataForRead()[i], "1.weight[" + i + "]");
    }
    // the first file's config travels, so --init and compress find the same validation split
    assertEquals(ModelFile.load(a).metadata().get("jcnn.config"), m.metadata().get("jcnn.config"));
  }

  @Test
  void otherNetworksSplitsAndTooFewFilesAreOneLine() throws IOException {
    Path other = dir.resolve("lenet5.safetensors");
    ModelFile.save(other, Models.create("lenet5", 10, 1), "lenet5", 10, null);
    Path out = dir.resolve("bad.safetensors");
    assertOneLineError(
        Cli.run(
            "average",
            "--model-file",
            a.toString(),
            "--model-file",
            other.toString(),
            "--out",
            out.toString()),
        "lenet5.safetensors: holds lenet5");
    Path seed4 = train("c", null, "4").resolve("model.safetensors");
    assertOneLineError(
        Cli.run(
            "average",
            "--model-file",
            a.toString(),
            "--model-file",
            seed4.toString(),
            "--out",
            out.toString()),
        "--seed 4 --val 500");
    assertOneLineError(
        Cli.run(
            "average", "--model-file", a.toString(), "--bn-images", "0", "--out", out.toString()),
        "would only copy it");
    assertTrue(Files.notExists(out));
  }

  @Test
  void oneFileIsMeasuredAndWrittenWithItsWeightsUnchanged() throws IOException {
    // lenet300 has no batch norm, so nothing is recomputed (WeightAveragingTest covers that part)
    Path out = dir.resolve("one.safetensors");
    Cli.Run r = Cli.run("average", "--model-file", a.toString(), "--out", out.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    Map<String, Tensor> before = ModelFile.load(a).model().stateDict();
    Map<String, Tensor> after = ModelFile.load(out).model().stateDict();
    assertEquals(before.keySet(), after.keySet());
    for (String k : before.keySet()) {
      assertArrayEquals(before.get(k).dataForRead(), after.get(k).dataForRead(), k);
    }
    String[] lines = r.out().strip().split("\n");
    JsonObject j = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
    JsonObject in = j.getAsJsonArray("inputs").get(0).getAsJsonObject();
    assertEquals(in.get("test_accuracy").getAsDouble(), j.get("test_accuracy").getAsDouble());
  }
}
