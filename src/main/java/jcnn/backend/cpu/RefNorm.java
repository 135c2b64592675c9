package jcnn.backend.cpu;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Reference batch normalisation (Ioffe and Szegedy, "Batch Normalization", ICML 2015) over channel
 * dim 1 of x [N, C] or [N, C, H, W]. Each channel c has m = N*H*W values; with xhat = (x - mean) *
 * invStd and invStd = 1 / sqrt(var + eps):
 *
 * <pre>
 *   y      = gamma * xhat + beta
 *   gBeta  = sum gy                   gGamma = sum gy * xhat
 *   gx     = gamma * invStd * gy                                           (eval: stats fixed)
 *   gx     = gamma * invStd / m * (m * gy - gBeta - xhat * gGamma)         (training)
 * </pre>
 *
 * The training formula differentiates through the batch mean and variance. Normalisation uses the
 * biased variance (divide by m); the running variance is updated with the unbiased one (m - 1), as
 * in PyTorch. Sums are in double. Tested by {@code RefNormTest}: hand numbers, running statistics
 * and a central finite-difference check of the training backward.
 */
final class RefNorm {
  private RefNorm() {}

  static void forward(
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
    String op = "batchNorm";
    Shape cs = channelShape(op, x);
    String from = "for x " + x.shape();
    RefChecks.shape(op, "gamma", gamma, cs, from);
    RefChecks.shape(op, "beta", beta, cs, from);
    RefChecks.shape(op, "runningMean", runningMean, cs, from);
    RefChecks.shape(op, "runningVar", runningVar, cs, from);
    RefChecks.shape(op, "saveMean", saveMean, cs, from);
    RefChecks.shape(op, "saveInvStd", saveInvStd, cs, from);
    RefChecks.shape(op, "y", y, x.shape(), "like " + from);
    RefChecks.range(op, "momentum", momentum, 0, 1);
    RefChecks.range(op, "eps", eps, 0, Double.MAX_VALUE);
    int c = cs.dim(0);
    int m = x.numel() / c;
    if (training && m < 2) {
      throw new IllegalArgumentException(
          op + ": training needs more than one value per channel, got x " + x.shape());
    }
    for (int ch = 0; ch < c; ch++) {
      double mean;
      double var;
      if (training) {
        mean = channelMean(x, ch);
        var = channelBiasedVar(x, ch, mean);
        double unbiased = var * m / (m - 1);
        runningMean.data()[ch] =
            (float) ((1 - momentum) * runningMean.data()[ch] + momentum * mean);
        runningVar.data()[ch] =
            (float) ((1 - momentum) * runningVar.data()[ch] + momentum * unbiased);
      } else {
        mean = runningMean.data()[ch];
        var = runningVar.data()[ch];
      }
      double invStd = 1 / Math.sqrt(var + eps);
      saveMean.data()[ch] = (float) mean;
      saveInvStd.data()[ch] = (float) invStd;
      normalise(x, y, ch, mean, invStd, gamma.data()[ch], beta.data()[ch]);
    }
  }

  static void backward(
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
    Shape cs = channelShape(op, x);
    String from = "for x " + x.shape();
    RefChecks.shape(op, "gy", gy, x.shape(), "like " + from);
    RefChecks.shape(op, "gx", gx, x.shape(), "like " + from);
    RefChecks.shape(op, "gamma", gamma, cs, from);
    RefChecks.shape(op, "saveMean", saveMean, cs, from);
    RefChecks.shape(op, "saveInvStd", saveInvStd, cs, from);
    RefChecks.shape(op, "gGamma", gGamma, cs, from);
    RefChecks.shape(op, "gBeta", gBeta, cs, from);
    int c = cs.dim(0);
    int m = x.numel() / c;
    int inner = x.shape().sizeFrom(2); // H*W, or 1 for [N, C]
    int n = x.dim(0);
    float[] xd = x.data();
    float[] gyd = gy.data();
    float[] gxd = gx.data();
    for (int ch = 0; ch < c; ch++) {
      double mean = saveMean.data()[ch];
      double invStd = saveInvStd.data()[ch];
      double sumGy = 0;
      double sumGyXhat = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < inner; j++) {
          int at = (i * c + ch) * inner + j;
          sumGy += gyd[at];
          sumGyXhat += gyd[at] * (xd[at] - mean) * invStd;
        }
      }
      gBeta.data()[ch] = (float) sumGy;
      gGamma.data()[ch] = (float) sumGyXhat;
      double scale = gamma.data()[ch] * invStd;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < inner; j++) {
          int at = (i * c + ch) * inner + j;
          if (training) {
            double xhat = (xd[at] - mean) * invStd;
            gxd[at] = (float) (scale / m * (m * gyd[at] - sumGy - xhat * sumGyXhat));
          } else {
            gxd[at] = (float) (scale * gyd[at]);
          }
        }
      }
    }
  }

  /** Checks that x is [N, C] or [N, C, H, W] and returns [C], the shape of per-channel tensors. */
  private static Shape channelShape(String op, Tensor x) {
    if (x.rank() != 2 && x.rank() != 4) {
      throw new IllegalArgumentException(
          op + ": x has shape " + x.shape() + ", expected [N, C] or [N, C, H, W]");
    }
    return Shape.of(x.dim(1));
  }

  private static double channelMean(Tensor x, int ch) {
    int c = x.dim(1);
    int inner = x.shape().sizeFrom(2);
    double sum = 0;
    for (int i = 0; i < x.dim(0); i++) {
      for (int j = 0; j < inner; j++) {
        sum += x.data()[(i * c + ch) * inner + j];
      }
    }
    return sum / (x.dim(0) * inner);
  }

  /** Two-pass variance (divide by m): no cancellation from subtracting E[x]^2 from E[x^2]. */
  private static double channelBiasedVar(Tensor x, int ch, double mean) {
    int c = x.dim(1);
    int inner = x.shape().sizeFrom(2);
    double sum = 0;
    for (int i = 0; i < x.dim(0); i++) {
      for (int j = 0; j < inner; j++) {
        double d = x.data()[(i * c + ch) * inner + j] - mean;
        sum += d * d;
      }
    }
    return sum / (x.dim(0) * inner);
  }

  private static void normalise(
      Tensor x, Tensor y, int ch, double mean, double invStd, double gamma, double beta) {
    int c = x.dim(1);
    int inner = x.shape().sizeFrom(2);
    for (int i = 0; i < x.dim(0); i++) {
      for (int j = 0; j < inner; j++) {
        int at = (i * c + ch) * inner + j;
        y.data()[at] = (float) (gamma * (x.data()[at] - mean) * invStd + beta);
      }
    }
  }
}
