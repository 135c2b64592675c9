package jcnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jcnn.autograd.OpTrace;
import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.backend.UnaryOp;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A batch norm followed by a ReLU or ReLU6 in a {@link Sequential} runs as one op (the fast CPU
 * backend's fused kernel, the other backends' default of two ops): the same output, running
 * statistics and gradients as the two ops one after the other, with many values on both sides of
 * the clamp, in training and in eval, on the reference and the fast backend.
 */
class BatchNormActTest {
  @ParameterizedTest(name = "{0} {1} training={2}")
  @CsvSource({
    "reference, relu6, true",
    "reference, relu, true",
    "cpu, relu6, true",
    "cpu, relu6, false",
    "cpu, relu, true",
    "cpu, relu, false"
  })
  void fusedEqualsTheTwoOps(String backend, String act, boolean training) {
    Backend b = backend.equals("cpu") ? Backends.cpu(2) : Backends.reference();
    Backend previous = Backends.use(b);
    try {
      int[] dims = {4, 3, 5, 7}; // 35 values a plane: vector lanes and a scalar tail
      Tensor x = Tensor.randn(1, 1f, dims);
      Tensor gy = Tensor.randn(2, 1f, dims);
      Module activation = act.equals("relu") ? new ReLU() : new ReLU6();
      BatchNorm2d fusedBn = bn(training);
      BatchNorm2d plainBn = bn(training);
      Sequential fused = new Sequential(fusedBn, activation);

      Variable xf = Variable.param(x.copy());
      Variable yf = fused.forward(xf);
      Variable xp = Variable.param(x.copy());
      Variable yp = activation.forward(plainBn.forward(xp));
      assertArrayEquals(yp.value().data(), yf.value().data(), 1e-5f, "y");
      int clampedLow = 0;
      int clampedHigh = 0;
      for (float v : yf.value().data()) {
        clampedLow += v == 0f ? 1 : 0;
        clampedHigh += v == 6f ? 1 : 0;
      }
      assertTrue(clampedLow > 20, "values below the clamp: " + clampedLow);
      if (act.equals("relu6")) {
        assertTrue(clampedHigh > 20, "values above the clamp: " + clampedHigh);
      }
      assertArrayEquals(
          plainBn.runningMean().data(), fusedBn.runningMean().data(), 1e-6f, "runningMean");
      assertArrayEquals(
          plainBn.runningVar().data(), fusedBn.runningVar().data(), 1e-5f, "runningVar");

      F.sum(F.mul(yf, Variable.constant(gy))).backward();
      F.sum(F.mul(yp, Variable.constant(gy))).backward();
      assertArrayEquals(xp.grad().data(), xf.grad().data(), 1e-4f, "gx");
      assertArrayEquals(
          plainBn.gamma().grad().data(), fusedBn.gamma().grad().data(), 1e-4f, "gGamma");
      assertArrayEquals(plainBn.beta().grad().data(), fusedBn.beta().grad().data(), 1e-4f, "gBeta");
    } finally {
      Backends.use(previous);
    }
  }

  /** Gamma 4 and beta 2 put a quarter to a half of the values past each side of the clamp. */
  private static BatchNorm2d bn(boolean training) {
    BatchNorm2d bn = new BatchNorm2d(3);
    bn.gamma().value().fill(4f);
    bn.beta().value().fill(2f);
    bn.runningMean().fill(0.2f);
    bn.runningVar().fill(0.5f);
    if (training) {
      bn.train();
    } else {
      bn.eval();
    }
    return bn;
  }

  @Test
  void theFusedPairIsOneOpAndOnlyExactClassesFuse() {
    Variable x = Variable.constant(Tensor.randn(3, 1f, 2, 3, 4, 4));
    List<OpTrace.Op> ops =
        OpTrace.record(() -> new Sequential(new BatchNorm2d(3), new ReLU6()).forward(x));
    assertEquals(List.of("batchNorm+relu6"), ops.stream().map(OpTrace.Op::name).toList());
    ReLU custom =
        new ReLU() {
          @Override
          public Variable forward(Variable v) {
            return F.relu6(v);
          }
        };
    ops = OpTrace.record(() -> new Sequential(new BatchNorm2d(3), custom).forward(x));
    assertEquals(List.of("batchNorm", "relu6"), ops.stream().map(OpTrace.Op::name).toList());
  }

  @Test
  void otherActivationsAreRefused() {
    BatchNorm2d bn = new BatchNorm2d(3);
    Variable x = Variable.constant(Tensor.randn(3, 1f, 2, 3, 4, 4));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> bn.forward(x, UnaryOp.TANH));
    assertTrue(e.getMessage().contains("relu or relu6, got TANH"), e.getMessage());
  }
}
