package jcnn.autograd.ops;

import java.util.SplittableRandom;
import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.tensor.Tensor;

/**
 * Binarized weights with a straight-through gradient: BinaryConnect (Courbariaux et al. 2015) and
 * the weights of BNN (Hubara et al. 2016), with the optional per-output-channel scale of XNOR-Net
 * (Rastegari et al. 2016).
 *
 * <p>Forward, over a weight w whose first dimension is the output channel k (rows of n_k weights):
 *
 * <pre>
 *   deterministic  b_i = sign(w_i), sign(0) = +1
 *   stochastic     b_i = +1 with probability p_i = hardSigmoid(w_i) = clip((w_i + 1) / 2, 0, 1),
 *                  else -1; u_i uniform in [0, 1) from a stream seeded by the caller, b_i = +1 iff
 *                  u_i &lt; p_i
 *   y_i = a_k b_i,  a_k = mean_{j in row k} |w_j| when scaled, else a_k = 1
 * </pre>
 *
 * <p>Gradient: sign has derivative 0 almost everywhere, so the straight-through estimator of
 * Courbariaux et al. takes the derivative of hardtanh instead (1 where |w| &lt;= 1, 0 elsewhere,
 * which cancels the gradient of weights that have saturated). With the scale, a_k is a function of
 * the row too (d a_k / d w_i = sign(w_i) / n_k), as XNOR-Net's gradient has it:
 *
 * <pre>
 *   gw_i = a_k g_i 1{|w_i| &lt;= 1} + [scaled] sign(w_i) / n_k * sum_{j in row k} g_j b_j
 * </pre>
 *
 * Tested by {@code QuantOpsTest} (hand-computed values for the sign part, central differences for
 * the scale part).
 */
public final class Binarize extends Function {
  private Tensor w;
  private float[] b;
  private float[] scale;

  /**
   * @param stochastic draw b from the hard-sigmoid probabilities rather than taking the sign
   * @param seed the stream of the draws (ignored when deterministic): a given seed gives the same
   *     b, so a training run stays a pure function of its seed
   * @param scaled multiply each output channel by its mean |w|
   */
  public static Variable apply(Variable w, boolean stochastic, long seed, boolean scaled) {
    Binarize f = new Binarize();
    float[] x = w.value().dataForRead();
    int rows = w.shape().dim(0);
    int n = x.length / rows;
    float[] b = new float[x.length];
    SplittableRandom rng = stochastic ? new SplittableRandom(seed) : null;
    for (int i = 0; i < x.length; i++) {
      if (rng == null) {
        b[i] = x[i] >= 0 ? 1f : -1f;
      } else {
        double p = Math.min(1.0, Math.max(0.0, (x[i] + 1.0) / 2.0));
        b[i] = rng.nextDouble() < p ? 1f : -1f;
      }
    }
    float[] a = new float[rows];
    for (int k = 0; k < rows; k++) {
      if (!scaled) {
        a[k] = 1f;
        continue;
      }
      double s = 0;
      for (int i = k * n; i < (k + 1) * n; i++) {
        s += Math.abs(x[i]);
      }
      a[k] = (float) (s / n);
    }
    Tensor y = Tensor.zeros(w.shape());
    float[] out = y.data();
    for (int i = 0; i < out.length; i++) {
      out[i] = a[i / n] * b[i];
    }
    f.w = w.value();
    f.b = b;
    f.scale = scaled ? a : null;
    return f.record(y, w);
  }

  @Override
  public String name() {
    return "binarize";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    float[] x = w.dataForRead();
    float[] gy = g.dataForRead();
    int rows = w.shape().dim(0);
    int n = x.length / rows;
    Tensor gw = Tensor.zeros(w.shape());
    float[] out = gw.data();
    for (int k = 0; k < rows; k++) {
      float a = scale == null ? 1f : scale[k];
      double gb = 0; // sum_j g_j b_j over the row: the gradient reaching a_k
      for (int i = k * n; i < (k + 1) * n; i++) {
        out[i] = Math.abs(x[i]) <= 1f ? a * gy[i] : 0f;
        gb += (double) gy[i] * b[i];
      }
      if (scale != null) {
        float perWeight = (float) (gb / n);
        for (int i = k * n; i < (k + 1) * n; i++) {
          out[i] += x[i] > 0 ? perWeight : x[i] < 0 ? -perWeight : 0f;
        }
      }
    }
    return new Tensor[] {gw};
  }
}
