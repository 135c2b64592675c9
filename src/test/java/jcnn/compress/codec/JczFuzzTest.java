package jcnn.compress.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Damaged {@code .jcz} files, seeded: random byte flips and truncation at every length. Each read
 * must either succeed with the original contents (the CRCs let nothing else through) or throw an
 * {@link IOException} whose one-line message names the file; never another exception, a hang (each
 * test runs under a preemptive timeout) or an out-of-memory error. A second pass disables the CRC
 * checks so the damage reaches the Huffman and sparse-index decoders themselves.
 */
class JczFuzzTest {
  private static final String LABEL = "fuzz.jcz";
  private static final Duration LIMIT = Duration.ofSeconds(30);

  @Test
  void randomByteFlipsAreDetected() {
    JczModel model = JczFileTest.sampleModel(new Random(31));
    byte[] ok = JczWriter.encode(model).bytes();
    Random rnd = new Random(32);
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          for (int trial = 0; trial < 400; trial++) {
            byte[] bad = flip(ok, rnd, 1 + trial % 5);
            JczModel back = readOrCheckMessage(bad, true, "trial " + trial);
            if (back != null) {
              assertSameContents(model, back, "trial " + trial);
            }
          }
        });
  }

  @Test
  void everyTruncationIsDetected() {
    byte[] ok = JczWriter.encode(JczFileTest.sampleModel(new Random(33))).bytes();
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          for (int len = 0; len < ok.length; len++) {
            JczModel back = readOrCheckMessage(Arrays.copyOf(ok, len), true, "length " + len);
            assertEquals(null, back, "a file cut to " + len + " of " + ok.length + " bytes read");
          }
        });
  }

  @Test
  void decodersSurviveDamageThatPassesTheCrc() {
    JczModel model = JczFileTest.sampleModel(new Random(34));
    byte[] ok = JczWriter.encode(model).bytes();
    int headerBytes = (int) JczWriter.encode(model).report().headerBytes();
    Random rnd = new Random(35);
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          int decoded = 0;
          for (int trial = 0; trial < 600; trial++) {
            byte[] bad = ok.clone();
            for (int f = 0; f < 1 + trial % 3; f++) { // damage sections only, payloads mostly
              int at = headerBytes + rnd.nextInt(ok.length - headerBytes - 12);
              bad[at] ^= (byte) (1 << rnd.nextInt(8));
            }
            decoded += readOrCheckMessage(bad, false, "unchecked trial " + trial) != null ? 1 : 0;
            readOrCheckMessage(Arrays.copyOf(bad, rnd.nextInt(bad.length)), false, "cut " + trial);
          }
          System.out.println("fuzz without CRC: " + decoded + " of 600 damaged files decoded");
        });
  }

  /** The model read, or null after checking the IOException's message. */
  private static JczModel readOrCheckMessage(byte[] bytes, boolean checkCrc, String trial) {
    try {
      return JczReader.read(bytes, LABEL, checkCrc);
    } catch (IOException e) {
      String m = e.getMessage();
      assertTrue(m.startsWith(LABEL + ": "), trial + ": message does not name the file: " + m);
      assertEquals(1, m.lines().count(), trial + ": " + m);
      assertFalse(m.contains("internal decoder error"), trial + ": a check is missing: " + m);
      return null;
    } catch (RuntimeException | Error e) {
      fail(trial + ": " + e, e);
      return null;
    }
  }

  private static byte[] flip(byte[] ok, Random rnd, int flips) {
    byte[] bad = ok.clone();
    for (int f = 0; f < flips; f++) {
      int at = rnd.nextInt(bad.length);
      bad[at] =
          rnd.nextBoolean() ? (byte) rnd.nextInt(256) : (byte) (bad[at] ^ 1 << rnd.nextInt(8));
    }
    return bad;
  }

  private static void assertSameContents(JczModel a, JczModel b, String trial) {
    assertEquals(a.tensors().keySet(), b.tensors().keySet(), trial);
    for (String name : a.tensors().keySet()) {
      assertArrayEquals(
          JczFileTest.rawBits(a.decode(name)), JczFileTest.rawBits(b.decode(name)), trial);
    }
  }
}
