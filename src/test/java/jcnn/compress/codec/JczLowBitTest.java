package jcnn.compress.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * The low-bit sections of format version 2: BINARY (1 bit per weight, per-tensor or per-channel
 * scales) and TERNARY (2 bits, two levels). Round trips are exact; a file without them stays
 * version 1; the damaged forms the issue names (a NaN or zero scale, a packed length that does not
 * match the shape, code 3, a low-bit section in a version-1 file) are one-line errors naming the
 * section.
 */
class JczLowBitTest {
  private static final Shape CONV = Shape.of(3, 2, 3, 3); // 18 weights per channel, 54 in all

  private static float[] binaryWeights(float[] scales) {
    float[] w = new float[CONV.numel()];
    for (int i = 0; i < w.length; i++) {
      float s = scales.length == 1 ? scales[0] : scales[i / 18];
      w[i] = (i * 7 + i / 5) % 3 == 0 ? -s : s;
    }
    return w;
  }

  private static JczModel model(JczTensor t) {
    Map<String, JczTensor> m = new LinkedHashMap<>();
    m.put("conv.weight", t);
    m.put("conv.bias", new JczTensor.Raw(new float[] {0.5f, -1f, 2f}, Shape.of(3)));
    return new JczModel("lenet5", 10, "{}", m);
  }

  private static JczModel binary() {
    float[] scales = {0.25f, 0.5f, 1.5f};
    float[] w = binaryWeights(scales);
    return model(new JczTensor.Binary(scales, JczTensor.Binary.pack(w), CONV));
  }

  private static JczModel ternary() {
    float[] w = new float[CONV.numel()];
    for (int i = 0; i < w.length; i++) {
      w[i] = i % 3 == 0 ? 0f : i % 3 == 1 ? 0.75f : -1.25f;
    }
    return model(JczTensor.Ternary.of(w, 0.75f, 1.25f, CONV));
  }

  @Test
  void binaryRoundTripsWithPerChannelAndPerTensorScales() throws IOException {
    for (float[] scales : new float[][] {{0.25f, 0.5f, 1.5f}, {1f}}) {
      float[] w = binaryWeights(scales);
      JczModel m = model(new JczTensor.Binary(scales, JczTensor.Binary.pack(w), CONV));
      JczWriter.Output out = JczWriter.encode(m);
      assertEquals(2, out.bytes()[5], "version 2 with a low-bit section");
      JczModel back = JczReader.read(out.bytes(), "b.jcz");
      assertArrayEquals(w, back.decode("conv.weight"));
      SizeReport.TensorSize s = out.report().tensors().get(0);
      assertEquals(Encoding.BINARY, s.encoding());
      assertEquals(54, s.codeBits(), "one bit per weight");
      assertEquals(32L * scales.length, s.codebookBits());
      int payload = 4 * scales.length + 7; // 54 bits in 7 bytes
      assertEquals(JczFormat.SECTION_FIXED_BYTES + 11 + 16 + payload, s.sectionBytes());
    }
  }

  @Test
  void ternaryRoundTripsWithTwoLevels() throws IOException {
    JczModel m = ternary();
    JczWriter.Output out = JczWriter.encode(m);
    JczModel back = JczReader.read(out.bytes(), "t.jcz");
    assertArrayEquals(m.decode("conv.weight"), back.decode("conv.weight"));
    SizeReport.TensorSize s = out.report().tensors().get(0);
    assertEquals(Encoding.TERNARY, s.encoding());
    assertEquals(108, s.codeBits(), "two bits per weight");
    assertEquals(36, s.nonZeros());
  }

  @Test
  void aFileWithoutLowBitSectionsStaysVersion1() throws IOException {
    JczModel m = model(new JczTensor.Raw(new float[CONV.numel()], CONV));
    byte[] b = JczWriter.encode(m).bytes();
    assertEquals(0, b[4]);
    assertEquals(1, b[5], "readable by a version-1 reader");
    assertEquals(2, JczReader.read(b, "v1.jcz").tensors().size());
  }

  /** Offset of the first section's payload (conv.weight, rank 4). */
  private static int payload(JczModel m) {
    int header = (int) JczWriter.encode(m).report().headerBytes();
    return header + 1 + 2 + "conv.weight".length() + 1 + 16 + 1 + 4 + 4 + 4;
  }

