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
  private float[] b; // the stochastic draws; null when deterministic (b = sign(w))
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
    Tensor y = Tensor.zeros(w.shape());
    float[] out = y.data();
    // one pass per row and no division per element; b is kept only where backward cannot
    // recompute it from w (the stochastic draws)
    float[] b = stochastic ? new float[x.length] : null;
    float[] a = scaled ? new float[rows] : null;
    SplittableRandom rng = stochastic ? new SplittableRandom(seed) : null;
    for (int k = 0; k < rows; k++) {
      int lo = k * n;
      int hi = lo + n;
      float ak = 1f;
      if (scaled) {
        double s = 0;
        for (int i = lo; i < hi; i++) {
          s += Math.abs(x[i]);
        }
        ak = (float) (s / n);
        a[k] = ak;
      }
      if (rng == null) {
        // branch-free: a latent weight's sign is a coin flip, so a branch on it mispredicts about
        // half the time (that line held 43% of a BNN MLP's profile samples); x + 0 turns -0.0 into
        // +0.0, so
        // sign(0) = +1 either way
        for (int i = lo; i < hi; i++) {
          out[i] = Math.copySign(ak, x[i] + 0f);
        }
      } else {
        for (int i = lo; i < hi; i++) {
          double p = Math.min(1.0, Math.max(0.0, (x[i] + 1.0) / 2.0));
          // +1 iff u < p, from the sign bit of u - p: branch-free, as the draws are coin flips
          float bi = (float) (2 * (Double.doubleToRawLongBits(rng.nextDouble() - p) >>> 63) - 1);
          b[i] = bi;
          out[i] = ak * bi;
        }
      }
    }
    f.w = w.value();
    f.b = b;
    f.scale = a;
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
      int lo = k * n;
      int hi = lo + n;
      float a = scale == null ? 1f : scale[k];
      for (int i = lo; i < hi; i++) {
        out[i] = Math.abs(x[i]) <= 1f ? a * gy[i] : 0f;
      }
      if (scale != null) {
        double gb = 0; // sum_j g_j b_j over the row: the gradient reaching a_k
        for (int i = lo; i < hi; i++) {
          float bi = b != null ? b[i] : Math.copySign(1f, x[i] + 0f);
          gb += (double) gy[i] * bi;
        }
        float perWeight = (float) (gb / n);
        for (int i = lo; i < hi; i++) {
          out[i] += x[i] > 0 ? perWeight : x[i] < 0 ? -perWeight : 0f;
        }
      }
    }
    return new Tensor[] {gw};
  }
}
