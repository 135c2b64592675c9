package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import jcnn.bench.ConvShapes;
import jcnn.bench.ConvShapes.ConvShape;
import jcnn.bench.SgemmBenchmark;
import org.junit.jupiter.api.Test;

/** GFLOP/s arithmetic and the JSON/table of {@code jcnn bench}, with made-up timings. */
class BenchReportTest {
  @Test
  void gflopsIsFlopsPerNanosecond() {
    // 2 * 1024^3 FLOP in 10 ms = 2.147483648e9 / 1e7 ns = 214.75 GFLOP/s.
    assertEquals(214.7483648, BenchReport.gflops(SgemmBenchmark.flops(1024), 10.0), 1e-9);
    assertEquals(1.0, BenchReport.gflops(1e6, 1.0), 0);
    assertThrows(IllegalArgumentException.class, () -> BenchReport.gflops(1e6, 0));
    assertThrows(IllegalArgumentException.class, () -> BenchReport.gflops(1e6, Double.NaN));
  }

  @Test
  void sgemmJsonHasTheDocumentedFields() {
    JmhRun.Measurement m = new JmhRun.Measurement(20.0, 0.5);
    JsonObject o = BenchReport.sgemm(1024, 2, SgemmBenchmark.flops(1024), m, null);
    JsonObject back = JsonParser.parseString(Json.line(o)).getAsJsonObject();
    assertEquals("sgemm", back.get("benchmark").getAsString());
    assertEquals(1024, back.get("size").getAsInt());
    assertEquals(2, back.get("threads").getAsInt());
    assertEquals(20.0, back.get("ms_per_op").getAsDouble());
    assertEquals(0.5, back.get("ms_error").getAsDouble());
    assertEquals(107.3741824, back.get("gflops").getAsDouble(), 1e-9);
    assertTrue(!back.has("peer"), "no peer entry without --peer");
    assertTrue(!Json.line(o).contains("\n"), "the JSON must be one line");
  }

  @Test
  void convJsonSpellsOutTheShapeAndUsesTrainingFlops() {
    ConvShape s = ConvShapes.get("lenet5.conv2");
    JmhRun.Measurement m = new JmhRun.Measurement(4.0, Double.NaN);
    JsonObject peer = Json.unavailable("import torch failed: No module named 'torch'");
    JsonObject o = BenchReport.conv(s, 2, s.trainingFlops(), m, peer);
    JsonObject back = JsonParser.parseString(Json.line(o)).getAsJsonObject();
    assertEquals("lenet5.conv2", back.get("shape").getAsString());
    int[] want = {64, 20, 50, 12, 12, 5, 5};
    String[] keys = {"n", "c", "k", "h", "w", "r", "s"};
    for (int i = 0; i < keys.length; i++) {
      assertEquals(want[i], back.get(keys[i]).getAsInt(), keys[i]);
    }
    // 3 passes * 2 * N K P Q C R S = 3 * 2 * 64 * 50 * 8 * 8 * 20 * 5 * 5 FLOP in 4 ms.
    double flops = 3.0 * 2 * 64 * 50 * 8 * 8 * 20 * 5 * 5;
    assertEquals(flops / 4e6, back.get("gflops").getAsDouble(), 1e-9);
    assertTrue(back.get("ms_error").isJsonNull(), "NaN error is written as null");
    assertTrue(!back.getAsJsonObject("peer").get("available").getAsBoolean());
  }

  @Test
  void convBytesAreThreePassesOfXYAndW() {
    ConvShape s = ConvShapes.get("mobilenet2.dw-s2");
    // x [128, 144, 32, 32], y [128, 144, 16, 16], w [144, 1, 3, 3]: 3 * (x + y + w) floats.
    double bytes = 4.0 * 3 * (128.0 * 144 * 32 * 32 + 128.0 * 144 * 16 * 16 + 144 * 9);
    assertEquals(bytes, s.trainingBytes(), 0);
    JsonObject peer = new JsonObject();
    peer.addProperty("name", "pytorch");
    peer.addProperty("version", "1.13.0");
    peer.addProperty("ms_per_op", 20.0);
    peer.addProperty("gflops", 1.0);
    JsonObject o =
        BenchReport.conv(s, 2, s.trainingFlops(), new JmhRun.Measurement(10.0, 0.1), peer);
    assertEquals(bytes / 10e6, o.get("gbps").getAsDouble(), 1e-9);
    assertEquals(bytes / 20e6, o.getAsJsonObject("peer").get("gbps").getAsDouble(), 1e-9);
    String t = BenchReport.table(o);
    assertTrue(t.contains("GB/s"), t);
    assertTrue(t.contains(String.format(java.util.Locale.ROOT, "%8.2f", bytes / 10e6)), t);
  }

  @Test
  void tableShowsBothImplementations() {
    JsonObject peer = new JsonObject();
    peer.addProperty("name", "pytorch");
    peer.addProperty("version", "1.13.0");
    peer.addProperty("ms_per_op", 10.0);
    peer.addProperty("gflops", 214.75);
    JmhRun.Measurement m = new JmhRun.Measurement(20.0, 0.25);
    String t = BenchReport.table(BenchReport.sgemm(1024, 2, SgemmBenchmark.flops(1024), m, peer));
    assertTrue(t.startsWith("sgemm 1024 x 1024 x 1024, threads 2\n"), t);
    assertTrue(t.contains("20.0000 +- 0.2500"), t);
    assertTrue(t.contains("107.37"), t);
    assertTrue(t.contains("pytorch 1.13.0") && t.contains("214.75"), t);

    JsonObject none = Json.unavailable("no torch");
    String c = BenchReport.table(BenchReport.conv(ConvShapes.get("mobilenet.dw"), 1, 1e9, m, none));
    assertTrue(c.contains("w [64, 1, 3, 3]"), "depthwise weight is [K, C/groups, R, S]: " + c);
    assertTrue(c.contains("not available (no torch)"), c);
  }
}
