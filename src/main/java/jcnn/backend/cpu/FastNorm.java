package jcnn.backend.cpu;

import jcnn.backend.Checks;
import jcnn.backend.UnaryOp;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalisation (Ioffe and Szegedy, 2015) over channel dim 1 of [N, C] or [N, C, H, W],
 * threads splitting the channels. Per channel, forward is two passes over its N runs of H*W floats
 * (the statistics, from shifted sums so that one pass loses no digits, then the normalising
 * multiply-add) and backward is two (both reductions together, then gx): batch norm is memory
 * bound, and in a JFR profile of a MobileNet V2 training step it took 23% of the samples with the
 * earlier three passes each way and per-run reductions. Training backward uses the closed form gx =
 * gamma * invStd * (gy - mean(gy) - xhat * mean(gy * xhat)). Tested against the reference in
 * CpuBackendParityTest.
 */
final class FastNorm {
  /** Elements per task. */
  private static final int GRAIN = 1 << 14;

  private static final VectorSpecies<Float> V = FastReduce.F;

  /** Values summed in float lanes before the partial sums move to double. */
  private static final int FLUSH = 4096;

  /** Values whose mean is the shift of the one-pass variance. */
  private static final int SHIFT_VALUES = 64;

  private FastNorm() {}

  /** [N, C, H*W] view of a batch-norm input; hw is 1 for [N, C]. */
  private record Layout(int n, int c, int hw) {
    static Layout of(String op, Tensor x) {
      if (x.rank() != 2 && x.rank() != 4) {
        throw new IllegalArgumentException(
            op + ": x " + x.shape() + " must be [N, C] or [N, C, H, W]");
      }
      return new Layout(x.dim(0), x.dim(1), x.rank() == 4 ? x.dim(2) * x.dim(3) : 1);
    }

    int minChannels() {
      return Math.max(1, GRAIN / Math.max(1, n * hw));
    }

    /** Offset of sample i's run of channel ch. */
    int run(int i, int ch) {
      return (i * c + ch) * hw;
    }
  }

