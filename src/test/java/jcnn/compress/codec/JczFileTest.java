package jcnn.compress.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .jcz} files: a round trip of a model with coded and raw tensors of every kind (bit-exact
 * decoded floats), the atomic write, the size report adding up, Eq. 2, and one-line errors naming
 * the file and section for each kind of damage.
 */
class JczFileTest {
  @TempDir Path dir;

  @Test
  void modelRoundTripsBitExactly() throws IOException {
    JczModel model = sampleModel(new Random(21));
    Path file = dir.resolve("model.jcz");
    SizeReport report = JczWriter.write(file, model);
    JczModel back = JczReader.read(file);
    assertEquals(model.name(), back.name());
    assertEquals(model.classes(), back.classes());
    assertEquals(model.metadata(), back.metadata());
    assertEquals(List.copyOf(model.tensors().keySet()), List.copyOf(back.tensors().keySet()));
    for (String name : model.tensors().keySet()) {
      JczTensor a = model.tensors().get(name);
      JczTensor b = back.tensors().get(name);
      assertEquals(a.shape(), b.shape(), name);
      assertEquals(a.getClass(), b.getClass(), name);
      if (a instanceof JczTensor.Coded ca) {
        assertArrayEquals(ca.codes(), ((JczTensor.Coded) b).codes(), name);
      }
      assertArrayEquals(rawBits(a.decode()), rawBits(b.decode()), name + ": decoded floats");
    }
    assertEquals(Files.size(file), report.fileBytes());
    System.out.print(report.table());
  }

