package jcnn.cli;

import jcnn.tensor.Tensor;

/**
 * Element-wise comparison of a result against the reference oracle's, with the project's tolerance
 * rule {@code |x - ref| <= atol + rtol * |ref|} (STYLE.md rule 4). Used by {@code jcnn selfcheck};
 * tested by {@code ParityTest}.
 */
final class Parity {
  /** How far {@code actual} is from {@code expected}. {@code firstBad} is -1 when all are close. */
  record Result(double maxAbsError, int mismatches, int firstBad) {
    boolean ok() {
      return mismatches == 0;
    }
  }

  private Parity() {}

  static Result compare(Tensor actual, Tensor expected, double atol, double rtol) {
    if (!actual.shape().equals(expected.shape())) {
      throw new IllegalArgumentException(
          "compare: shapes differ, " + actual.shape() + " vs " + expected.shape());
    }
    float[] a = actual.data();
    float[] e = expected.data();
    double maxErr = 0;
    int bad = 0;
    int first = -1;
    for (int i = 0; i < actual.numel(); i++) {
      double err = Math.abs((double) a[i] - e[i]);
      // NaN compares false both ways: count it as a mismatch and as an infinite error.
      boolean close = err <= atol + rtol * Math.abs((double) e[i]);
      if (!close) {
        bad++;
        first = first < 0 ? i : first;
      }
      maxErr = Double.isNaN(err) ? Double.POSITIVE_INFINITY : Math.max(maxErr, err);
    }
    return new Result(maxErr, bad, first);
  }
}
