package jcnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import jcnn.autograd.Variable;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gradient checks (central differences, {@link GradCheck}) of every layer's input and parameter
 * gradients, on the reference backend. Layers whose only kinks are at their input get inputs away
 * from the kinks and must skip nothing; composites with ReLUs inside may skip a few elements that
 * sit on a kink.
 */
class LayerGradTest {
  private static final float[] ZERO = {0f};
  private static Backend previous;

  @BeforeAll
  static void useReference() {
    previous = Backends.use(Backends.reference());
  }

  @AfterAll
  static void restore() {
    Backends.use(previous);
  }

  private static Tensor input(long seed, int... dims) {
    return Tensor.uniform(seed, -1f, 1f, dims);
  }

  /** Random gamma and beta, so batch norm's parameter gradients are not checked at 1 and 0 only. */
  private static BatchNorm2d randomized(BatchNorm2d bn, long seed) {
    bn.gamma().value().copyFrom(Tensor.uniform(seed, 0.5f, 1.5f, bn.gamma().shape().dims()));
    bn.beta().value().copyFrom(Tensor.uniform(seed + 1, -0.5f, 0.5f, bn.beta().shape().dims()));
    return bn;
  }

  @Test
  void linear() {
    GradCheck.check(new Linear(5, 4, true, 1), input(2, 3, 5), 3, 0);
    GradCheck.check(new Linear(7, 3, false, 4), input(5, 2, 7), 6, 0);
  }

  @Test
  void conv2dPlain() {
    GradCheck.check(new Conv2d(3, 4, 3, 1, 1, 1, true, 7), input(8, 2, 3, 5, 5), 9, 0);
  }

  @Test
  void conv2dStrideAndPad() {
    // Odd sizes: 7 x 6 input with stride 2 leaves rows and columns the windows skip.
    GradCheck.check(new Conv2d(4, 5, 3, 2, 1, 1, true, 10), input(11, 2, 4, 7, 6), 12, 0);
  }

  @Test
  void conv2dGroups() {
    GradCheck.check(new Conv2d(4, 6, 3, 1, 0, 2, true, 13), input(14, 2, 4, 5, 5), 15, 0);
  }

  @Test
  void conv2dDepthwise() {
    GradCheck.check(new Conv2d(4, 4, 3, 2, 1, 4, false, 16), input(17, 2, 4, 6, 6), 18, 0);
  }

  @Test
  void depthwiseSeparableConv() {
    DepthwiseSeparableConv m = new DepthwiseSeparableConv(3, 5, 2, 19);
    randomized((BatchNorm2d) m.get(1), 20);
    randomized((BatchNorm2d) m.get(4), 21);
    GradCheck.Result r = GradCheck.check(m, input(22, 2, 3, 6, 6), 23, 0.1);
    assertTrue(r.checked() > 250, "checked " + r.checked());
  }

  @Test
  void batchNormTrainingOn4d() {
    BatchNorm2d bn = randomized(new BatchNorm2d(4), 24);
    GradCheck.check(bn, input(25, 3, 4, 3, 3), 26, 0);
  }

  @Test
  void batchNormTrainingOn2d() {
    BatchNorm2d bn = randomized(new BatchNorm2d(5), 27);
    GradCheck.check(bn, input(28, 6, 5), 29, 0);
  }

  @Test
  void batchNormEval() {
    BatchNorm2d bn = randomized(new BatchNorm2d(3), 30);
    bn.runningMean().copyFrom(Tensor.uniform(31, -0.5f, 0.5f, 3));
    bn.runningVar().copyFrom(Tensor.uniform(32, 0.5f, 2f, 3));
    bn.eval();
    GradCheck.check(bn, input(33, 2, 3, 2, 2), 34, 0);
  }

