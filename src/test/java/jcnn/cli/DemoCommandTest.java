package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a short run (one epoch on a 2,000-image slice): train, prune, share, code, evaluate
 * from the file, report. It evaluates LeNet-5 on the full validation and test sets several times
 * (about a minute on two cores), so it runs only with JCNN_SLOW_TESTS=1.
 */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void shortDemoWritesTheFileAndTheReport() {
    assumeTrue("1".equals(System.getenv("JCNN_SLOW_TESTS")), "set JCNN_SLOW_TESTS=1");
    Cli.Run r =
        Cli.run(
            "demo",
            "--epochs",
            "1",
            "--limit",
            "2000",
            "--threads",
            "2",
            "--quiet",
            "--out",
            dir.toString(),
            "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonObject j = JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
    assertEquals(0.95, j.get("pruned_fraction").getAsDouble(), 1e-6);
    assertTrue(j.get("bit_identical").getAsBoolean());
    assertTrue(j.has("train") && j.has("total_seconds") && j.has("published"), j.toString());
    for (String f :
        new String[] {
          "model.jcz", "report.md", "pruning-curve.png", "hist-7_weight.png", "best.safetensors"
        }) {
      assertTrue(Files.exists(dir.resolve(f)), f);
    }
    assertTrue(r.out().contains("next: ./jcnn eval --model-file"), r.out());
  }
}
