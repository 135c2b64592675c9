package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import jcnn.backend.cuda.Cuda;
import org.junit.jupiter.api.Test;

/** {@code jcnn info}: the JSON line parses and carries what a bug report needs. */
class InfoCommandTest {
  @Test
  void jsonIsTheLastLineAndParses() {
    Cli.Run r = Cli.run("info", "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonObject o = JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
    assertEquals(System.getProperty("java.version"), o.get("java_version").getAsString());
    assertEquals(Runtime.getRuntime().availableProcessors(), o.get("processors").getAsInt());
    int lanes = o.get("float_lanes").getAsInt();
    assertEquals(lanes * 32, o.get("vector_bits").getAsInt());
    assertTrue(o.get("max_heap_mb").getAsLong() > 0);
    JsonObject cuda = o.getAsJsonObject("cuda");
    Cuda.Info info = Cuda.probe();
    assertEquals(info.available(), cuda.get("available").getAsBoolean());
    assertEquals(info.devices().size(), cuda.getAsJsonArray("devices").size());
    assertEquals(info.ptx(), cuda.get("ptx_in_build").getAsBoolean());
    assertTrue(cuda.has("cublas"));
    if (!info.available()) {
      assertFalse(cuda.get("reason").getAsString().isBlank());
    } else {
      JsonObject d = cuda.getAsJsonArray("devices").get(0).getAsJsonObject();
      assertTrue(d.get("compute_capability").getAsString().matches("\\d+\\.\\d+"), d.toString());
      assertTrue(d.get("memory_mb").getAsLong() > 0, d.toString());
    }
  }

  @Test
  void tableNamesEachField() {
    Cli.Run r = Cli.run("info");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("vector species"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("cuda ")), r.out());
  }
}
