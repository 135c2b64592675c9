package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jcnn.bench.ConvShapes;
import org.junit.jupiter.api.Test;

/**
 * The PyTorch peer: the arguments jcnn passes, how its output is read, and that a missing peer is a
 * result rather than an error. One real run of the script where {@code /usr/bin/python3} exists (a
 * tiny matrix, well under a second of timing).
 */
class PeerTest {
  private static BenchOptions opts(int threads) {
    BenchOptions o = new BenchOptions();
    o.threads = threads;
    o.warmup = 1;
    o.iterations = 2;
    o.seconds = 0.05;
    return o;
  }

  @Test
  void convArgumentsSpellOutEveryDimension() {
    List<String> a = Peer.convArgs(ConvShapes.get("resnet20.down2"), 1.5e9, opts(2));
    String joined = String.join(" ", a);
    assertEquals(
        "conv --n 128 --c 16 --k 32 --h 32 --w 32 --r 3 --s 3 --stride 2 --pad 1 --groups 1"
            + " --threads 2 --warmup 1 --iterations 2 --time 0.05 --flops 1500000000",
        joined);
    assertEquals(
        "sgemm --size 64 --threads 1",
        String.join(" ", Peer.sgemmArgs(64, 524288, opts(1)).subList(0, 5)));
  }

  @Test
  void outputIsReadFromTheLastJsonLine() {
    List<String> lines =
        List.of(
            "UserWarning: something noisy",
            "{\"name\":\"pytorch\",\"version\":\"1.13\",\"ms_per_op\":2.5,\"gflops\":3.0}",
            "");
    JsonObject o = Peer.parseOutput(lines, 0);
    assertEquals(2.5, o.get("ms_per_op").getAsDouble());
  }

  @Test
  void theBestOfTwoBlasThreadCountsKeepsEachCasesLowerTime() {
    JsonObject many =
        Peer.parseOutput(
            List.of("{\"available\":true,\"cases\":{\"a\":2.0,\"b\":1.0,\"c\":null}}"), 0);
    JsonObject one =
        Peer.parseOutput(
            List.of("{\"available\":true,\"cases\":{\"a\":0.5,\"b\":3.0,\"c\":4.0}}"), 0);
    JsonObject best = Peer.best(many, 2, one);
    JsonObject cases = best.getAsJsonObject("cases");
    assertEquals(0.5, cases.get("a").getAsDouble());
    assertEquals(1.0, cases.get("b").getAsDouble());
    assertEquals(4.0, cases.get("c").getAsDouble(), "a case only one run timed");
    JsonObject neither =
        Peer.best(
            Peer.parseOutput(List.of("{\"available\":true,\"cases\":{\"d\":null}}"), 0),
            2,
            Peer.parseOutput(List.of("{\"available\":true,\"cases\":{}}"), 0));
    assertTrue(neither.getAsJsonObject("cases").get("d").isJsonNull(), "no time is made up");
    JsonObject blas = best.getAsJsonObject("blas_threads");
    assertEquals(1, blas.get("a").getAsInt());
    assertEquals(2, blas.get("b").getAsInt());
    JsonObject down = Peer.parseOutput(List.of("Traceback"), 1);
    assertEquals(one, Peer.best(down, 2, one), "one run failed: the other stands");
    assertEquals(many, Peer.best(many, 2, down));
  }

  @Test
  void aCrashBecomesAnUnavailableEntryWithTheLastLine() {
    List<String> lines = List.of("Traceback (most recent call last):", "  ...", "KeyError: 'x'");
    JsonObject o = Peer.parseOutput(lines, 1);
    assertFalse(o.get("available").getAsBoolean());
    assertEquals("peer exited with code 1: KeyError: 'x'", o.get("reason").getAsString());
    assertEquals(
        "peer exited with code 1: {not json",
        Peer.parseOutput(List.of("{not json"), 1).get("reason").getAsString());
  }

  @Test
  void aMissingScriptIsReportedNotThrown(@org.junit.jupiter.api.io.TempDir Path empty) {
    JsonObject o = Peer.run(empty, List.of("sgemm"), 1);
    assertFalse(o.get("available").getAsBoolean());
    assertTrue(o.get("reason").getAsString().startsWith("peer script not found"), o.toString());
  }

  @Test
  void theScriptRunsOrSaysWhyNot() {
    assumeTrue(Files.isExecutable(Path.of(Peer.PYTHON)), "no " + Peer.PYTHON);
    Path home = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    JsonObject o = Peer.run(home, Peer.sgemmArgs(32, 65536, opts(1)), 1);
    if (o.get("available").getAsBoolean()) {
      assertEquals("pytorch", o.get("name").getAsString());
      double ms = o.get("ms_per_op").getAsDouble();
      assertTrue(ms > 0, o.toString());
      assertEquals(65536 / (ms * 1e6), o.get("gflops").getAsDouble(), 1e-9);
    } else {
      assertTrue(o.get("reason").getAsString().startsWith("import torch failed"), o.toString());
    }
  }
}
