package jcnn.autograd.ops;

import static jcnn.autograd.ops.GradCheck.awayFromKinks;
import static jcnn.autograd.ops.GradCheck.distinct;
import static jcnn.autograd.ops.GradCheck.randn;

import jcnn.autograd.Variable;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.backend.BinaryOp;
import jcnn.backend.ConvSpec;
import jcnn.backend.PoolSpec;
import jcnn.backend.UnaryOp;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Double-precision central-difference gradient checks of every autograd primitive, on the reference
 * backend. Layers are checked in {@code jcnn.nn}.
 */
class PrimitiveGradCheckTest {
  private static Backend previous;
  private final GradCheck gc = GradCheck.standard();

  @BeforeAll
  static void useReference() {
    previous = Backends.use(Backends.reference());
  }

  @AfterAll
  static void restore() {
    Backends.use(previous);
  }

  @ParameterizedTest
  @EnumSource(BinaryOp.class)
  void binarySameShape(BinaryOp op) {
    Variable a = randn(1, 3, 4);
    Variable b = awayFromKinks(2, 0.5, 3, 4); // keeps division well conditioned
    gc.check(op.name(), in -> Binary.apply(op, in[0], in[1]), a, b);
  }

  @ParameterizedTest
  @EnumSource(BinaryOp.class)
  void binaryBroadcast(BinaryOp op) {
    Variable a = randn(3, 2, 1, 4);
    Variable b = awayFromKinks(4, 0.5, 3, 1);
    gc.check(op + " [2,1,4] with [3,1]", in -> Binary.apply(op, in[0], in[1]), a, b);
    Variable c = randn(5, 2, 3, 5, 5);
    Variable bias = awayFromKinks(6, 0.5, 1, 3, 1, 1);
    gc.check(op + " per-channel", in -> Binary.apply(op, in[0], in[1]), c, bias);
  }

  @ParameterizedTest
  @EnumSource(value = UnaryOp.class, names = "SIGN", mode = EnumSource.Mode.EXCLUDE)
  void unary(UnaryOp op) {
    // Kinks of relu (0), relu6 (0, 6), hardtanh and the sign STE (+-1) must not be straddled.
    Variable x = awayFromKinks(7, 0.05, 4, 6);
    float[] d = x.value().data();
    for (int i = 0; i < d.length; i++) {
      if (op == UnaryOp.LOG) {
        d[i] = Math.abs(d[i]) + 0.5f;
      } else if (Math.abs(Math.abs(d[i]) - 1f) < 0.05f) {
        d[i] *= 0.8f;
      }
      if (op == UnaryOp.RELU6 && i % 5 == 0) {
        d[i] = 6.5f + i * 0.01f; // the upper clamp of relu6
      }
    }
    gc.check(op.opName(), in -> Unary.apply(op, in[0]), x);
  }

  /**
   * sign has derivative 0 almost everywhere, so a finite-difference check is meaningless; its
   * straight-through estimator is by definition the gradient of hardtanh, which {@link #unary}
   * checks numerically. Here: forward is +-1 and backward equals hardtanh's backward.
   */
  @Test
  void signStraightThrough() {
    Variable x = awayFromKinks(70, 0.05, 5, 8);
    x.value().data()[0] = 1.5f; // outside [-1, 1]: the STE passes no gradient
    x.value().data()[1] = -2f;
    Tensor r = Tensor.randn(71, 1f, 5, 8);
    Variable s = F.signSte(x);
    for (int i = 0; i < s.value().numel(); i++) {
      float xi = x.value().data()[i];
      org.junit.jupiter.api.Assertions.assertEquals(xi >= 0 ? 1f : -1f, s.value().data()[i]);
    }
    s.backward(r);
    Tensor steGrad = x.grad().copy();
    x.setGrad(null);
    F.hardtanh(x).backward(r);
    org.junit.jupiter.api.Assertions.assertArrayEquals(x.grad().data(), steGrad.data());
    org.junit.jupiter.api.Assertions.assertEquals(0f, steGrad.data()[0], 0f);
  }

