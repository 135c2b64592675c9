package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.tensor.Tensor;

/**
 * Trained Ternary Quantization (Zhu, Han, Mao and Dally 2017): ternary weights whose two levels are
 * learned per layer.
 *
 * <pre>
 *   delta = t * max_i |w_i|                         (t = 0.05 in the paper)
 *   y_i   = wp     if w_i &gt; delta     (i in I_p)
 *           0      if |w_i| &lt;= delta
 *          -wn     if w_i &lt; -delta    (i in I_n)
 * </pre>
 *
 * with wp, wn &gt; 0 the layer's trained positive and negative scales.
 *
 * <p>Gradients. The scales get their true derivatives: gwp = sum_{i in I_p} g_i, and gwn = -sum_{i
 * in I_n} g_i. (The paper's Eq. 7 prints the second without its minus sign; since y = -wn on I_n
 * the chain rule has it, and finite differences agree, see {@code QuantOpsTest}.) The latent
 * weights get the paper's scaled straight-through estimator, Eq. 8:
 *
 * <pre>
 *   gw_i = wp * g_i  (i in I_p),   1 * g_i  (|w_i| &lt;= delta),   wn * g_i  (i in I_n)
 * </pre>
 */
public final class TrainedTernary extends Function {
  /** The paper's threshold factor t. */
  public static final double THRESHOLD = 0.05;

  private Tensor w;
  private float delta;
  private float wp;
  private float wn;

  /**
   * @param wp the positive scale, shape [1]; @param wn the negative scale's magnitude, [1]
   */
  public static Variable apply(Variable w, Variable wp, Variable wn, double t) {
    TrainedTernary f = new TrainedTernary();
    float[] x = w.value().dataForRead();
    f.delta = threshold(x, t);
    f.wp = wp.value().item();
    f.wn = wn.value().item();
    Tensor y = Tensor.zeros(w.shape());
    float[] out = y.data();
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] > f.delta ? f.wp : x[i] < -f.delta ? -f.wn : 0f;
    }
    f.w = w.value();
    return f.record(y, w, wp, wn);
  }

  /** delta = t * max |w|. */
  public static float threshold(float[] x, double t) {
    float max = 0f;
    for (float v : x) {
      max = Math.max(max, Math.abs(v));
    }
    return (float) (t * max);
  }

  @Override
  public String name() {
    return "ttq";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    float[] x = w.dataForRead();
    float[] gy = g.dataForRead();
    Tensor gw = needsGrad(0) ? Tensor.zeros(w.shape()) : null;
    float[] out = gw == null ? null : gw.data();
    double gp = 0;
    double gn = 0;
    for (int i = 0; i < x.length; i++) {
      boolean pos = x[i] > delta;
      boolean neg = x[i] < -delta;
      if (pos) {
        gp += gy[i];
      } else if (neg) {
        gn -= gy[i];
      }
      if (out != null) {
        out[i] = (pos ? wp : neg ? wn : 1f) * gy[i];
      }
    }
    return new Tensor[] {
      gw,
      needsGrad(1) ? Tensor.of(new float[] {(float) gp}, 1) : null,
      needsGrad(2) ? Tensor.of(new float[] {(float) gn}, 1) : null
    };
  }
}
