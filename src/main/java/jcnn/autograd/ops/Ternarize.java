package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.tensor.Tensor;

/**
 * Ternary weights of TWN (Li, Zhang and Liu 2016, "Ternary Weight Networks"), one scale per layer.
 *
 * <pre>
 *   delta = 0.7 * mean_i |w_i|                     (their Eq. 10, the approximate threshold)
 *   I     = { i : |w_i| &gt; delta }
 *   alpha = mean_{i in I} |w_i|                     (their Eq. 9, the optimal scale for that I)
 *   y_i   = alpha * sign(w_i) if i in I, else 0
 * </pre>
 *
 * <p>Gradient: the straight-through estimator TWN trains with, gw = g: the gradient of the ternary
 * weight is applied to the latent full-precision weight, delta and alpha being treated as constants
 * of the step. Tested by {@code QuantOpsTest} against hand-computed values.
 */
public final class Ternarize extends Function {
  /** TWN's threshold factor. */
  public static final double THRESHOLD = 0.7;

  /** TWN's threshold delta and scale alpha for a weight tensor ({@link #levels}). */
  public record Levels(float delta, float alpha) {}

  public static Variable apply(Variable w) {
    Ternarize f = new Ternarize();
    float[] x = w.value().dataForRead();
    Levels lv = levels(x);
    Tensor y = Tensor.zeros(w.shape());
    float[] out = y.data();
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] > lv.delta ? lv.alpha : x[i] < -lv.delta ? -lv.alpha : 0f;
    }
    return f.record(y, w);
  }

  /** TWN's delta and alpha for these weights; alpha is 0 when no weight passes delta. */
  public static Levels levels(float[] x) {
    double abs = 0;
    for (float v : x) {
      abs += Math.abs(v);
    }
    float delta = (float) (THRESHOLD * abs / Math.max(1, x.length));
    double kept = 0;
    int count = 0;
    for (float v : x) {
      if (Math.abs(v) > delta) {
        kept += Math.abs(v);
        count++;
      }
    }
    return new Levels(delta, count == 0 ? 0f : (float) (kept / count));
  }

  @Override
  public String name() {
    return "ternarize";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    return new Tensor[] {g.copy()};
  }
}
