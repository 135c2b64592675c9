package jcnn.backend.cpu;

import static jcnn.backend.cpu.Parity.REF;
import static jcnn.backend.cpu.Parity.assertClose;
import static jcnn.backend.cpu.Parity.assertSame;
import static jcnn.backend.cpu.Parity.randn;

import jcnn.backend.Backend;
import jcnn.backend.PoolSpec;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast pooling and batch-norm ops equal the reference, forward and backward, with 1 and 2
 * threads: max pooling (argmax exactly, NaN propagation, overlapping windows summed in backward),
 * average pooling with padding not counted, global pooling, and batch norm over [N, C] and [N, C,
 * H, W] in training (batch statistics, running averages) and eval mode.
 */
public class CpuBackendPoolParityTest {
  /** The backend under test: the fast CPU backend here; the CUDA parity tests override it. */
  protected Backend under(int threads) {
    return Parity.fast(threads);
  }

  private static final int[][] INPUTS = {{2, 7, 33, 33}, {1, 1, 7, 127}, {4, 16, 32, 32}};
  private static final PoolSpec[] SPECS = {
    PoolSpec.of(2, 2), PoolSpec.of(3, 2, 1), PoolSpec.of(3, 1, 1), new PoolSpec(1, 7, 1, 3, 0, 3)
  };

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void maxPool(int threads) {
    for (int[] dims : INPUTS) {
      for (PoolSpec spec : SPECS) {
        Tensor x = randn(1, dims);
        x.data()[5] = Float.NaN; // must show in the output, as in the reference
        Shape ys = spec.outputShape("test", x.shape());
        Tensor yRef = Tensor.zeros(ys);
        Tensor yGot = Tensor.zeros(ys);
        IntTensor aRef = IntTensor.zeros(ys.dims());
        IntTensor aGot = IntTensor.zeros(ys.dims());
        REF.maxPool2dForward(x, spec, yRef, aRef);
        under(threads).maxPool2dForward(x, spec, yGot, aGot);
        String at = "maxPool " + x.shape() + " " + spec;
        assertClose(at, yRef, yGot, 0, 0);
        assertSame(at + " argmax", aRef, aGot);
        Tensor gy = randn(2, ys.dims());
        Tensor gxRef = Tensor.zeros(dims);
        Tensor gxGot = Tensor.full(Float.NaN, dims);
        REF.maxPool2dBackward(gy, aRef, gxRef);
        under(threads).maxPool2dBackward(gy, aRef, gxGot);
        assertClose(at + " backward", gxRef, gxGot, 1e-6, 1e-6);
      }
    }
  }

