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
 * reproduce as a smoke run (one epoch on a 1,000-image slice) of han-lenet300: it trains,
 * compresses, prints our row beside the published one and checks the targets; unknown recipes are
 * one line. The real runs take minutes and are measured by hand (README).
 */
class ReproduceCommandTest {
  @TempDir Path dir;

  @Test
  void smokeRunPrintsBothRowsAndTheTargets() {
    Cli.Run r =
        Cli.run(
            "reproduce",
            "han-lenet300",
            "--epochs",
            "1",
            "--retrain-epochs",
            "1",
            "--limit",
            "1000",
            "--threads",
            "2",
            "--quiet",
            "--out",
            dir.toString(),
            "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("ours:") && r.out().contains("published:"), r.out());
    assertTrue(r.out().contains("target >= 40x on disk"), r.out());
    JsonObject j = JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
    assertEquals("han-lenet300", j.get("recipe").getAsString());
    assertEquals(3, j.getAsJsonArray("targets").size());
    assertEquals(0.94, j.get("pruned_fraction").getAsDouble(), 1e-3);
    assertTrue(j.has("published") && j.has("train"), j.toString());
    assertTrue(Files.exists(dir.resolve("model.jcz")));
    assertTrue(Files.exists(dir.resolve("train").resolve("best.safetensors")));
  }

  @Test
  void binaryRecipeSmokeRunWritesItsFileAndReport() throws Exception {
    Path out = dir.resolve("twn");
    Cli.Run r =
        Cli.run(
            "reproduce",
            "twn-lenet5",
            "--epochs",
            "1",
            "--limit",
            "500",
            "--threads",
            "2",
            "--quiet",
            "--out",
            out.toString(),
            "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("decoded bit-identical"), r.out());
    assertTrue(
        r.out().contains("from " + out.resolve("float").resolve("best.safetensors")),
        "fine-tuned from the float reference: " + r.out());
    JsonObject j = JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
    assertEquals("twn-lenet5", j.get("recipe").getAsString());
    JsonObject stage = j.getAsJsonArray("stages").get(0).getAsJsonObject();
    assertEquals("lenet5+ternary", stage.get("model").getAsString());
    assertEquals(2.0, stage.get("low_bit_bits_per_weight").getAsDouble(), 0.01);
    assertEquals(Files.size(out.resolve("ternary.jcz")), stage.get("jcz_bytes").getAsLong());
    String report = Files.readString(out.resolve("report.md"));
    assertTrue(report.contains("| lenet5+ternary | ternary | 2.00 |"), report);
    assertTrue(Files.exists(out.resolve("hist-ternary-3_weight.png")));

    // a reference of another network is one line
    Cli.Run bad =
        Cli.run(
            "reproduce",
            "ttq-resnet20",
            "--reference",
            out.resolve("float").resolve("best.safetensors").toString(),
            "--out",
            dir.resolve("bad").toString());
    assertEquals(2, bad.exitCode(), bad.err());
    assertEquals(1, bad.errLines().size(), bad.err());
    assertTrue(bad.err().contains("holds lenet5; ttq-resnet20 needs resnet20"), bad.err());
  }

  @Test
  void unknownRecipeIsOneLine() {
    Cli.Run r = Cli.run("reproduce", "alexnet");
    assertEquals(2, r.exitCode());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.errLines().get(0).contains("unknown recipe 'alexnet'"), r.err());
  }

  @Test
  void compactCifarRefusesUnknownNetworksAndModelsElsewhere() {
    Cli.Run r = Cli.run("reproduce", "compact-cifar", "--models", "sepnet,alexnet");
    assertEquals(2, r.exitCode());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.errLines().get(0).contains("--models: 'alexnet'"), r.err());
    Cli.Run other = Cli.run("reproduce", "han-lenet5", "--models", "sepnet");
    assertEquals(2, other.exitCode());
    assertTrue(other.errLines().get(0).contains("--models is for compact-cifar only"), other.err());
  }
}
