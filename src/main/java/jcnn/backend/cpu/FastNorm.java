package jcnn.backend.cpu;

import jcnn.backend.Checks;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Batch normalisation (Ioffe and Szegedy, 2015) over channel dim 1 of [N, C] or [N, C, H, W],
 * threads splitting the channels. Per channel the statistics are two passes over its N runs of H*W
 * floats (mean, then squared deviations: no cancellation), summed by {@link FastReduce} in float
 * lanes and double across runs; the normalising pass is one fused multiply-add per element.
 * Training backward uses the closed form gx = gamma * invStd * (gy - mean(gy) - xhat * mean(gy *
 * xhat)). Tested against the reference in CpuBackendParityTest.
 */
final class FastNorm {
  /** Elements per task. */
  private static final int GRAIN = 1 << 14;

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
      Tensor y,
      Tensor saveMean,
      Tensor saveInvStd) {
    String op = "batchNormForward";
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
            normalise(xd, yd, l, ch, mean, gamma.data()[ch] * invStd, beta.data()[ch]);
          }
        });
  }

  /** {mean, biased variance} of channel ch. */
  private static double[] batchStats(float[] x, Layout l, int ch) {
    double m = (double) l.n() * l.hw();
    double sum = 0;
    for (int i = 0; i < l.n(); i++) {
      sum += FastReduce.sum(x, l.run(i, ch), l.hw());
    }
    double mean = sum / m;
    double sq = 0;
    for (int i = 0; i < l.n(); i++) {
      sq += FastReduce.sumSquaredDeviations(x, l.run(i, ch), l.hw(), (float) mean);
    }
    return new double[] {mean, sq / m};
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

  private static void normalise(
      float[] x, float[] y, Layout l, int ch, float mean, float scale, float shift) {
    for (int i = 0; i < l.n(); i++) {
      int off = l.run(i, ch);
      for (int j = off; j < off + l.hw(); j++) {
        y[j] = (x[j] - mean) * scale + shift;
      }
    }
  }

  static void backward(
      Parallel par,
      Tensor x,
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
    par.forRange(
        l.c(),
        l.minChannels(),
        (from, to) -> {
          for (int ch = from; ch < to; ch++) {
            backwardChannel(
                x.data(),
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
    double sumGy = 0;
    double sumGyXc = 0; // sum of gy * (x - mean)
    for (int i = 0; i < l.n(); i++) {
      int off = l.run(i, ch);
      sumGy += FastReduce.sum(gy, off, l.hw());
      sumGyXc += FastReduce.dotCentered(gy, off, x, off, l.hw(), mean);
    }
    gBeta[ch] = (float) sumGy;
    gGamma[ch] = (float) (sumGyXc * invStd);
    double m = (double) l.n() * l.hw();
    float a = gamma * invStd;
    // Training: gx = a * gy + b * (x - mean) + c, the batch statistics' share in b and c.
    float b = training ? (float) (-a * invStd * invStd * sumGyXc / m) : 0f;
    float c = training ? (float) (-a * sumGy / m) : 0f;
    for (int i = 0; i < l.n(); i++) {
      int off = l.run(i, ch);
      for (int j = off; j < off + l.hw(); j++) {
        gx[j] = a * gy[j] + b * (x[j] - mean) + c;
      }
    }
  }
}
