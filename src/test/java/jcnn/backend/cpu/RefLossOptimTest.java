package jcnn.backend.cpu;

import static jcnn.backend.cpu.RefAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcnn.backend.Backend;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The reference softmax cross-entropy (values against a direct computation, stability at logits of
 * 1000) and the SGD and Adam steps against numbers worked out by hand (Adam's from a NumPy
 * transcription of PyTorch's update).
 */
class RefLossOptimTest {
  private final Backend ref = new ReferenceBackend();

  @Test
  void softmaxCrossEntropyValues() {
    Tensor logits = Tensor.of(new float[] {1, 2, 3, 0, 0, 0}, 2, 3);
    IntTensor labels = IntTensor.of(new int[] {2, 0}, 2);
    Tensor probs = Tensor.zeros(2, 3);
    double loss = ref.softmaxCrossEntropy(logits, labels, probs);
    double z0 = Math.exp(1) + Math.exp(2) + Math.exp(3);
    double[] expectedProbs = {
      Math.exp(1) / z0, Math.exp(2) / z0, Math.exp(3) / z0, 1 / 3.0, 1 / 3.0, 1 / 3.0
    };
    assertClose(expectedProbs, probs.data(), 1e-7, 1e-6);
    double expectedLoss = (-Math.log(Math.exp(3) / z0) - Math.log(1 / 3.0)) / 2;
    assertEquals(expectedLoss, loss, 1e-12);

    Tensor g = Tensor.full(Float.NaN, 2, 3);
    ref.softmaxCrossEntropyBackward(probs, labels, 0.5f, g);
    double[] expectedG = new double[6];
    for (int i = 0; i < 6; i++) {
      expectedG[i] = 0.5 * (expectedProbs[i] - (i == 2 || i == 3 ? 1 : 0));
    }
    assertClose(expectedG, g.data(), 1e-7, 1e-6);
  }

  @Test
  void softmaxCrossEntropyIsStableForHugeLogits() {
    Tensor logits = Tensor.of(new float[] {1000, 0, -1000, 1000, 1000, 1000}, 2, 3);
    Tensor probs = Tensor.zeros(2, 3);
    double loss = ref.softmaxCrossEntropy(logits, IntTensor.of(new int[] {1, 0}, 2), probs);
    assertTrue(probs.allFinite());
    // row 0: -log p[1] = 1000 (to double precision); row 1: log 3
    assertEquals((1000 + Math.log(3)) / 2, loss, 1e-9);
    assertClose(new double[] {1, 0, 0, 1 / 3.0, 1 / 3.0, 1 / 3.0}, probs.data(), 1e-7, 1e-6);
  }

  @Test
  void sgdPlainWithWeightDecay() {
    Tensor w = Tensor.of(new float[] {1, -2}, 2);
    Tensor g = Tensor.of(new float[] {0.5f, 0.25f}, 2);
    ref.sgdStep(w, g, null, 0.1f, 0, 0.01f, false);
    // g' = g + 0.01 w = [0.51, 0.23]; w -= 0.1 g'
    assertClose(new double[] {0.949, -2.023}, w.data());
  }

  @Test
  void sgdMomentumTwoSteps() {
    Tensor w = Tensor.of(new float[] {1, -2}, 2);
    Tensor g = Tensor.of(new float[] {0.5f, 0.25f}, 2);
    Tensor v = Tensor.zeros(2);
    ref.sgdStep(w, g, v, 0.1f, 0.9f, 0.01f, false);
    assertClose(new double[] {0.51, 0.23}, v.data());
    assertClose(new double[] {0.949, -2.023}, w.data());
    ref.sgdStep(w, g, v, 0.1f, 0.9f, 0.01f, false);
    // g' = [0.50949, 0.22977]; v = 0.9 v + g' = [0.96849, 0.43677]; w -= 0.1 v
    assertClose(new double[] {0.96849, 0.43677}, v.data());
    assertClose(new double[] {0.852151, -2.066677}, w.data());
  }

  @Test
  void sgdNesterov() {
    Tensor w = Tensor.of(new float[] {1, -2}, 2);
    Tensor g = Tensor.of(new float[] {0.5f, 0.25f}, 2);
    Tensor v = Tensor.zeros(2);
    ref.sgdStep(w, g, v, 0.1f, 0.9f, 0.01f, true);
    // v = g' = [0.51, 0.23]; step = g' + 0.9 v = 1.9 g' = [0.969, 0.437]
    assertClose(new double[] {0.51, 0.23}, v.data());
    assertClose(new double[] {0.9031, -2.0437}, w.data());
  }

  @Test
  void adamTwoStepsWithWeightDecay() {
    Tensor w = Tensor.of(new float[] {1, -2}, 2);
    Tensor m = Tensor.zeros(2);
    Tensor v = Tensor.zeros(2);
    ref.adamStep(
        w, Tensor.of(new float[] {0.5f, 0.25f}, 2), m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, 1);
    // step 1: g' = [0.6, 0.05]; mhat = g', vhat = g'^2, so w moves by lr * sign(g')
    assertClose(new double[] {0.06, 0.005}, m.data());
    // 0.999f is 0.99900001..., so 1 - beta2 is off by 1.3e-5 relative: hence rtol 1e-4 for v
    assertClose(new double[] {3.6e-4, 2.5e-6}, v.data(), 1e-10, 1e-4);
    assertClose(new double[] {0.9, -2.09999998}, w.data());
    ref.adamStep(
        w, Tensor.of(new float[] {-0.5f, 1f}, 2), m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, 2);
    assertClose(new double[] {0.013, 0.0835}, m.data());
    assertClose(new double[] {0.00052774, 0.0006266}, v.data(), 1e-10, 1e-4);
    assertClose(new double[] {0.88668362, -2.17849551}, w.data());
  }
}
