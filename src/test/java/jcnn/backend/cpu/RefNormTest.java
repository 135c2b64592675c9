package jcnn.backend.cpu;

import static jcnn.backend.cpu.RefAsserts.assertClose;

import jcnn.backend.Backend;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The reference batch norm: training and eval outputs and saved statistics against a manual
 * computation, the running-average update (unbiased variance, PyTorch's momentum convention), the
 * channel indexing of [N, C, H, W] inputs, and central finite differences of the backward pass in
 * both modes.
 */
class RefNormTest {
  private static final float EPS = 1e-5f;
  private final Backend ref = new ReferenceBackend();

  @Test
  void trainingNormalisesWithBatchStatsAndUpdatesRunningStats() {
    // x [4, 2]: channel 0 = 1, 2, 3, 4 (mean 2.5, biased var 1.25, unbiased 5/3); channel 1 = 2s.
    Tensor x = Tensor.of(new float[] {1, 2, 2, 2, 3, 2, 4, 2}, 4, 2);
    Tensor gamma = Tensor.of(new float[] {2, 1}, 2);
    Tensor beta = Tensor.of(new float[] {0.5f, -1}, 2);
    Tensor runMean = Tensor.zeros(2);
    Tensor runVar = Tensor.full(1, 2);
    Tensor y = Tensor.zeros(4, 2);
    Tensor mean = Tensor.zeros(2);
    Tensor invStd = Tensor.zeros(2);
    ref.batchNormForward(x, gamma, beta, runMean, runVar, true, 0.1f, EPS, y, mean, invStd);

    double inv0 = 1 / Math.sqrt(1.25 + EPS);
    double inv1 = 1 / Math.sqrt(0 + EPS);
    assertClose(new double[] {2.5, 2}, mean.data());
    assertClose(new double[] {inv0, inv1}, invStd.data(), 1e-6, 1e-6);
    double[] expectedY = new double[8];
    for (int i = 0; i < 4; i++) {
      expectedY[2 * i] = 2 * (i + 1 - 2.5) * inv0 + 0.5;
      expectedY[2 * i + 1] = -1; // zero deviation: only beta remains
    }
    assertClose(expectedY, y.data(), 1e-6, 1e-6);
    // run = 0.9 run + 0.1 batch, the variance unbiased
    assertClose(new double[] {0.25, 0.2}, runMean.data());
    assertClose(new double[] {0.9 + 0.1 * 5 / 3.0, 0.9}, runVar.data());
  }

  @Test
  void evalNormalisesWithRunningStats() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    Tensor runMean = Tensor.of(new float[] {1, -1}, 2);
    Tensor runVar = Tensor.of(new float[] {4, 0.25f}, 2);
    Tensor y = Tensor.zeros(2, 2);
    Tensor mean = Tensor.zeros(2);
    Tensor invStd = Tensor.zeros(2);
    Tensor gamma = Tensor.of(new float[] {1, 3}, 2);
    Tensor beta = Tensor.of(new float[] {0, 1}, 2);
    ref.batchNormForward(x, gamma, beta, runMean, runVar, false, 0.1f, EPS, y, mean, invStd);
    double inv0 = 1 / Math.sqrt(4 + EPS);
    double inv1 = 1 / Math.sqrt(0.25 + EPS);
    // row-major [N, C]: x[n, 0] = 1, 3 is channel 0, x[n, 1] = 2, 4 is channel 1
    double[] expected = {0, 1 + 3 * (2 + 1) * inv1, (3 - 1) * inv0, 1 + 3 * (4 + 1) * inv1};
    assertClose(expected, y.data(), 1e-6, 1e-6);
    assertClose(new double[] {1, -1}, mean.data());
    assertClose(new double[] {inv0, inv1}, invStd.data(), 1e-7, 1e-6);
    assertClose(new double[] {1, -1}, runMean.data()); // unchanged in eval
    assertClose(new double[] {4, 0.25}, runVar.data());
  }

  @Test
  void channelsOf4dInput() {
    // x [2, 2, 1, 2]: channel 0 holds 1, 2 | 3, 4; channel 1 holds 10, 10 | 20, 20.
    Tensor x = Tensor.of(new float[] {1, 2, 10, 10, 3, 4, 20, 20}, 2, 2, 1, 2);
    Tensor mean = Tensor.zeros(2);
    Tensor invStd = Tensor.zeros(2);
    ref.batchNormForward(
        x,
        Tensor.full(1, 2),
        Tensor.zeros(2),
        Tensor.zeros(2),
        Tensor.full(1, 2),
        true,
        0.1f,
        EPS,
        Tensor.zeros(2, 2, 1, 2),
        mean,
        invStd);
    assertClose(new double[] {2.5, 15}, mean.data());
    assertClose(new double[] {1 / Math.sqrt(1.25 + EPS), 1 / Math.sqrt(25 + EPS)}, invStd.data());
  }

  @Test
  void trainingBackwardMatchesFiniteDifferences() {
    checkBackward(true);
  }

  @Test
  void evalBackwardMatchesFiniteDifferences() {
    checkBackward(false);
  }

  /**
   * L = sum of c * batchNorm(x) with fixed random c (dL/dy = c); compares gx, gGamma and gBeta with
   * central differences of L summed in double. In training, x's every element moves the batch mean
   * and variance, which the backward must account for.
   */
  private void checkBackward(boolean training) {
    Tensor x = Tensor.randn(21, 1.5f, 3, 2, 2, 3); // [N, C, H, W]
    Tensor gamma = Tensor.uniform(22, 0.5f, 2f, 2);
    Tensor beta = Tensor.randn(23, 1, 2);
    Tensor runMean = Tensor.randn(24, 0.5f, 2);
    Tensor runVar = Tensor.uniform(25, 0.5f, 2f, 2);
    Tensor c = Tensor.randn(26, 1, 3, 2, 2, 3);
    Tensor mean = Tensor.zeros(2);
    Tensor invStd = Tensor.zeros(2);
    Forward f = new Forward(x, gamma, beta, runMean, runVar, training, c);
    f.loss(mean, invStd); // fills the saved statistics from the unperturbed x
    Tensor gx = Tensor.full(Float.NaN, 3, 2, 2, 3);
    Tensor gGamma = Tensor.full(Float.NaN, 2);
    Tensor gBeta = Tensor.full(Float.NaN, 2);
    ref.batchNormBackward(x, c, gamma, mean, invStd, training, gx, gGamma, gBeta);
    assertClose(f.numericGrad(x), gx.data(), 1e-3, 1e-2);
    assertClose(f.numericGrad(gamma), gGamma.data(), 1e-3, 1e-2);
    assertClose(f.numericGrad(beta), gBeta.data(), 1e-3, 1e-2);
  }

  /** The forward pass as a function of its (perturbed in place) inputs, for finite differences. */
  private final class Forward {
    final Tensor x;
    final Tensor gamma;
    final Tensor beta;
    final Tensor runMean;
    final Tensor runVar;
    final boolean training;
    final Tensor c;

    Forward(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, boolean training, Tensor c) {
      this.x = x;
      this.gamma = gamma;
      this.beta = beta;
      this.runMean = rm;
      this.runVar = rv;
      this.training = training;
      this.c = c;
    }

    double loss(Tensor saveMean, Tensor saveInvStd) {
      // Copies of the running stats: training mode updates them, and each probe must start equal.
      Tensor y = Tensor.zeros(x.shape());
      ref.batchNormForward(
          x,
          gamma,
          beta,
          runMean.copy(),
          runVar.copy(),
          training,
          0.1f,
          EPS,
          y,
          saveMean,
          saveInvStd);
      double sum = 0;
      for (int i = 0; i < y.numel(); i++) {
        sum += (double) c.data()[i] * y.data()[i];
      }
      return sum;
    }

    double[] numericGrad(Tensor wrt) {
      float h = 1f / 64; // exact in float, so v +- h is exactly representable near |v| ~ 1
      double[] grad = new double[wrt.numel()];
      for (int i = 0; i < grad.length; i++) {
        float v = wrt.data()[i];
        wrt.data()[i] = v + h;
        double plus = loss(Tensor.zeros(2), Tensor.zeros(2));
        wrt.data()[i] = v - h;
        double minus = loss(Tensor.zeros(2), Tensor.zeros(2));
        wrt.data()[i] = v;
        grad[i] = (plus - minus) / (2 * h);
      }
      return grad;
    }
  }
}
