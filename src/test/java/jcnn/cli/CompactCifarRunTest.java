package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jcnn.compress.pipeline.CompactCifar;
import jcnn.compress.pipeline.CompactCifar.Road;
import jcnn.compress.pipeline.CompactCifar.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table is made from the row files under the output folder, in table order whatever order the
 * networks ran in, and a damaged row file is an error naming it. The whole command is a 30-hour run
 * and is measured by hand (docs/models.md); its smoke run takes minutes and is not in the default
 * test run.
 */
class CompactCifarRunTest {
  @TempDir Path dir;

  private void write(Row r) throws IOException {
    Path d = Files.createDirectories(dir.resolve(r.model()));
    Files.writeString(d.resolve(CompactCifarRun.ROW), r.toJson().toString());
  }

  @Test
  void rowsAreCollectedInTableOrder() throws IOException {
    Row tz =
        new Row(
            "cifar-tz",
            Road.COMPRESSED,
            879_594,
            48_091_136,
            30,
            3_530_632,
            0.9,
            270_000,
            0.895,
            0.7);
    Row sq =
        new Row("squeezenet", Road.COMPACT, 734_986, 1, 30, 2_950_000, 0.87, 280_000, 0.866, 0.7);
    write(tz);
    write(sq);
    Files.createDirectories(dir.resolve("mobilenet1")); // trained, not compressed yet: no row
    assertEquals(List.of(sq, tz), CompactCifarRun.collect(dir));
    assertEquals(
        "cifar-tz", CompactCifar.smallestWithinOnePoint(List.of(sq, tz)).orElseThrow().model());
  }

  @Test
  void aDamagedRowNamesItsFile() throws IOException {
    Path d = Files.createDirectories(dir.resolve("sepnet"));
    Files.writeString(d.resolve(CompactCifarRun.ROW), "{\"model\":\"sepnet\"}");
    IOException e = assertThrows(IOException.class, () -> CompactCifarRun.collect(dir));
    assertTrue(e.getMessage().contains(d.resolve(CompactCifarRun.ROW).toString()), e.getMessage());
  }
}
