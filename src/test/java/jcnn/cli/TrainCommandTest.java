package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import jcnn.nn.io.SafeTensors;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train, eval and inspect end to end on a slice of the shipped MNIST; a run killed with SIGKILL
 * resumes from its checkpoint to the weights of an uninterrupted run; bad files give one line.
 */
class TrainCommandTest {
  @TempDir Path dir;

  private static String[] train(Path out, String... extra) {
    return train(out, 2, 1600, extra);
  }

  private static String[] train(Path out, int epochs, int limit, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "train",
                "--model",
                "lenet5",
                "--epochs",
                "" + epochs,
                "--batch",
                "32",
                "--limit",
                "" + limit,
                "--val",
                "500",
                "--threads",
                "2",
                "--quiet",
                "--out",
                out.toString()));
    a.addAll(Arrays.asList(extra));
    return a.toArray(new String[0]);
  }

  @Test
  void trainEvalInspect() {
    Path out = dir.resolve("run");
    Cli.Run t = Cli.run(train(out, "--json"));
    assertEquals(0, t.exitCode(), t.err());
    JsonObject j = JsonParser.parseString(t.lastOutLine()).getAsJsonObject();
    for (String k :
        new String[] {
          "test_accuracy", "val_accuracy", "images_per_second", "epochs", "seconds", "params"
        }) {
      assertTrue(j.has(k), k + " missing in " + j);
    }
    assertEquals(431080, j.get("params").getAsLong());
    assertTrue(j.get("test_accuracy").getAsDouble() > 0.85, j.toString());

    Cli.Run e =
        Cli.run("eval", "--model-file", out.resolve("best.safetensors").toString(), "--json");
    assertEquals(0, e.exitCode(), e.err());
    JsonObject ej = JsonParser.parseString(e.lastOutLine()).getAsJsonObject();
    assertEquals(j.get("test_accuracy").getAsDouble(), ej.get("test_accuracy").getAsDouble(), 1e-9);
    assertEquals(10000, ej.get("images").getAsInt());

    Cli.Run i = Cli.run("inspect", out.resolve("model.safetensors").toString(), "--json");
    assertEquals(0, i.exitCode(), i.err());
    assertTrue(i.out().contains("3.weight") && i.out().contains("[50, 20, 5, 5]"), i.out());
    JsonObject ij = JsonParser.parseString(i.lastOutLine()).getAsJsonObject();
    assertEquals(431080, ij.get("values").getAsLong());
  }

  @Test
  void modelFileWithAWrongShapeIsOneLine() throws IOException {
    Path out = dir.resolve("run");
    assertEquals(0, Cli.run(train(out, 1, 64)).exitCode());
    Map<String, Tensor> t = SafeTensors.read(out.resolve("model.safetensors")).tensors();
    t.put("3.weight", Tensor.zeros(50, 20, 3, 3));
    Path bad = dir.resolve("bad.safetensors");
    SafeTensors.write(bad, t, SafeTensors.read(out.resolve("model.safetensors")).metadata());
    Cli.Run e = Cli.run("eval", "--model-file", bad.toString());
    assertNotEquals(0, e.exitCode());
    assertEquals(1, e.errLines().size(), e.err());
    assertTrue(
        e.err().contains("3.weight")
            && e.err().contains("[50, 20, 5, 5]")
            && e.err().contains("[50, 20, 3, 3]"),
        e.err());
  }

  @Test
  void badWeightAveragingSettingsAreOneLine() {
    Path out = dir.resolve("swa");
    Cli.assertOneLineError(Cli.run(train(out, "--swa-epochs", "1")), "--swa-epochs needs --swa-lr");
    Cli.assertOneLineError(
        Cli.run(train(out, "--swa-epochs", "3", "--swa-lr", "0.01")), "swa-epochs must be in 0..2");
  }

  @Test
  void badWidthsAreOneLineAndWriteNothing() {
    Path out = dir.resolve("width");
    Cli.assertOneLineError(
        Cli.run(train(out, "--width", "0.5")), "--width is for the compact networks");
    Cli.assertOneLineError(
        Cli.run("train", "--model", "sepnet", "--width", "0.3", "--out", out.toString()),
        "--width 0.3 gives stage 1 19 channels, not divisible by its 4 groups");
    Cli.assertOneLineError(
        Cli.run("train", "--model", "mobilenet1", "--width", "0", "--out", out.toString()),
        "--width must be in (0, 4]");
    Cli.assertOneLineError(
        Cli.run("train", "--model", "squeezenet", "--width", "0.001", "--out", out.toString()),
        "with 0 channels");
    Cli.assertOneLineError(
        Cli.run("train", "--model", "squeezenet", "--resolution", "0.1", "--out", out.toString()),
        "--resolution 0.1 makes the 32x32 input 3x3: squeezenet takes at least 4x4");
    Cli.assertOneLineError(
        Cli.run(train(out, "--resolution", "0.5")), "--resolution is for the compact networks");
    Cli.assertOneLineError(
        Cli.run("train", "--model", "mobilenet2", "--resolution", "0", "--out", out.toString()),
        "--resolution must be in (0, 1]");
    assertTrue(!Files.exists(out), "nothing is written for a bad width or resolution");
  }

  @Test
  void binaryAndTernaryRunsTrainSaveAndEvaluate() {
    Path bin = dir.resolve("binary");
    Cli.Run t = Cli.run(train(bin, "--weights", "binary", "--json"));
    assertEquals(0, t.exitCode(), t.err());
    JsonObject j = JsonParser.parseString(t.lastOutLine()).getAsJsonObject();
    assertTrue(t.out().contains("training lenet5+binary on mnist"), t.out());
    // 1,600 images, 2 epochs: float lenet5 reaches ~0.9 here; binary weights learn too
    assertTrue(j.get("test_accuracy").getAsDouble() > 0.6, j.toString());
    Cli.Run e =
        Cli.run("eval", "--model-file", bin.resolve("best.safetensors").toString(), "--json");
    assertEquals(0, e.exitCode(), e.err());
    assertEquals(
        j.get("test_accuracy").getAsDouble(),
        JsonParser.parseString(e.lastOutLine())
            .getAsJsonObject()
            .get("test_accuracy")
            .getAsDouble(),
        1e-9);

    // fine-tune the float model into TTQ: the file holds lenet5, the run lenet5+ttq
    Path flt = dir.resolve("float");
    assertEquals(0, Cli.run(train(flt)).exitCode());
    Path ttq = dir.resolve("ttq");
    Cli.Run f =
        Cli.run(
            train(
                ttq,
                1,
                1600,
                "--weights",
                "ttq",
                "--init",
                flt.resolve("model.safetensors").toString(),
                "--lr",
                "0.0001",
                "--json"));
    assertEquals(0, f.exitCode(), f.err());
    assertTrue(
        JsonParser.parseString(f.lastOutLine()).getAsJsonObject().get("test_accuracy").getAsDouble()
            > 0.8,
        f.out());
  }

  @Test
  void badQuantizationSettingsAreOneLineAndWriteNothing() {
    Path out = dir.resolve("quant");
    Cli.assertOneLineError(
        Cli.run(train(out, "--weights", "quaternary")), "--weights must be one of float, binary");
    Cli.assertOneLineError(
        Cli.run(train(out, "--activations", "binary")),
        "--activations binary needs a batch norm before every activation (BNN); layer 1 (ReLU)");
    Cli.assertOneLineError(
        Cli.run(train(out, "--activations", "ternary")), "--activations must be float or binary");
    Cli.assertOneLineError(
        Cli.run(train(out, "--weights", "ttq", "--binary-scale", "none")),
        "--binary-scale none is for --weights binary or binary-stochastic, not ttq");
    Cli.assertOneLineError(
        Cli.run(train(out, "--binary-scale", "row")), "--binary-scale must be channel or none");
    assertTrue(!Files.exists(out), "nothing is written for bad quantization settings");
  }

  @Test
  void truncatedDatasetIsOneLine() throws IOException {
    Path data = dir.resolve("data/mnist");
    Files.createDirectories(data);
    Path shipped = Path.of("datasets/mnist");
    for (String f :
        new String[] {
          "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"
        }) {
      Files.copy(shipped.resolve(f), data.resolve(f));
    }
    byte[] images;
    try (var in =
        new GZIPInputStream(Files.newInputStream(shipped.resolve("train-images-idx3-ubyte.gz")))) {
      images = in.readNBytes(1_000_000);
    }
    Files.write(data.resolve("train-images-idx3-ubyte"), images);
    Cli.Run r = Cli.run(train(dir.resolve("run"), "--data-dir", dir.resolve("data").toString()));
    assertNotEquals(0, r.exitCode());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(
        r.err().contains("train-images-idx3-ubyte") && r.err().contains("truncated"), r.err());
  }

  @Test
  void sigkilledRunResumesToTheUninterruptedWeights() throws Exception {
    Path full = dir.resolve("full");
    assertEquals(0, Cli.run(train(full)).exitCode());

    Path killed = dir.resolve("killed");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "--add-modules",
            "jdk.incubator.vector",
            "-cp",
            System.getProperty("java.class.path"),
            "jcnn.cli.Main"));
    cmd.addAll(Arrays.asList(train(killed, "--checkpoint-every", "5")));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("log.txt").toFile())
            .start();
    Path ckpt = killed.resolve("checkpoint.safetensors");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(
        Files.exists(ckpt),
        "no checkpoint before the process ended: " + Files.readString(dir.resolve("log.txt")));
    p.destroyForcibly(); // SIGKILL
    p.waitFor();
    Path metrics = killed.resolve("metrics.json");
    assertTrue(
        !Files.exists(metrics) || Files.readString(metrics).contains("\"finished\": false"),
        "killed too late: the run had finished");

    Cli.Run r = Cli.run(train(killed, "--resume"));
    assertEquals(0, r.exitCode(), r.err());
    Map<String, Tensor> a = SafeTensors.read(full.resolve("model.safetensors")).tensors();
    Map<String, Tensor> b = SafeTensors.read(killed.resolve("model.safetensors")).tensors();
    a.forEach((k, v) -> assertArrayEquals(v.data(), b.get(k).data(), k));
  }
}