  /**
   * Ties, signed zeros, infinities and several NaNs per window, in every 2x2 position: the
   * branch-free 2x2 kernel must pick the same winner as the reference's row-major scan.
   */
  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void maxPoolTiesAndNaNs(int threads) {
    float[] values = {
      0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY
    };
    java.util.Random random = new java.util.Random(7);
    for (int[] dims : new int[][] {{3, 5, 24, 24}, {2, 3, 9, 7}}) {
      Tensor x = Tensor.zeros(dims);
      for (int i = 0; i < x.numel(); i++) {
        x.data()[i] = values[random.nextInt(values.length)];
      }
      for (PoolSpec spec : new PoolSpec[] {PoolSpec.of(2, 2), PoolSpec.of(3, 2, 1)}) {
        Shape ys = spec.outputShape("test", x.shape());
        Tensor yRef = Tensor.zeros(ys);
        Tensor yGot = Tensor.zeros(ys);
        IntTensor aRef = IntTensor.zeros(ys.dims());
        IntTensor aGot = IntTensor.zeros(ys.dims());
        REF.maxPool2dForward(x, spec, yRef, aRef);
        under(threads).maxPool2dForward(x, spec, yGot, aGot);
        String at = "maxPool ties " + x.shape() + " " + spec;
        assertSame(at + " argmax", aRef, aGot);
        for (int i = 0; i < yRef.numel(); i++) {
          float r = yRef.data()[i];
          float g = yGot.data()[i];
          if (Float.floatToIntBits(r) != Float.floatToIntBits(g)) {
            throw new AssertionError(at + ": y[" + i + "] ref " + r + " got " + g);
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void avgPool(int threads) {
    for (int[] dims : INPUTS) {
      for (PoolSpec spec : SPECS) {
        avgPoolCase(threads, randn(3, dims), spec);
      }
    }
    Tensor x = randn(4, 2, 7, 7, 7);
    avgPoolCase(threads, x, PoolSpec.of(7, 1)); // global average pooling
  }

  private void avgPoolCase(int threads, Tensor x, PoolSpec spec) {
    Shape ys = spec.outputShape("test", x.shape());
    Tensor yRef = Tensor.zeros(ys);
    Tensor yGot = Tensor.zeros(ys);
    REF.avgPool2dForward(x, spec, yRef);
    under(threads).avgPool2dForward(x, spec, yGot);
    String at = "avgPool " + x.shape() + " " + spec;
    assertClose(at, yRef, yGot, 1e-6, 1e-5);
    Tensor gy = randn(5, ys.dims());
    Tensor gxRef = Tensor.zeros(x.shape());
    Tensor gxGot = Tensor.full(Float.NaN, x.shape().dims());
    REF.avgPool2dBackward(gy, spec, gxRef);
    under(threads).avgPool2dBackward(gy, spec, gxGot);
    assertClose(at + " backward", gxRef, gxGot, 1e-6, 1e-5);
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void batchNorm(int threads) {
    int[][] shapes = {{7, 33}, {127, 7}, {2, 7, 33, 7}, {4, 16, 32, 32}, {1, 33, 1, 1}};
    for (int[] dims : shapes) {
      for (boolean training : new boolean[] {true, false}) {
        if (training && dims[0] == 1 && dims.length == 4 && dims[2] * dims[3] == 1) {
          continue; // one value per channel: no batch statistics (rejected by both)
        }
        batchNormCase(threads, dims, training);
      }
    }
  }

  /**
   * The fast backend's statistics are one pass over shifted sums: a mean far from zero against a
   * small spread (where the unshifted E[x^2] - E[x]^2 in float keeps no digit), and a first sample
   * unlike the rest (the shift is taken from the first values): the saved mean and 1 / std against
   * the two-pass reference. (y itself is only as exact as x - mean in float.)
   */
  @Test
  void batchNormVarianceKeepsItsDigits() {
    int[] dims = {8, 3, 6, 6};
    Tensor far = Tensor.randn(21, 0.01f, dims);
    for (int i = 0; i < far.numel(); i++) {
      far.data()[i] += 1000f;
    }
    Tensor skewed = Tensor.randn(22, 1f, dims);
    for (int i = 0; i < skewed.numel(); i++) {
      skewed.data()[i] = i < 3 * 36 ? 0f : skewed.data()[i] + 100f; // sample 0 all zeros
    }
    for (Tensor x : new Tensor[] {far, skewed}) {
      Tensor gamma = Tensor.full(1f, 3);
      Tensor beta = Tensor.zeros(3);
      Tensor[] ref = bnState(3, dims);
      Tensor[] got = bnState(3, dims);
      REF.batchNormForward(
          x, gamma, beta, ref[0], ref[1], true, 0.1f, 1e-5f, ref[2], ref[3], ref[4]);
      under(2)
          .batchNormForward(
              x, gamma, beta, got[0], got[1], true, 0.1f, 1e-5f, got[2], got[3], got[4]);
      assertClose("saveMean", ref[3], got[3], 0, 1e-6);
      assertClose("saveInvStd", ref[4], got[4], 0, 1e-4);
    }
  }

  private void batchNormCase(int threads, int[] dims, boolean training) {
    // Inputs off-centre, so the mean matters.
    Tensor x = Tensor.randn(10, 2f, dims);
    for (int i = 0; i < x.numel(); i++) {
      x.data()[i] += 3f;
    }
    batchNormCase(threads, x, training);
  }

  private void batchNormCase(int threads, Tensor x, boolean training) {
    int[] dims = x.shape().dims();
    int c = dims[1];
    Tensor gamma = Tensor.uniform(11, 0.5f, 1.5f, c);
    Tensor beta = randn(12, c);
    Tensor[] ref = bnState(c, dims);
    Tensor[] got = bnState(c, dims);
    REF.batchNormForward(
        x, gamma, beta, ref[0], ref[1], training, 0.1f, 1e-5f, ref[2], ref[3], ref[4]);
    under(threads)
        .batchNormForward(
            x, gamma, beta, got[0], got[1], training, 0.1f, 1e-5f, got[2], got[3], got[4]);
    String at = "batchNorm " + x.shape() + (training ? " training" : " eval");
    String[] names = {"runningMean", "runningVar", "y", "saveMean", "saveInvStd"};
    for (int i = 0; i < names.length; i++) {
      assertClose(at + " " + names[i], ref[i], got[i], 1e-5, 1e-5);
    }
    Tensor gy = randn(13, dims);
    Tensor[] gRef = {Tensor.zeros(dims), Tensor.zeros(c), Tensor.zeros(c)};
    Tensor[] gGot = {Tensor.full(Float.NaN, dims), Tensor.zeros(c), Tensor.zeros(c)};
    REF.batchNormBackward(x, gy, gamma, ref[3], ref[4], training, gRef[0], gRef[1], gRef[2]);
    under(threads)
        .batchNormBackward(x, gy, gamma, ref[3], ref[4], training, gGot[0], gGot[1], gGot[2]);
    assertClose(at + " gx", gRef[0], gGot[0], 1e-5, 1e-4);
    assertClose(at + " gGamma", gRef[1], gGot[1], 1e-4, 1e-5);
    assertClose(at + " gBeta", gRef[2], gGot[2], 1e-4, 1e-5);
  }

  /** runningMean, runningVar (not the defaults 0 and 1, so eval mode is tested), y, saves. */
  private static Tensor[] bnState(int c, int[] dims) {
    return new Tensor[] {
      Tensor.uniform(14, 2f, 4f, c),
      Tensor.uniform(15, 1f, 5f, c),
      Tensor.full(Float.NaN, dims),
      Tensor.zeros(c),
      Tensor.zeros(c)
    };
  }
}
