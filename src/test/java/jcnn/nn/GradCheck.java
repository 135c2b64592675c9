package jcnn.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import jcnn.autograd.GradMode;
import jcnn.autograd.Variable;
import jcnn.tensor.Tensor;

/**
 * Gradient check by central differences, for layers and anything else that maps a variable to a
 * variable. The scalar checked is loss = sum(y * R) for a fixed random R, accumulated in double;
 * its analytic gradients come from {@code y.backward(R)}, its numeric ones from (loss(t + eps) -
 * loss(t - eps)) / (2 eps) per element t of the input and of every parameter. Tensors are float32,
 * so eps is about 1e-2: large enough that rounding in y (relative 1e-7) stays far below the
 * tolerance, small enough that curvature does not matter.
 *
 * <p>Kinks (ReLU at 0, max-pool ties) make a central difference meaningless where the perturbation
 * crosses them. Callers place inputs away from kinks where they can; inside composite layers a
 * crossing is detected from the two one-sided differences disagreeing (a smooth function makes them
 * agree up to eps * curvature) and that element is skipped. The result reports how many were
 * skipped so tests can bound it; a wrong analytic gradient cannot hide this way, since skipping
 * looks at numeric values only.
 */
final class GradCheck {
  static final double EPS = 1e-2;
  static final double ATOL = 1e-3;
  static final double RTOL = 2e-2;

  private GradCheck() {}

  /** Counts of one check. */
  record Result(int checked, int skipped) {}

  /**
   * Checks a module's input and parameter gradients; see {@link #check(String, UnaryOperator,
   * Variable, Map, long, double)}.
   */
  static Result check(Module m, Tensor x, long seed, double maxSkipFraction) {
    return check(
        m.describe(), m::forward, Variable.param(x), m.namedParameters(), seed, maxSkipFraction);
  }

  /**
   * Checks the gradients of f at x with respect to x and each of {@code params}; fails with the
   * first mismatches printed, or when more than {@code maxSkipFraction} of the elements sat on a
   * kink.
   */
  static Result check(
      String what,
      UnaryOperator<Variable> f,
      Variable x,
      Map<String, ? extends Variable> params,
      long seed,
      double maxSkipFraction) {
    Map<String, Variable> wrt = new LinkedHashMap<>();
    wrt.put("input", x);
    wrt.putAll(params);
    for (Variable v : wrt.values()) {
      v.setGrad(null);
    }
    Variable y = f.apply(x);
    Tensor r = Tensor.uniform(seed, -1f, 1f, y.shape().dims()); // R, same shape as y
    y.backward(r);

    List<String> mismatches = new ArrayList<>();
    int checked = 0;
    int skipped = 0;
    for (Map.Entry<String, Variable> e : wrt.entrySet()) {
      Variable v = e.getValue();
      if (v.grad() == null) {
        fail(what + ": no gradient reached " + e.getKey() + " " + v.shape());
      }
      int[] counts = compareOne(what, e.getKey(), f, x, v, r, mismatches);
      checked += counts[0];
      skipped += counts[1];
    }
    if (!mismatches.isEmpty()) {
      fail(
          what
              + ": "
              + mismatches.size()
              + " gradient mismatches (|a - n| > "
              + ATOL
              + " + "
              + RTOL
              + " |n|), first ones:\n  "
              + String.join("\n  ", mismatches.subList(0, Math.min(10, mismatches.size()))));
    }
    assertTrue(
        skipped <= maxSkipFraction * (checked + skipped),
        what + ": " + skipped + " of " + (checked + skipped) + " elements sat on a kink");
    System.out.printf(
        Locale.ROOT,
        "gradcheck %s: %d elements agree, %d skipped on kinks%n",
        what,
        checked,
        skipped);
    return new Result(checked, skipped);
  }

  /** Compares analytic and numeric gradients of one tensor; returns {checked, skipped}. */
  private static int[] compareOne(
      String what,
      String name,
      UnaryOperator<Variable> f,
      Variable x,
      Variable v,
      Tensor r,
      List<String> mismatches) {
    float[] analytic = v.grad().data();
    int checked = 0;
    int skipped = 0;
    for (int i = 0; i < v.value().numel(); i++) {
      double numeric = central(f, x, v, r, i, EPS);
      double half = central(f, x, v, r, i, EPS / 2);
      double tol = ATOL + RTOL * Math.abs(numeric);
      if (Math.abs(numeric - half) > tol) {
        skipped++; // a kink within the perturbation: the two steps disagree
        continue;
      }
      checked++;
      if (Math.abs(analytic[i] - numeric) > tol) {
        mismatches.add(
            String.format(
                Locale.ROOT,
                "%s %s[%d]: analytic %.6f, numeric %.6f",
                what,
                name,
                i,
                analytic[i],
                numeric));
      }
    }
    return new int[] {checked, skipped};
  }

  /** The central difference of the loss in element i of v, with step h (v restored after). */
  private static double central(
      UnaryOperator<Variable> f, Variable x, Variable v, Tensor r, int i, double h) {
    float[] data = v.value().data();
    float orig = data[i];
    float up = (float) (orig + h);
    float down = (float) (orig - h);
    data[i] = up;
    double lUp = loss(f, x, r);
    data[i] = down;
    double lDown = loss(f, x, r);
    data[i] = orig;
    return (lUp - lDown) / ((double) up - down);
  }

  /** sum(f(x) * r) in double, without recording a graph. */
  static double loss(UnaryOperator<Variable> f, Variable x, Tensor r) {
    try (GradMode.Scope s = GradMode.noGrad()) {
      float[] y = f.apply(x).value().data();
      float[] rd = r.data();
      double sum = 0;
      for (int i = 0; i < rd.length; i++) {
        sum += (double) y[i] * rd[i];
      }
      return sum;
    }
  }

  /**
   * Uniform values in [lo, hi) resampled until each is at least 2 * EPS from every kink, so an
   * activation applied directly to them has no kink within the perturbation.
   */
  static Tensor awayFrom(long seed, float lo, float hi, float[] kinks, int... dims) {
    Tensor t = Tensor.zeros(dims);
    float[] d = t.data();
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < d.length; i++) {
      do {
        d[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
      } while (nearAny(d[i], kinks));
    }
    return t;
  }

  private static boolean nearAny(float v, float[] kinks) {
    for (float k : kinks) {
      if (Math.abs(v - k) < 2 * EPS) {
        return true;
      }
    }
    return false;
  }

  /**
   * Distinct values spaced 4 * EPS apart in shuffled order, so no max-pool window has two values
   * within a perturbation of each other (no ties to cross).
   */
  static Tensor distinct(long seed, int... dims) {
    Tensor t = Tensor.zeros(dims);
    float[] d = t.data();
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) ((i - d.length / 2) * 4 * EPS);
    }
    for (int i = d.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      float tmp = d[i];
      d[i] = d[j];
      d[j] = tmp;
    }
    return t;
  }
}
