package jcnn.autograd.ops;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import jcnn.autograd.Variable;
import jcnn.tensor.Tensor;

/**
 * Gradient checking by central differences, the arithmetic in double.
 *
 * <p>The checked scalar is L = sum_i y_i * R_i with a fixed random projection R, accumulated in
 * double. For every input element x_j: numeric dL/dx_j = (L(x_j + e) - L(x_j - e)) / (actual step),
 * where the actual step is the difference of the two float32 values really stored (x + e is rounded
 * to float), so storage rounding does not bias the quotient. Analytic gradients come from one
 * backward pass with seed gradient R. They must agree within atol + rtol * |numeric|.
 *
 * <p>Run checks on the reference backend (double accumulation) so that only the op's calculus is
 * under test.
 */
public final class GradCheck {
  private final double eps;
  private final double atol;
  private final double rtol;

  public GradCheck(double eps, double atol, double rtol) {
    this.eps = eps;
    this.atol = atol;
    this.rtol = rtol;
  }

  /** Defaults fit float32 storage: e = 1e-2, atol = 1e-3, rtol = 1e-2. */
  public static GradCheck standard() {
    return new GradCheck(1e-2, 1e-3, 1e-2);
  }

  /**
   * Checks the gradient of {@code f} with respect to each of {@code inputs} (leaves requiring
   * grad). {@code f} must be deterministic (a fixed dropout seed, fixed labels, ...).
   */
  public void check(String what, Function<Variable[], Variable> f, Variable... inputs) {
    Variable y0 = f.apply(inputs);
    Tensor r = Tensor.randn(12345, 1f, y0.shape().dims());
    for (Variable v : inputs) {
      v.setGrad(null);
    }
    y0.backward(r);
    List<String> bad = new ArrayList<>();
    for (int k = 0; k < inputs.length; k++) {
      Variable v = inputs[k];
      if (!v.requiresGrad()) {
        continue;
      }
      if (v.grad() == null) {
        fail(what + ": input " + k + " got no gradient");
      }
      compare(what, k, f, inputs, v, r, bad);
    }
    if (!bad.isEmpty()) {
      fail(
          what + ": " + bad.size() + " gradient mismatches, first:\n  " + String.join("\n  ", bad));
    }
  }

  private void compare(
      String what,
      int k,
      Function<Variable[], Variable> f,
      Variable[] inputs,
      Variable v,
      Tensor r,
      List<String> bad) {
    float[] x = v.value().data();
    float[] analytic = v.grad().data();
    for (int j = 0; j < x.length; j++) {
      float orig = x[j];
      float plus = (float) (orig + eps);
      float minus = (float) (orig - eps);
      x[j] = plus;
      double lp = project(f.apply(inputs), r);
      x[j] = minus;
      double lm = project(f.apply(inputs), r);
      x[j] = orig;
      double numeric = (lp - lm) / ((double) plus - (double) minus);
      double a = analytic[j];
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric)) && bad.size() < 8) {
        bad.add(
            String.format(
                "input %d %s [%d]: analytic %.6f numeric %.6f", k, v.shape(), j, a, numeric));
      }
    }
  }

  private static double project(Variable y, Tensor r) {
    float[] yd = y.value().data();
    float[] rd = r.data();
    double s = 0;
    for (int i = 0; i < yd.length; i++) {
      s += (double) yd[i] * rd[i];
    }
    return s;
  }

  /**
   * A random input of the given shape whose values stay at least {@code margin} away from zero, so
   * the finite-difference step does not cross the kink of relu-like functions.
   */
  public static Variable awayFromKinks(long seed, double margin, int... dims) {
    Tensor t = Tensor.zeros(dims);
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      double u = margin + rnd.nextDouble() * (1.0 - margin);
      d[i] = (float) (rnd.nextBoolean() ? u : -u);
    }
    return Variable.param(t);
  }

  /**
   * A shuffled arithmetic sequence with the given spacing, centred on zero: all values distinct by
   * at least {@code spacing}, so a max-pool winner cannot change under a step smaller than half of
   * it.
   */
  public static Variable distinct(long seed, double spacing, int... dims) {
    Tensor t = Tensor.zeros(dims);
    float[] d = t.data();
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) ((i - d.length / 2.0) * spacing);
    }
    for (int i = d.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      float tmp = d[i];
      d[i] = d[j];
      d[j] = tmp;
    }
    return Variable.param(t);
  }

  /** A parameter of standard normal values. */
  public static Variable randn(long seed, int... dims) {
    return Variable.param(Tensor.randn(seed, 1f, dims));
  }
}