  static void forward(
      Parallel par,
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      float momentum,
      float eps,
      UnaryOp act,
      Tensor y,
      Tensor saveMean,
      Tensor saveInvStd) {
    String op = "batchNormForward";
    float[] bounds =
        act == null
            ? new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}
            : Checks.activationBounds(act);
    Layout l = Layout.of(op, x);
    Shape cs = Shape.of(l.c());
    Checks.shape(op, "gamma", gamma, cs);
    Checks.shape(op, "beta", beta, cs);
    Checks.shape(op, "runningMean", runningMean, cs);
    Checks.shape(op, "runningVar", runningVar, cs);
    Checks.shape(op, "saveMean", saveMean, cs);
    Checks.shape(op, "saveInvStd", saveInvStd, cs);
    Checks.shape(op, "y", y, x.shape());
    if (!(momentum >= 0 && momentum <= 1) || !(eps >= 0)) {
      throw new IllegalArgumentException(
          op + ": momentum " + momentum + " must be in [0, 1] and eps " + eps + " >= 0");
    }
    if (training && l.n() * l.hw() < 2) {
      throw new IllegalArgumentException(
          op + ": training needs more than one value per channel, got x " + x.shape());
    }
    float[] xd = x.data();
    float[] yd = y.data();
    par.forRange(
        l.c(),
        l.minChannels(),
        (from, to) -> {
          for (int ch = from; ch < to; ch++) {
            float mean;
            float invStd;
            if (training) {
              double[] stats = batchStats(xd, l, ch);
              mean = (float) stats[0];
              invStd = (float) (1 / Math.sqrt(stats[1] + eps));
              updateRunning(runningMean, runningVar, ch, momentum, stats, l.n() * l.hw());
            } else {
              mean = runningMean.data()[ch];
              invStd = (float) (1 / Math.sqrt(runningVar.data()[ch] + (double) eps));
            }
            saveMean.data()[ch] = mean;
            saveInvStd.data()[ch] = invStd;
            normalise(xd, yd, l, ch, mean, gamma.data()[ch] * invStd, beta.data()[ch], bounds);
          }
        });
  }

  /**
   * {mean, biased variance} of channel ch in one pass over its N runs: the sums of d = x - shift
   * and of d * d, where shift is the mean of the channel's first {@link #SHIFT_VALUES} values, so d
   * is centred well enough that var = E[d^2] - E[d]^2 keeps its digits (the textbook one-pass form
   * without the shift loses them all when the mean is large against the spread). The sums run in
   * float lanes across runs and move to double every {@link #FLUSH} values.
   */
  private static double[] batchStats(float[] x, Layout l, int ch) {
    float shift = shiftOf(x, l, ch);
    int hw = l.hw();
    int vEnd = V.loopBound(hw);
    // The lane sums live in arrays between runs: a vector carried across the outer loop and its
    // flushes is not kept in registers by C2 (it is boxed, which made this loop 3x slower).
    float[] lanes1 = new float[V.length()];
    float[] lanes2 = new float[V.length()];
    double s1 = 0;
    double s2 = 0;
    int pending = 0;
    for (int i = 0; i < l.n(); i++) {
      int off = l.run(i, ch);
      FloatVector a1 = FloatVector.fromArray(V, lanes1, 0);
      FloatVector a2 = FloatVector.fromArray(V, lanes2, 0);
      int j = 0;
      for (; j < vEnd; j += V.length()) {
        FloatVector d = FloatVector.fromArray(V, x, off + j).sub(shift);
        a1 = a1.add(d);
        a2 = d.fma(d, a2);
      }
      a1.intoArray(lanes1, 0);
      a2.intoArray(lanes2, 0);
      for (; j < hw; j++) {
        float d = x[off + j] - shift;
        s1 += d;
        s2 += d * d;
      }
      pending += vEnd;
      if (pending >= FLUSH || i == l.n() - 1) {
        s1 += flush(lanes1);
        s2 += flush(lanes2);
        pending = 0;
      }
    }
    double m = (double) l.n() * hw;
    double meanD = s1 / m;
    return new double[] {shift + meanD, Math.max(0, s2 / m - meanD * meanD)};
  }

  /**
   * gy[i, i + lanes), where masked zero in the lanes whose z = (x - mean) * scale + shift (as
   * normalise computes it) is outside (lo, hi).
   */
  private static FloatVector masked(
      boolean masked,
      float[] gy,
      float[] x,
      int i,
      float mean,
      float scale,
      float shift,
      float lo,
      float hi) {
    FloatVector g = FloatVector.fromArray(V, gy, i);
    if (!masked) {
      return g;
    }
    FloatVector z =
        FloatVector.fromArray(V, x, i).sub(mean).lanewise(VectorOperators.FMA, scale, shift);
    return FloatVector.zero(V)
        .blend(g, z.compare(VectorOperators.GT, lo).and(z.compare(VectorOperators.LT, hi)));
  }

  /** The scalar form of {@link #masked}, as normalise's scalar tail computes z. */
  private static float maskedAt(
      boolean masked,
      float[] gy,
      float[] x,
      int i,
      float mean,
      float scale,
      float shift,
      float lo,
      float hi) {
    if (!masked) {
      return gy[i];
    }
    float z = (x[i] - mean) * scale + shift;
    return z > lo && z < hi ? gy[i] : 0f;
  }

  /** The sum of the lanes, which are zeroed. */
  private static double flush(float[] lanes) {
    double s = 0;
    for (int k = 0; k < lanes.length; k++) {
      s += lanes[k];
      lanes[k] = 0f;
    }
    return s;
  }

  /** The mean of channel ch's first (up to) SHIFT_VALUES values, in run order. */
  private static float shiftOf(float[] x, Layout l, int ch) {
    double s = 0;
    int count = 0;
    for (int i = 0; i < l.n() && count < SHIFT_VALUES; i++) {
      int off = l.run(i, ch);
      int len = Math.min(l.hw(), SHIFT_VALUES - count);
      for (int j = off; j < off + len; j++) {
        s += x[j];
      }
      count += len;
    }
    return (float) (s / count);
  }

  /** run = (1 - momentum) * run + momentum * batch; the variance enters unbiased. */
  private static void updateRunning(
      Tensor runMean, Tensor runVar, int ch, float momentum, double[] stats, int count) {
    double unbiased = stats[1] * count / (count - 1);
    float[] rm = runMean.data();
    float[] rv = runVar.data();
    rm[ch] = (float) ((1 - momentum) * rm[ch] + momentum * stats[0]);
    rv[ch] = (float) ((1 - momentum) * rv[ch] + momentum * unbiased);
  }

  /** y = clamp((x - mean) * scale + shift, bounds[0], bounds[1]) over channel ch. */
  private static void normalise(
      float[] x,
      float[] y,
      Layout l,
      int ch,
      float mean,
      float scale,
      float shift,
      float[] bounds) {
    float lo = bounds[0];
    float hi = bounds[1];
    int hw = l.hw();
    int vEnd = V.loopBound(hw);
    for (int i = 0; i < l.n(); i++) {
      int off = l.run(i, ch);
      int j = 0;
      for (; j < vEnd; j += V.length()) {
        FloatVector.fromArray(V, x, off + j)
            .sub(mean)
            .lanewise(VectorOperators.FMA, scale, shift)
            .max(lo)
            .min(hi)
            .intoArray(y, off + j);
      }
      for (; j < hw; j++) {
        y[off + j] = Math.min(Math.max((x[off + j] - mean) * scale + shift, lo), hi);
      }
    }
  }

  /**
   * Gradients of batch norm; with act (RELU or RELU6, else null) of act(batchNorm(x)), gy counting
   * only where z = batchNorm(x) lies strictly inside the activation's range. z is recomputed from
   * x, gamma, beta and the saved statistics exactly as {@link #normalise} computed it, so the mask
   * is the forward's bit for bit and the output need not be read: one stream less in both passes.
   */
  static void backward(
      Parallel par,
      Tensor x,
      UnaryOp act,
      Tensor beta,
      Tensor gy,
      Tensor gamma,
      Tensor saveMean,
      Tensor saveInvStd,
      boolean training,
      Tensor gx,
      Tensor gGamma,
      Tensor gBeta) {
    String op = "batchNormBackward";
    Layout l = Layout.of(op, x);
    Shape cs = Shape.of(l.c());
    Checks.shape(op, "gy", gy, x.shape());
    Checks.shape(op, "gx", gx, x.shape());
    Checks.shape(op, "gamma", gamma, cs);
    Checks.shape(op, "saveMean", saveMean, cs);
    Checks.shape(op, "saveInvStd", saveInvStd, cs);
    Checks.shape(op, "gGamma", gGamma, cs);
    Checks.shape(op, "gBeta", gBeta, cs);
    if (act != null) {
      Checks.shape(op, "beta", beta, cs);
    }
    float[] bounds = Checks.activationBounds(act); // null: no activation
    par.forRange(
        l.c(),
        l.minChannels(),
        (from, to) -> {
          for (int ch = from; ch < to; ch++) {
            backwardChannel(
                x.data(),
                bounds,
                act == null ? 0f : beta.data()[ch],
                gy.data(),
                gx.data(),
                l,
                ch,
                gamma.data()[ch],
                saveMean.data()[ch],
                saveInvStd.data()[ch],
                training,
                gGamma.data(),
                gBeta.data());
          }
        });
  }

  private static void backwardChannel(
      float[] x,
      float[] bounds,
      float beta,
      float[] gy,
      float[] gx,
      Layout l,
      int ch,
      float gamma,
      float mean,
      float invStd,
      boolean training,
      float[] gGamma,
      float[] gBeta) {
    // One pass for both sums, float lanes across runs, moved to double every FLUSH values.
    boolean masked = bounds != null;
    float lo = masked ? bounds[0] : 0f;
    float hi = masked ? bounds[1] : 0f;
    float a = gamma * invStd; // normalise's scale, and gx's factor of gy
    int hw = l.hw();
    int vEnd = V.loopBound(hw);
    float[] lanes1 = new float[V.length()];
    float[] lanes2 = new float[V.length()];
    double sumGy = 0;
    double sumGyXc = 0; // sum of gy * (x - mean)
    int pending = 0;
    for (int i = 0; i < l.n(); i++) {
      int off = l.run(i, ch);
      FloatVector a1 = FloatVector.fromArray(V, lanes1, 0);
      FloatVector a2 = FloatVector.fromArray(V, lanes2, 0);
      int j = 0;
      for (; j < vEnd; j += V.length()) {
        FloatVector g = masked(masked, gy, x, off + j, mean, a, beta, lo, hi);
        a1 = a1.add(g);
        a2 = g.fma(FloatVector.fromArray(V, x, off + j).sub(mean), a2);
      }
      a1.intoArray(lanes1, 0);
      a2.intoArray(lanes2, 0);
      for (; j < hw; j++) {
        float g = maskedAt(masked, gy, x, off + j, mean, a, beta, lo, hi);
        sumGy += g;
        sumGyXc += g * (x[off + j] - mean);
      }
      pending += vEnd;
      if (pending >= FLUSH || i == l.n() - 1) {
        sumGy += flush(lanes1);
        sumGyXc += flush(lanes2);
        pending = 0;
      }
    }
    gBeta[ch] = (float) sumGy;
    gGamma[ch] = (float) (sumGyXc * invStd);
    double m = (double) l.n() * hw;
    // Training: gx = a * gy + b * (x - mean) + c, the batch statistics' share in b and c.
    float b = training ? (float) (-a * invStd * invStd * sumGyXc / m) : 0f;
    float c = training ? (float) (-a * sumGy / m) : 0f;
    for (int i = 0; i < l.n(); i++) {
      int off = l.run(i, ch);
      int j = 0;
      for (; j < vEnd; j += V.length()) {
        FloatVector g =
            masked(masked, gy, x, off + j, mean, a, beta, lo, hi)
                .lanewise(VectorOperators.FMA, a, c);
        FloatVector.fromArray(V, x, off + j)
            .sub(mean)
            .lanewise(VectorOperators.FMA, FloatVector.broadcast(V, b), g)
            .intoArray(gx, off + j);
      }
      for (; j < hw; j++) {
        gx[off + j] =
            a * maskedAt(masked, gy, x, off + j, mean, a, beta, lo, hi)
                + b * (x[off + j] - mean)
                + c;
      }
    }
  }
}