  @Test
  void matmulAllTransposes() {
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        Variable a = ta ? randn(8, 5, 3) : randn(8, 3, 5);
        Variable b = tb ? randn(9, 4, 5) : randn(9, 5, 4);
        gc.check("matmul ta=" + ta + " tb=" + tb, in -> MatMul.apply(in[0], ta, in[1], tb), a, b);
      }
    }
  }

  @Test
  void conv2dPlain() {
    Variable x = randn(10, 2, 3, 6, 5);
    Variable w = randn(11, 4, 3, 3, 3);
    Variable b = randn(12, 4);
    gc.check("conv2d", in -> Conv2d.apply(in[0], in[1], in[2], ConvSpec.of(1, 0)), x, w, b);
  }

  @Test
  void conv2dStridePadGroups() {
    Variable x = randn(13, 2, 4, 7, 6);
    Variable w = randn(14, 6, 2, 3, 2);
    ConvSpec spec = new ConvSpec(2, 1, 1, 0, 2);
    gc.check("conv2d stride/pad/groups", in -> Conv2d.apply(in[0], in[1], null, spec), x, w);
  }

  @Test
  void conv2dDepthwise() {
    Variable x = randn(15, 2, 3, 5, 5);
    Variable w = randn(16, 3, 1, 3, 3);
    Variable b = randn(17, 3);
    ConvSpec spec = ConvSpec.of(1, 1, 3);
    gc.check("conv2d depthwise", in -> Conv2d.apply(in[0], in[1], in[2], spec), x, w, b);
  }

  @Test
  void maxPool() {
    Variable x = distinct(18, 0.05, 2, 3, 6, 6);
    gc.check("maxPool2d 2/2", in -> MaxPool2d.apply(in[0], PoolSpec.of(2, 2)), x);
    Variable y = distinct(19, 0.05, 1, 2, 7, 7);
    gc.check("maxPool2d 3/2 pad 1", in -> MaxPool2d.apply(in[0], PoolSpec.of(3, 2, 1)), y);
  }

  @Test
  void avgPool() {
    Variable x = randn(20, 2, 3, 6, 6);
    gc.check("avgPool2d 2/2", in -> AvgPool2d.apply(in[0], PoolSpec.of(2, 2)), x);
    Variable y = randn(21, 1, 2, 5, 7);
    gc.check("avgPool2d 3/2 pad 1", in -> AvgPool2d.apply(in[0], PoolSpec.of(3, 2, 1)), y);
    gc.check("globalAvgPool", in -> F.globalAvgPool(in[0]), randn(22, 2, 3, 4, 5));
  }

  @Test
  void batchNormTraining() {
    Variable x = randn(23, 4, 3, 3, 2);
    Variable gamma = randn(24, 3);
    Variable beta = randn(25, 3);
    gc.check(
        "batchNorm training 4-D",
        in ->
            BatchNorm.apply(
                in[0], in[1], in[2], Tensor.zeros(3), Tensor.full(1, 3), true, 0.1f, 1e-5f),
        x,
        gamma,
        beta);
    Variable x2 = randn(26, 6, 5);
    Variable g2 = randn(27, 5);
    Variable b2 = randn(28, 5);
    gc.check(
        "batchNorm training 2-D",
        in ->
            BatchNorm.apply(
                in[0], in[1], in[2], Tensor.zeros(5), Tensor.full(1, 5), true, 0.1f, 1e-5f),
        x2,
        g2,
        b2);
  }

  @Test
  void batchNormEval() {
    Tensor mean = Tensor.randn(29, 0.5f, 3);
    Tensor var = Tensor.uniform(30, 0.5f, 2f, 3);
    gc.check(
        "batchNorm eval",
        in -> BatchNorm.apply(in[0], in[1], in[2], mean, var, false, 0.1f, 1e-5f),
        randn(31, 2, 3, 2, 2),
        randn(32, 3),
        randn(33, 3));
  }

  @Test
  void dropoutFixedSeed() {
    gc.check("dropout", in -> Dropout.apply(in[0], 0.3f, 77L), randn(34, 4, 10));
  }

  @Test
  void concatChannels() {
    gc.check(
        "concat axis 1",
        in -> Concat.apply(1, in[0], in[1]),
        randn(35, 2, 3, 2, 2),
        randn(36, 2, 5, 2, 2));
    gc.check(
        "concat axis 0", in -> Concat.apply(0, in[0], in[1]), randn(37, 2, 3), randn(38, 4, 3));
  }

  @Test
  void softmaxCrossEntropy() {
    IntTensor labels = IntTensor.of(new int[] {0, 3, 2, 3, 1}, 5);
    gc.check(
        "softmaxCrossEntropy", in -> SoftmaxCrossEntropy.apply(in[0], labels), randn(39, 5, 4));
  }

  @Test
  void reductions() {
    gc.check("sum", in -> F.sum(in[0]), randn(40, 3, 4));
    gc.check("mean", in -> F.mean(in[0]), randn(41, 2, 3, 4));
    gc.check("sumTo", in -> F.sumTo(in[0], Shape.of(1, 3, 1, 1)), randn(42, 2, 3, 4, 4));
  }

  @Test
  void reshapeAndFlatten() {
    gc.check("reshape", in -> F.reshape(in[0], 6, 2), randn(43, 3, 4));
    gc.check("flatten", in -> F.flatten(in[0]), randn(44, 2, 3, 2, 2));
  }

  @Test
  void gatherAggregatesRepeatedIndices() {
    IntTensor idx = IntTensor.of(new int[] {0, 2, 2, 1, 0, 2, 3, 3, 3}, 3, 3);
    gc.check("gather", in -> Gather.apply(in[0], idx), randn(45, 4));
  }

  @Test
  void linearComposite() {
    gc.check(
        "linear",
        in -> F.linear(in[0], in[1], in[2]),
        randn(46, 3, 5),
        randn(47, 4, 5),
        randn(48, 4));
  }
}
