package jcnn.compress.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.List;
import jcnn.compress.pipeline.CompactCifar.Road;
import jcnn.compress.pipeline.CompactCifar.Row;
import jcnn.models.Models;
import org.junit.jupiter.api.Test;

/** The compact-cifar table: its networks, the one-point rule, the answer and the targets. */
class CompactCifarTest {
  private static Row row(String model, Road road, long floatBytes, double f, long jcz, double q) {
    return new Row(model, road, floatBytes / 4, 1000, 30, floatBytes, f, jcz, q, 0.7);
  }

  @Test
  void theTableHoldsTheFourCompactNetworksAndTwoCompressedOnes() {
    List<String> compact =
        CompactCifar.ENTRIES.stream()
            .filter(e -> e.road() == Road.COMPACT)
            .map(CompactCifar.Entry::model)
            .toList();
    assertEquals(List.of("squeezenet", "mobilenet1", "mobilenet2", "sepnet"), compact);
    for (CompactCifar.Entry e : CompactCifar.ENTRIES) {
      assertEquals("cifar10", e.train().dataset());
      assertTrue(e.train().augment(), e.model());
      Models.spec(e.model()); // a model jcnn knows
    }
    assertEquals("resnet20", CompactCifar.entry("resnet20").model());
    IllegalArgumentException x =
        assertThrows(IllegalArgumentException.class, () -> CompactCifar.entry("alexnet"));
    assertTrue(x.getMessage().startsWith("--models: 'alexnet'"), x.getMessage());
    CompactCifar.compression().validate();
  }

  @Test
  void smallestFileWithinOnePointIgnoresModelsThatLostMore() {
    List<Row> rows =
        List.of(
            row("squeezenet", Road.COMPACT, 3_000_000, 0.87, 250_000, 0.865),
            row("mobilenet2", Road.COMPACT, 9_000_000, 0.90, 100_000, 0.85), // -5 points
            row("cifar-tz", Road.COMPRESSED, 3_500_000, 0.90, 200_000, 0.8901)); // -0.99
    assertEquals("cifar-tz", CompactCifar.smallestWithinOnePoint(rows).orElseThrow().model());
    assertFalse(rows.get(1).withinOnePoint());
    assertTrue(row("a", Road.COMPACT, 4, 0.90, 1, 0.89).withinOnePoint()); // exactly one point
    String md = CompactCifar.markdown(rows);
    assertTrue(md.contains("| mobilenet2 | designed small |"), md);
    assertTrue(md.contains("90.0x (more than 1 point lost)"), md);
    assertTrue(md.contains("Smallest file within 1 point of its float model: cifar-tz"), md);
    assertTrue(
        CompactCifar.markdown(List.of(rows.get(1))).contains("No compressed model stayed"), md);
  }

  @Test
  void squeezenetTargetNeedsTenTimesAndOnePoint() {
    Row met = row("squeezenet", Road.COMPACT, 3_000_000, 0.87, 300_000, 0.862);
    Row small = row("squeezenet", Road.COMPACT, 3_000_000, 0.87, 300_001, 0.87);
    Row lost = row("squeezenet", Road.COMPACT, 3_000_000, 0.87, 100_000, 0.85);
    assertTrue(CompactCifar.checks(List.of(met)).get(0).met());
    assertFalse(CompactCifar.checks(List.of(small)).get(0).met());
    assertFalse(CompactCifar.checks(List.of(lost)).get(0).met());
    assertTrue(CompactCifar.checks(List.of(row("sepnet", Road.COMPACT, 4, 1, 1, 1))).isEmpty());
  }

  @Test
  void rowsSurviveJson() {
    Row r =
        new Row("sepnet", Road.COMPACT, 516_746, 123_456, 30, 2_070_000, 0.86, 150_000, 0.855, 0.7);
    JsonObject o = r.toJson();
    assertEquals(r, Row.fromJson(o));
    assertEquals("compact", o.get("road").getAsString());
    assertEquals(13.8, o.get("rate").getAsDouble(), 1e-9);
    JsonObject t = CompactCifar.json(List.of(r));
    assertEquals("sepnet", t.get("smallest_within_one_point").getAsString());
    assertEquals(1, t.getAsJsonArray("rows").size());
  }
}
