package jcnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.function.Executable;

/**
 * Shared assertions of the reference-backend tests: closeness with the first mismatches printed.
 */
final class RefAsserts {
  private RefAsserts() {}

  /** |actual - expected| <= atol + rtol * |expected| elementwise, printing the first mismatches. */
  static void assertClose(double[] expected, float[] actual, double atol, double rtol) {
    assertEquals(expected.length, actual.length, "length");
    StringBuilder bad = new StringBuilder();
    int count = 0;
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(actual[i] - expected[i]);
      if (!(err <= atol + rtol * Math.abs(expected[i]))) {
        if (++count <= 5) {
          bad.append(String.format(" [%d] expected %.7g got %.7g;", i, expected[i], actual[i]));
        }
      }
    }
    if (count > 0) {
      fail(count + " of " + expected.length + " values differ:" + bad);
    }
  }

  static void assertClose(double[] expected, float[] actual) {
    assertClose(expected, actual, 1e-6, 1e-6);
  }

  /** The same, for two double arrays (finite-difference checks). */
  static void assertClose(double[] expected, double[] actual, double atol, double rtol) {
    float[] f = new float[actual.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) actual[i];
    }
    assertClose(expected, f, atol, rtol);
  }

  /**
   * Asserts that {@code call} throws IllegalArgumentException whose message starts with {@code op}
   * and contains every one of {@code shapes} (as printed, e.g. "[2, 3]").
   */
  static void assertRejects(String op, Executable call, String... shapes) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    String msg = e.getMessage();
    assertTrue(msg.startsWith(op + ":"), "message should start with '" + op + ":' but was: " + msg);
    for (String s : shapes) {
      assertTrue(msg.contains(s), "message should contain " + s + " but was: " + msg);
    }
  }

  static String shape(int... dims) {
    return Arrays.toString(dims);
  }
}