  @Test
  void writeIsAtomicAndReplacesTheOldFile() throws IOException {
    Path file = dir.resolve("m.jcz");
    Files.writeString(file, "an old file");
    JczModel model = sampleModel(new Random(22));
    JczWriter.write(file, model);
    JczWriter.write(file, model);
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(file), s.collect(Collectors.toList()), "no temporary files are left");
    }
    assertEquals(model.tensors().size(), JczReader.read(file).tensors().size());
  }

  @Test
  void sizeReportAddsUp() {
    JczWriter.Output out = JczWriter.encode(sampleModel(new Random(23)));
    SizeReport r = out.report();
    assertEquals(out.bytes().length, r.headerBytes() + r.sectionBytes() + r.trailerBytes());
    for (SizeReport.TensorSize t : r.tensors()) {
      long sum = t.valueBits() + t.codeBits() + t.indexBits() + t.codebookBits() + t.overheadBits();
      assertEquals(8 * t.sectionBytes(), sum, t.name());
      assertTrue(t.overheadBits() >= 8 * (JczFormat.SECTION_FIXED_BYTES + t.name().length()));
    }
  }

  @Test
  void eq2MatchesTheFormula() {
    // n = 1000 weights of 32 bits through k = 32 clusters: 32000 / (1000 * 5 + 32 * 32).
    assertEquals(32000.0 / 6024, SizeReport.compressionRate(1000, 32, 32), 1e-12);
    assertEquals(1000.0, SizeReport.compressionRate(1000, 32, 1), 1e-12, "k = 1: log2 k = 0");
    assertThrows(IllegalArgumentException.class, () -> SizeReport.compressionRate(10, 32, 0));
  }

  @Test
  void compactKeepsTinyTensorsRaw() {
    Shape s = Shape.of(10);
    int[] codes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    float[] cb = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    assertInstanceOf(JczTensor.Raw.class, JczTensor.compact(codes, cb, s));
    int[] many = new int[5000];
    assertInstanceOf(
        JczTensor.Coded.class, JczTensor.compact(many, new float[] {0.5f}, Shape.of(50, 100)));
  }

  @Test
  void damageIsReportedInOneLineNamingFileAndSection() throws IOException {
    JczModel model = sampleModel(new Random(24));
    byte[] ok = JczWriter.encode(model).bytes();
    assertMessage(patched(ok, 0, (byte) 'X'), "m.jcz: header: not a .jcz file");
    assertMessage(patched(ok, 5, (byte) 3), "m.jcz: header: format version 3 is not supported");
    assertMessage(patched(ok, 12, (byte) 0x7F), "m.jcz: header: CRC mismatch");
    int second = sectionStart(model, ok, 2);
    String secondName = List.copyOf(model.tensors().keySet()).get(1);
    byte[] flipped = patched(ok, ok.length - 40, (byte) (ok[ok.length - 40] ^ 1));
    assertMessage(flipped, "CRC mismatch");
    byte[] badType = patched(ok, second, (byte) 9);
    assertMessage(badType, "m.jcz: section 2 of 8: unknown section type 9");
    byte[] badPayload = patched(ok, second + 30, (byte) (ok[second + 30] ^ 0x10));
    assertMessage(badPayload, "m.jcz: section 2 of 8 '" + secondName + "': CRC mismatch");
    assertMessage(Arrays.copyOf(ok, second + 2), "section 2 of 8: truncated reading");
    assertMessage(Arrays.copyOf(ok, ok.length - 1), "m.jcz: trailer: truncated");
    byte[] longer = Arrays.copyOf(ok, ok.length + 3);
    assertMessage(longer, "m.jcz: trailer:");
    IOException missing =
        assertThrows(IOException.class, () -> JczReader.read(dir.resolve("none.jcz")));
    assertTrue(missing.getMessage().contains("none.jcz"), missing.getMessage());
    IOException folder = assertThrows(IOException.class, () -> JczReader.read(dir));
    assertTrue(folder.getMessage().startsWith(dir.toString()), folder.getMessage());
  }

  /** Eight tensors: every encoding, k = 1 to 256, all pruned, empty, scalar, non-ASCII name. */
  static JczModel sampleModel(Random rnd) {
    Map<String, JczTensor> t = new LinkedHashMap<>();
    t.put("conv1.weight", coded(rnd, 0.95, 32, 20, 1, 5, 5));
    t.put("conv1.bias", raw(rnd, 20));
    t.put("fc1.weight", coded(rnd, 0.0, 256, 50, 40));
    t.put("fc1.gewicht\u00e4", coded(rnd, 0.5, 1, 30, 10));
    t.put("dead.weight", coded(rnd, 1.0, 4, 7, 3));
    t.put("tiny.weight", coded(rnd, 0.2, 3, 3));
    t.put("bn.running_var", new JczTensor.Raw(new float[] {Float.NaN}, Shape.of()));
    t.put("empty", new JczTensor.Raw(new float[0], Shape.of(0, 5)));
    return new JczModel("lenet-test", 10, "{\"seed\": 7, \"note\": \"\u00fcber\"}", t);
  }

  static JczTensor.Coded coded(Random rnd, double sparsity, int k, int... dims) {
    Shape s = Shape.of(dims);
    return new JczTensor.Coded(
        SparseLayerTest.randomCodes(s.numel(), sparsity, k, rnd),
        SparseLayerTest.codebook(k, rnd),
        s);
  }

  static JczTensor.Raw raw(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return new JczTensor.Raw(v, Shape.of(n));
  }

  static int[] rawBits(float[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Float.floatToRawIntBits(v[i]);
    }
    return out;
  }

  /** Byte offset of section {@code index} (1-based): the header, then earlier sections. */
  static int sectionStart(JczModel model, byte[] bytes, int index) {
    SizeReport r = JczWriter.encode(model).report();
    long pos = r.headerBytes();
    for (int i = 0; i < index - 1; i++) {
      pos += r.tensors().get(i).sectionBytes();
    }
    return (int) pos;
  }

  private static byte[] patched(byte[] b, int at, byte value) {
    byte[] c = b.clone();
    c[at] = value;
    return c;
  }

  private static void assertMessage(byte[] bytes, String expected) {
    IOException e = assertThrows(IOException.class, () -> JczReader.read(bytes, "m.jcz"));
    assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' lacks: " + expected);
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }
}
