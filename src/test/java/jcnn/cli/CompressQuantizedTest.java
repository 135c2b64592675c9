package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A binary and a ternary LeNet-5, trained briefly on a slice of the shipped MNIST, through {@code
 * jcnn compress}: the low-bit layers are left out of pruning and k-means and stored at 1 or 2 bits,
 * the file decodes bit for bit, {@code inspect} shows the bits per weight, and {@code eval} of the
 * file measures what the trained model measured. The binary file is at most 1/25 of the float32
 * bytes (issue 18).
 */
class CompressQuantizedTest {
  @TempDir Path dir;

  private Path train(String weights) {
    Path run = dir.resolve(weights);
    Cli.Run t =
        Cli.run(
            "train",
            "--model",
            "lenet5",
            "--weights",
            weights,
            "--epochs",
            "1",
            "--limit",
            "1600",
            "--batch",
            "32",
            "--val",
            "500",
            "--threads",
            "2",
            "--quiet",
            "--out",
            run.toString());
    assertEquals(0, t.exitCode(), t.err());
    return run.resolve("model.safetensors");
  }

  private JsonObject compress(Path model, Path out) {
    Cli.Run c =
        Cli.run(
            "compress",
            "--model-file",
            model.toString(),
            "--target",
            "0.5",
            "--retrain-epochs",
            "1",
            "--finetune-epochs",
            "1",
            "--limit",
            "500",
            "--curve",
            "none",
            "--threads",
            "2",
            "--quiet",
            "--out",
            out.toString(),
            "--json");
    assertEquals(0, c.exitCode(), c.err());
    assertTrue(
        c.out().contains("binary/ternary layers, stored at 1 or 2 bits and left out of pruning"),
        c.out());
    assertTrue(c.out().contains("decoded bit-identical"), c.out());
    return JsonParser.parseString(c.lastOutLine()).getAsJsonObject();
  }

  @Test
  void binaryLenet5IsAtMostATwentyFifthOfItsFloatBytes() throws Exception {
    Path out = dir.resolve("binary-jcz");
    compress(train("binary"), out);
    Path jcz = out.resolve("model.jcz");
    long bytes = Files.size(jcz);
    assertTrue(bytes * 25 <= 4L * 431_080, bytes + " bytes");

    Cli.Run i = Cli.run("inspect", jcz.toString(), "--json");
    assertEquals(0, i.exitCode(), i.err());
    assertTrue(i.out().contains(".jcz format version 2"), i.out());
    assertTrue(
        i.out().matches("(?s).*7\\.weight +BINARY +\\[500, 800\\] .* 1\\.0\\d\\n.*"), i.out());
    JsonObject j = JsonParser.parseString(i.lastOutLine()).getAsJsonObject();
    assertEquals("lenet5", j.get("model").getAsString());
    assertEquals(bytes, j.get("file_bytes").getAsLong());
  }

  @Test
  void ternaryLenet5KeepsItsAccuracyThroughTheFile() throws Exception {
    Path out = dir.resolve("ttq-jcz");
    JsonObject r = compress(train("ttq"), out);
    Cli.Run e = Cli.run("eval", "--model-file", out.resolve("model.jcz").toString(), "--json");
    assertEquals(0, e.exitCode(), e.err());
    double fromFile =
        JsonParser.parseString(e.lastOutLine())
            .getAsJsonObject()
            .get("test_accuracy")
            .getAsDouble();
    assertTrue(fromFile > 0.8, e.out());
    double measured =
        r.getAsJsonObject("accuracy").getAsJsonObject("from_file").get("test").getAsDouble();
    assertEquals(measured, fromFile, 1e-9, "eval of the file measures what compress measured");
    Cli.Run i = Cli.run("inspect", out.resolve("model.jcz").toString());
    assertTrue(i.out().matches("(?s).*3\\.weight +TERNARY .*7\\.weight +TERNARY .*"), i.out());
  }
}
