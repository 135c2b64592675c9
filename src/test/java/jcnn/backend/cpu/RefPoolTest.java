package jcnn.backend.cpu;

import static jcnn.backend.cpu.RefAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcnn.backend.Backend;
import jcnn.backend.PoolSpec;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The reference pooling: hand-computed max and average windows with their argmax, tie and padding
 * rules, and the backward passes (hand values plus the adjoint identity <A x, g> = <x, A^T g> for
 * average pooling on an odd shape).
 */
class RefPoolTest {
  private final Backend ref = new ReferenceBackend();

  @Test
  void maxPoolArgmaxAndFirstTieWins() {
    Tensor x =
        Tensor.of(
            new float[] {
              1, 3, 2, 0, //
              5, 4, 1, 1,
              0, 2, 9, 9,
              7, 1, 9, 8
            },
            1,
            1,
            4,
            4);
    Tensor y = Tensor.zeros(1, 1, 2, 2);
    IntTensor argmax = IntTensor.zeros(1, 1, 2, 2);
    ref.maxPool2dForward(x, PoolSpec.of(2, 2), y, argmax);
    assertClose(new double[] {5, 2, 7, 9}, y.data());
    // positions h * W + w; the bottom-right window holds three 9s, the first in scan order wins
    assertArrayEquals(new int[] {4, 2, 12, 10}, argmax.data());

    Tensor gx = Tensor.full(Float.NaN, 1, 1, 4, 4);
    ref.maxPool2dBackward(Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2), argmax, gx);
    double[] expected = new double[16];
    expected[4] = 1;
    expected[2] = 2;
    expected[12] = 3;
    expected[10] = 4;
    assertClose(expected, gx.data());
  }

  @Test
  void maxPoolOverlappingWindowsSumGradients() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 9, 5, 6, 7, 8}, 1, 1, 3, 3);
    Tensor y = Tensor.zeros(1, 1, 2, 2);
    IntTensor argmax = IntTensor.zeros(1, 1, 2, 2);
    ref.maxPool2dForward(x, PoolSpec.of(2, 1), y, argmax);
    assertArrayEquals(new int[] {4, 4, 4, 4}, argmax.data());
    Tensor gx = Tensor.zeros(1, 1, 3, 3);
    ref.maxPool2dBackward(Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2), argmax, gx);
    assertClose(new double[] {0, 0, 0, 0, 10, 0, 0, 0, 0}, gx.data());
  }

  @Test
  void maxPoolNeverSelectsPadding() {
    // All inputs negative: a padded zero would win if padding were read.
    float[] xs = new float[9];
    for (int i = 0; i < 9; i++) {
      xs[i] = -(i + 1);
    }
    Tensor y = Tensor.zeros(1, 1, 2, 2);
    IntTensor argmax = IntTensor.zeros(1, 1, 2, 2);
    ref.maxPool2dForward(Tensor.of(xs, 1, 1, 3, 3), PoolSpec.of(3, 2, 1), y, argmax);
    assertClose(new double[] {-1, -2, -4, -5}, y.data());
    assertArrayEquals(new int[] {0, 1, 3, 4}, argmax.data());
  }

  @Test
  void maxPoolPropagatesNaN() {
    Tensor x = Tensor.of(new float[] {1, Float.NaN, 3, 2}, 1, 1, 2, 2);
    Tensor y = Tensor.zeros(1, 1, 1, 1);
    IntTensor argmax = IntTensor.zeros(1, 1, 1, 1);
    ref.maxPool2dForward(x, PoolSpec.of(2, 2), y, argmax);
    assertTrue(Float.isNaN(y.data()[0]));
    assertEquals(1, argmax.data()[0]);
  }

  @Test
  void maxPoolPlanesAreIndependent() {
    // [2, 2, 2, 2]: each plane's argmax is relative to its own plane.
    Tensor x = Tensor.zeros(2, 2, 2, 2);
    for (int plane = 0; plane < 4; plane++) {
      x.data()[plane * 4 + plane] = 1 + plane;
    }
    Tensor y = Tensor.zeros(2, 2, 1, 1);
    IntTensor argmax = IntTensor.zeros(2, 2, 1, 1);
    ref.maxPool2dForward(x, PoolSpec.of(2, 2), y, argmax);
    assertClose(new double[] {1, 2, 3, 4}, y.data());
    assertArrayEquals(new int[] {0, 1, 2, 3}, argmax.data());
  }

  @Test
  void avgPoolDoesNotCountPadding() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    Tensor y = Tensor.zeros(1, 1, 2, 2);
    ref.avgPool2dForward(x, PoolSpec.of(3, 2, 1), y);
    // each window holds 4 real values: {1,2,4,5}, {2,3,5,6}, {4,5,7,8}, {5,6,8,9}
    assertClose(new double[] {3, 4, 6, 7}, y.data());

    Tensor gx = Tensor.full(Float.NaN, 1, 1, 3, 3);
    ref.avgPool2dBackward(
        Tensor.of(new float[] {4, 8, 12, 16}, 1, 1, 2, 2), PoolSpec.of(3, 2, 1), gx);
    // each window spreads gy / 4 = 1, 2, 3, 4 over its real positions
    assertClose(new double[] {1, 3, 2, 4, 10, 6, 3, 7, 4}, gx.data());
  }

  @Test
  void avgPoolBackwardIsTheAdjoint() {
    // For a linear map A, <A x, g> = <x, A^T g> for every x and g.
    PoolSpec spec = new PoolSpec(3, 2, 2, 1, 1, 1);
    Tensor x = Tensor.randn(3, 1, 2, 3, 7, 5);
    Tensor y = Tensor.zeros(spec.outputShape("avgPool2d", x.shape()));
    ref.avgPool2dForward(x, spec, y);
    Tensor g = Tensor.randn(4, 1, y.shape().dims());
    Tensor gx = Tensor.zeros(x.shape());
    ref.avgPool2dBackward(g, spec, gx);
    assertEquals(dot(y, g), dot(x, gx), 1e-5);
  }

  private static double dot(Tensor a, Tensor b) {
    double s = 0;
    for (int i = 0; i < a.numel(); i++) {
      s += (double) a.data()[i] * b.data()[i];
    }
    return s;
  }
}
