package jcnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import jcnn.autograd.Variable;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Layer behaviour other than gradients: output shapes, shape errors that name the layer and both
 * shapes, batch-norm running statistics, dropout masks and modes, initial weights.
 */
class LayersTest {
  private static Backend previous;

  @BeforeAll
  static void useReference() {
    previous = Backends.use(Backends.reference());
  }

  @AfterAll
  static void restore() {
    Backends.use(previous);
  }

  private static Variable x(int... dims) {
    return Variable.constant(Tensor.uniform(1, -1f, 1f, dims));
  }

  private static void assertShapeError(Module m, Variable in, String expectedMessage) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(in));
    assertEquals(expectedMessage, e.getMessage());
  }

  @Test
  void wrongShapesNameTheLayerAndBothShapes() {
    assertShapeError(
        new Linear(800, 500, 1),
        x(64, 700),
        "Linear(800 -> 500): input [64, 700] does not have 800 features");
    assertShapeError(
        new Conv2d(3, 8, 3, 1, 1, 1),
        x(2, 4, 8, 8),
        "Conv2d(3 -> 8, 3x3, pad 1): input [2, 4, 8, 8] is not [N, 3, H, W]");
    assertShapeError(
        new Conv2d(3, 8, 5, 1, 0, 1),
        x(2, 3, 4, 4),
        "Conv2d(3 -> 8, 5x5): input [2, 3, 4, 4] is smaller than the 5x5 filter even with padding"
            + " 0");
    assertShapeError(
        new BatchNorm2d(16),
        x(2, 8, 4, 4),
        "BatchNorm2d(16, eps 1.0E-5, momentum 0.1): input [2, 8, 4, 4] is not [N, 16] or [N, 16,"
            + " H, W]");
    assertShapeError(
        new MaxPool2d(2, 2),
        x(4, 10),
        "MaxPool2d(2x2, stride 2): input [4, 10] is not [N, C, H, W]");
    assertShapeError(
        new AvgPool2d(3, 1),
        x(1, 2, 2, 2),
        "AvgPool2d(3x3, stride 1): input [1, 2, 2, 2] is smaller than the 3x3 window even with"
            + " padding 0");
    assertShapeError(
        new GlobalAvgPool(), x(4, 10), "GlobalAvgPool(): input [4, 10] is not [N, C, H, W]");
    assertShapeError(
        new Flatten(), x(5), "Flatten(): input [5] has no dims to flatten after the batch dim");
    assertShapeError(
        new Residual(new Conv2d(2, 4, 1, 1, 0, 1)),
        x(1, 2, 3, 3),
        "Residual(): body output [1, 4, 3, 3] and shortcut output [1, 2, 3, 3] differ for input"
            + " [1, 2, 3, 3] (an identity shortcut needs a shape-keeping body)");
  }

  @Test
  void sequentialReportsTheFailingLayer() {
    Sequential s = new Sequential(new Flatten(), new Linear(12, 3, 1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.forward(x(2, 2, 2, 2)));
    assertEquals("Linear(12 -> 3): input [2, 8] does not have 12 features", e.getMessage());
  }

  @Test
  void outputShapes() {
    assertEquals(Shape.of(2, 8, 4, 4), new Conv2d(3, 8, 3, 2, 1, 1).forward(x(2, 3, 8, 8)).shape());
    assertEquals(
        Shape.of(2, 16, 4, 4),
        new DepthwiseSeparableConv(8, 16, 2, 1).forward(x(2, 8, 7, 7)).shape());
    assertEquals(Shape.of(2, 3, 3, 3), new MaxPool2d(2, 2).forward(x(2, 3, 7, 7)).shape());
    assertEquals(Shape.of(2, 3), new GlobalAvgPool().forward(x(2, 3, 5, 5)).shape());
    assertEquals(Shape.of(2, 75), new Flatten().forward(x(2, 3, 5, 5)).shape());
    Sequential s = new Sequential().add(new ReLU()).add(new ReLU6());
    assertEquals(2, s.size());
    assertTrue(s.get(1) instanceof ReLU6);
    assertThrows(IndexOutOfBoundsException.class, () -> s.get(2));
  }

  @Test
  void batchNormUpdatesRunningStatsInTrainingOnly() {
    BatchNorm2d bn = new BatchNorm2d(2);
    // Channel 0 holds 1, 2, 3, 4 (mean 2.5, unbiased var 5/3); channel 1 holds 4 x 10.
    Tensor t = Tensor.of(new float[] {1, 2, 10, 10, 3, 4, 10, 10}, 2, 2, 1, 2);
    bn.forward(Variable.constant(t));
    assertArrayEquals(new float[] {0.25f, 1f}, bn.runningMean().data(), 1e-6f);
    assertArrayEquals(new float[] {0.9f + 0.1f * 5f / 3f, 0.9f}, bn.runningVar().data(), 1e-6f);

    bn.eval();
    Tensor before = bn.runningMean().copy();
    Variable y = bn.forward(Variable.constant(t));
    assertArrayEquals(before.data(), bn.runningMean().data());
    // Eval normalises with the running stats: (1 - 0.25) / sqrt(var0 + eps).
    double var0 = 0.9 + 0.1 * 5.0 / 3.0;
    assertEquals((1 - 0.25) / Math.sqrt(var0 + 1e-5), y.value().get(0, 0, 0, 0), 1e-5);
  }

  @Test
  void batchNormRefusesOneValuePerChannelInTraining() {
    assertShapeError(
        new BatchNorm2d(3),
        x(1, 3),
        "BatchNorm2d(3, eps 1.0E-5, momentum 0.1): input [1, 3] has one value per channel;"
            + " training needs a batch of two or more");
  }

  @Test
  void dropoutDrawsAFreshReproducibleMaskPerCallAndIsIdentityInEval() {
    Variable in = Variable.constant(Tensor.full(1f, 8, 32));
    Dropout a = new Dropout(0.5f, 7);
    Dropout b = new Dropout(0.5f, 7);
    float[] first = a.forward(in).value().data();
    float[] second = a.forward(in).value().data();
    assertFalse(Arrays.equals(first, second), "two calls share a mask");
    assertArrayEquals(first, b.forward(in).value().data(), "same seed, same first mask");
    assertEquals(2, a.calls());
    for (float v : first) {
      assertTrue(v == 0f || v == 2f, "inverted dropout keeps values scaled by 1/(1-p): " + v);
    }
    a.eval();
    assertSame(in, a.forward(in));
    assertEquals(2, a.calls());
  }

  @Test
  void defaultInitIsHeNormalWithZeroBias() {
    Linear l = new Linear(500, 400, 3);
    double sq = 0;
    for (float v : l.weight().value().data()) {
      sq += v * v;
    }
    double std = Math.sqrt(sq / l.weight().value().numel());
    assertEquals(Math.sqrt(2.0 / 500), std, 0.02 * Math.sqrt(2.0 / 500));
    for (float v : l.bias().value().data()) {
      assertEquals(0f, v);
    }
    assertArrayEquals(
        new Linear(500, 400, 3).weight().value().data(), l.weight().value().data(), "seeded");
  }
}
