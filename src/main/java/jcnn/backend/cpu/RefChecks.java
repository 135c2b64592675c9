package jcnn.backend.cpu;

import jcnn.tensor.IntTensor;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Precondition checks of the reference backend that {@link jcnn.backend.Checks} does not cover:
 * each message starts with the op name and prints the offending shape together with the shapes it
 * was derived from, so a user sees at once which argument is wrong. Exercised by the rejection
 * tests in {@code ReferenceBackendTest}.
 */
final class RefChecks {
  private RefChecks() {}

  /**
   * Requires {@code t} to have {@code expected}, which was derived from the shapes in {@code from}.
   */
  static void shape(String op, String what, Tensor t, Shape expected, String from) {
    if (t == null) {
      throw new IllegalArgumentException(op + ": " + what + " is null, expected " + expected);
    }
    if (!t.shape().equals(expected)) {
      throw new IllegalArgumentException(
          op + ": " + what + " has shape " + t.shape() + ", expected " + expected + " " + from);
    }
  }

  static void shape(String op, String what, IntTensor t, Shape expected, String from) {
    if (t == null) {
      throw new IllegalArgumentException(op + ": " + what + " is null, expected " + expected);
    }
    if (!t.shape().equals(expected)) {
      throw new IllegalArgumentException(
          op + ": " + what + " has shape " + t.shape() + ", expected " + expected + " " + from);
    }
  }

  /**
   * Requires a non-null tensor of rank {@code rank}; {@code form} names its dims for the message.
   */
  static void rank(String op, String what, Tensor t, int rank, String form) {
    if (t == null) {
      throw new IllegalArgumentException(op + ": " + what + " is null, expected " + form);
    }
    if (t.rank() != rank) {
      throw new IllegalArgumentException(
          op + ": " + what + " has shape " + t.shape() + ", expected " + form);
    }
  }

  /** A finite value in [lo, hi]. */
  static void range(String op, String what, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) {
      throw new IllegalArgumentException(
          op + ": " + what + " = " + v + " is outside [" + lo + ", " + hi + "]");
    }
  }
}
