package jcnn.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trip, the byte layout of the format, and a clean error for every kind of damage. */
class SafeTensorsTest {
  @TempDir Path dir;

  private Path sample() throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("conv.weight", Tensor.randn(1, 1f, 2, 1, 3, 3));
    t.put("fc.bias", Tensor.of(new float[] {1f, -2f, 3.5f}, 3));
    t.put("scalar", Tensor.scalar(7f));
    Path f = dir.resolve("m.safetensors");
    SafeTensors.write(f, t, Map.of("jcnn.model", "lenet5"));
    return f;
  }

  @Test
  void roundTripKeepsNamesOrderValuesAndMetadata() throws IOException {
    Path f = sample();
    SafeTensors.Contents c = SafeTensors.read(f);
    assertEquals(List.of("conv.weight", "fc.bias", "scalar"), List.copyOf(c.tensors().keySet()));
    assertArrayEquals(
        Tensor.randn(1, 1f, 2, 1, 3, 3).data(), c.tensors().get("conv.weight").data());
    assertArrayEquals(new int[] {2, 1, 3, 3}, c.tensors().get("conv.weight").shape().dims());
    assertEquals(7f, c.tensors().get("scalar").item());
    assertEquals("lenet5", c.metadata().get("jcnn.model"));
  }

  @Test
  void layoutIsSafetensors() throws IOException {
    byte[] b = Files.readAllBytes(sample());
    long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8, "header padded to 8 bytes");
    String json = new String(b, 8, (int) n, StandardCharsets.UTF_8);
    assertTrue(
        json.contains("\"dtype\":\"F32\"") && json.contains("\"data_offsets\":[72,84]"), json);
    assertEquals(8 + n + 4 * (18 + 3 + 1), b.length);
    float first = ByteBuffer.wrap(b, (int) (8 + n), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
    assertEquals(Tensor.randn(1, 1f, 2, 1, 3, 3).data()[0], first);
  }

  @Test
  void truncatedFileNamesTheFile() throws IOException {
    Path f = sample();
    byte[] b = Files.readAllBytes(f);
    for (int cut : new int[] {0, 5, 20, b.length - 4}) {
      Files.write(f, Arrays.copyOf(b, cut));
      IOException e = assertThrows(IOException.class, () -> SafeTensors.read(f));
      assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }
  }

  @Test
  void headerDamageIsReported() throws IOException {
    Path f = sample();
    byte[] good = Files.readAllBytes(f);
    byte[] huge = good.clone();
    ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
    assertMessage(f, huge, "header length");
    byte[] badJson = good.clone();
    badJson[8] = 'x';
    assertMessage(f, badJson, "not valid JSON");
    String json = new String(good, StandardCharsets.ISO_8859_1);
    assertMessage(
        f, json.replace("[72,84]", "[72,88]").getBytes(StandardCharsets.ISO_8859_1), "fc.bias");
    assertMessage(
        f, json.replaceFirst("F32", "F16").getBytes(StandardCharsets.ISO_8859_1), "dtype F16");
    assertMessage(
        f,
        json.replace("[2,1,3,3]", "[2,1,3,4]").getBytes(StandardCharsets.ISO_8859_1),
        "conv.weight");
  }

  @Test
  void missingFile() {
    IOException e = assertThrows(IOException.class, () -> SafeTensors.read(dir.resolve("nope")));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  @Test
  void failedWriteLeavesTheOldFile() throws IOException {
    Path f = sample();
    byte[] before = Files.readAllBytes(f);
    assertThrows(
        IOException.class,
        () ->
            AtomicWrite.write(
                f,
                out -> {
                  out.write(new byte[] {1, 2, 3});
                  throw new IOException("disk full");
                }));
    assertArrayEquals(before, Files.readAllBytes(f));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary file left behind");
    }
  }

  private static void assertMessage(Path f, byte[] content, String part) throws IOException {
    Files.write(f, content);
    IOException e = assertThrows(IOException.class, () -> SafeTensors.read(f));
    assertTrue(
        e.getMessage().contains(part) && e.getMessage().contains(f.toString()), e.getMessage());
  }
}