  private static void assertOneLine(byte[] bytes, String... parts) {
    IOException e = assertThrows(IOException.class, () -> JczReader.read(bytes, "m.jcz", false));
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' lacks: " + p);
    }
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertTrue(e.getMessage().startsWith("m.jcz: section 1 of 2 'conv.weight': "), e.getMessage());
  }

  @Test
  void badScalesAreOneLine() {
    JczModel m = binary();
    byte[] good = JczWriter.encode(m).bytes();
    int at = payload(m);
    for (float bad : new float[] {Float.NaN, 0f, Float.POSITIVE_INFINITY}) {
      byte[] b = good.clone();
      ByteBuffer.wrap(b).putInt(at + 4, Float.floatToRawIntBits(bad)); // scale 1
      assertOneLine(b, "scale 1 is " + bad, "finite and non-zero");
    }
    byte[] t = JczWriter.encode(ternary()).bytes();
    ByteBuffer.wrap(t).putInt(payload(ternary()), 0); // the positive level
    assertOneLine(t, "scale 0 is 0.0");
  }

  @Test
  void aPackedLengthThatDoesNotMatchTheShapeIsOneLine() {
    JczModel m = binary();
    byte[] b = JczWriter.encode(m).bytes();
    int lengthField = payload(m) - 4;
    ByteBuffer.wrap(b).putInt(lengthField, 4 * 3 + 6); // one byte of signs short
    assertOneLine(
        b,
        "payload is 18 bytes",
        "BINARY tensor of shape [3, 2, 3, 3] with 3 scales",
        "exactly 19");
    byte[] k = JczWriter.encode(m).bytes();
    ByteBuffer.wrap(k).putInt(lengthField - 8, 2); // k: 2 scales for 3 channels
    assertOneLine(k, "with 2 scales", "needs 1 or one per output channel (3)");
  }

  @Test
  void ternaryCode3IsOneLine() {
    JczModel m = ternary();
    byte[] b = JczWriter.encode(m).bytes();
    b[payload(m) + 8] |= (byte) 0xC0; // weight 0 becomes code 3
    assertOneLine(b, "ternary code 3 (not a level) at weight 0");
  }

  @Test
  void aLowBitSectionInAVersion1FileIsOneLine() {
    byte[] b = JczWriter.encode(binary()).bytes();
    b[5] = 1;
    assertOneLine(b, "section type 4 (BINARY) needs format version 2, the file is 1");
  }

  @Test
  void damagePastTheCrcReachesTheLowBitChecksAndStaysOneLine() {
    Map<String, JczTensor> m = new LinkedHashMap<>(binary().tensors());
    m.put("fc.weight", ternary().tensors().get("conv.weight"));
    byte[] ok = JczWriter.encode(new JczModel("x", 10, "", m)).bytes();
    java.util.Random rnd = new java.util.Random(41);
    int decoded = 0;
    for (int trial = 0; trial < 2000; trial++) {
      byte[] bad = ok.clone();
      for (int f = 0; f < 1 + trial % 3; f++) {
        int at = 20 + rnd.nextInt(ok.length - 32); // past the header, before the trailer
        bad[at] ^= (byte) (1 << rnd.nextInt(8));
      }
      try {
        JczReader.read(bad, "f.jcz", false);
        decoded++;
      } catch (IOException e) {
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("f.jcz: "), e.getMessage());
        assertTrue(!e.getMessage().contains("internal decoder error"), e.getMessage());
      }
    }
    assertTrue(decoded < 2000, "some damage must be caught by the low-bit checks");
  }

  @Test
  void constructorsRefuseWhatTheFormatCannotHold() {
    byte[] bits = new byte[7];
    assertThrows(
        IllegalArgumentException.class,
        () -> new JczTensor.Binary(new float[] {1f, 2f}, bits, CONV)); // 2 scales, 3 channels
    assertThrows(
        IllegalArgumentException.class, () -> new JczTensor.Binary(new float[] {0f}, bits, CONV));
    assertThrows(
        IllegalArgumentException.class,
        () -> new JczTensor.Binary(new float[] {1f}, new byte[6], CONV));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> JczTensor.Ternary.of(new float[] {0f, 0.5f, 0.7f}, 0.5f, 0.7f, Shape.of(3)));
    assertTrue(e.getMessage().contains("value 0.7 at 2 is none of 0, 0.5, -0.7"), e.getMessage());
  }
}