  @Test
  void maxPool() {
    GradCheck.check(new MaxPool2d(2, 2), GradCheck.distinct(35, 2, 3, 6, 6), 36, 0);
    // Overlapping windows (3 wide, stride 2) route two gradients to some inputs.
    GradCheck.check(new MaxPool2d(3, 2), GradCheck.distinct(37, 1, 2, 7, 7), 38, 0);
    // Ceil mode (SqueezeNet's pools): 6x6 -> 3x3, the last window clipped to two columns.
    MaxPool2d ceil = new MaxPool2d(3, 2, 0, true);
    Tensor x = GradCheck.distinct(43, 1, 2, 6, 6);
    assertEquals(3, ceil.forward(Variable.constant(x)).shape().dim(3));
    GradCheck.check(ceil, x, 44, 0);
  }

  @Test
  void resize() {
    GradCheck.check(new Resize(0.75), input(45, 1, 2, 8, 8), 46, 0); // 8x8 -> 6x6
  }

  @Test
  void avgPool() {
    GradCheck.check(new AvgPool2d(2, 2), input(39, 2, 3, 6, 6), 40, 0);
    GradCheck.check(new AvgPool2d(3, 2, 1), input(41, 1, 2, 7, 5), 42, 0);
  }

  @Test
  void globalAvgPoolAndFlatten() {
    GradCheck.check(new GlobalAvgPool(), input(43, 2, 3, 4, 5), 44, 0);
    GradCheck.check(new Flatten(), input(45, 2, 3, 2, 2), 46, 0);
  }

  @Test
  void activations() {
    GradCheck.check(new ReLU(), GradCheck.awayFrom(47, -1f, 1f, ZERO, 3, 7), 48, 0);
    float[] kinks = {0f, 6f};
    GradCheck.check(new ReLU6(), GradCheck.awayFrom(49, -2f, 8f, kinks, 4, 9), 50, 0);
  }

  @Test
  void residualIdentityShortcut() {
    Sequential body =
        new Sequential(
            new Conv2d(4, 4, 3, 1, 1, 1, false, 51),
            randomized(new BatchNorm2d(4), 52),
            new ReLU(),
            new Conv2d(4, 4, 3, 1, 1, 1, false, 53),
            randomized(new BatchNorm2d(4), 54));
    Residual m = new Residual(body, null, new ReLU());
    // Two ReLU levels: a weight perturbation moves 128 pre-activations, so about one element in
    // ten crosses a kink.
    GradCheck.Result r = GradCheck.check(m, input(55, 2, 4, 4, 4), 56, 0.15);
    assertTrue(r.checked() > 350, "checked " + r.checked());
  }

  @Test
  void residualProjectionShortcut() {
    Sequential body =
        new Sequential(
            new Conv2d(3, 5, 3, 2, 1, 1, false, 57),
            randomized(new BatchNorm2d(5), 58),
            new ReLU(),
            new Conv2d(5, 5, 3, 1, 1, 1, false, 59));
    Sequential projection =
        new Sequential(new Conv2d(3, 5, 1, 2, 0, 1, false, 60), randomized(new BatchNorm2d(5), 61));
    Residual m = new Residual(body, projection, null);
    GradCheck.Result r = GradCheck.check(m, input(62, 2, 3, 5, 5), 63, 0.1);
    assertEquals(
        7,
        m.namedParameters().size(),
        "conv, BN (2), conv in the body; conv, BN (2) in the projection");
    assertTrue(r.checked() > 0);
  }

  @Test
  void dropoutWithAFixedMask() {
    Dropout d = new Dropout(0.3f, 64);
    Variable x = Variable.param(input(65, 4, 10));
    // Rewinding the call counter replays the same mask on every evaluation of the check.
    GradCheck.check(
        d.describe(),
        v -> {
          d.setCalls(0);
          return d.forward(v);
        },
        x,
        Map.of(),
        66,
        0);
    d.setCalls(0);
    float[] y = d.forward(x).value().data();
    int zeros = 0;
    for (float v : y) {
      zeros += v == 0f ? 1 : 0;
    }
    assertTrue(zeros > 0 && zeros < y.length, "the mask dropped " + zeros + " of " + y.length);
  }
}
