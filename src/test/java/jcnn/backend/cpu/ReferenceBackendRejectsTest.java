package jcnn.backend.cpu;

import static jcnn.backend.cpu.RefAsserts.assertRejects;

import jcnn.backend.Backend;
import jcnn.backend.BinaryOp;
import jcnn.backend.ConvSpec;
import jcnn.backend.PoolSpec;
import jcnn.backend.UnaryOp;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every reference op checks its shapes before touching data: a wrong shape gets an
 * IllegalArgumentException whose message starts with the op name and prints the shapes involved.
 */
class ReferenceBackendRejectsTest {
  private final Backend ref = new ReferenceBackend();

  private static Tensor t(int... dims) {
    return Tensor.zeros(dims);
  }

  @Test
  void elementwise() {
    assertRejects("add", () -> ref.binary(BinaryOp.ADD, t(2, 3), t(4), t(2, 3)), "[2, 3]", "[4]");
    assertRejects(
        "mul", () -> ref.binary(BinaryOp.MUL, t(2, 3), t(3), t(3, 2)), "[3, 2]", "[2, 3]", "[3]");
    assertRejects("relu", () -> ref.unary(UnaryOp.RELU, t(2, 3), t(3)), "[2, 3]", "[3]");
    assertRejects(
        "tanhBackward",
        () -> ref.unaryBackward(UnaryOp.TANH, t(2, 3), t(2, 3), t(3, 2), t(2, 3)),
        "[3, 2]",
        "[2, 3]");
    assertRejects("axpby", () -> ref.axpby(1, t(2), 1, t(3)), "[2]", "[3]");
    assertRejects("sumTo", () -> ref.sumTo(t(2, 3), t(2)), "[2, 3]", "[2]");
    assertRejects("sumTo", () -> ref.sumTo(t(3), t(2, 3)), "[3]", "[2, 3]");
    assertRejects(
        "matmul",
        () -> ref.matmul(t(2, 3), false, t(2, 2), false, t(2, 2), 1, 0),
        "[2, 3]",
        "[2, 2]");
  }

  @Test
  void convolution() {
    ConvSpec spec = ConvSpec.of(1, 1);
    assertRejects(
        "conv2d",
        () -> ref.conv2dForward(t(1, 3, 5, 5), t(4, 3, 3, 3), null, spec, t(1, 4, 3, 3)),
        "[1, 4, 3, 3]",
        "[1, 4, 5, 5]",
        "[1, 3, 5, 5]",
        "[4, 3, 3, 3]");
    assertRejects(
        "conv2d",
        () -> ref.conv2dForward(t(1, 3, 5, 5), t(4, 2, 3, 3), null, spec, t(1, 4, 5, 5)),
        "[1, 3, 5, 5]",
        "[4, 2, 3, 3]");
    assertRejects(
        "conv2d",
        () ->
            ref.conv2dForward(
                t(1, 4, 5, 5), t(4, 2, 3, 3), null, ConvSpec.of(1, 1, 3), t(1, 4, 5, 5)),
        "[1, 4, 5, 5]",
        "[4, 2, 3, 3]");
    assertRejects(
        "conv2d",
        () -> ref.conv2dForward(t(1, 3, 5, 5), t(4, 3, 3, 3), t(3), spec, t(1, 4, 5, 5)),
        "[3]",
        "[4, 3, 3, 3]");
    assertRejects(
        "conv2d",
        () ->
            ref.conv2dForward(t(1, 3, 2, 2), t(4, 3, 5, 5), null, ConvSpec.of(1, 0), t(1, 4, 1, 1)),
        "[1, 3, 2, 2]",
        "[4, 3, 5, 5]");
    assertRejects(
        "conv2dBackwardData",
        () -> ref.conv2dBackwardData(t(1, 4, 4, 4), t(4, 3, 3, 3), spec, t(1, 3, 5, 5)),
        "[1, 4, 4, 4]",
        "[4, 3, 3, 3]",
        "[1, 3, 5, 5]");
    assertRejects(
        "conv2dBackwardWeight",
        () -> ref.conv2dBackwardWeight(t(1, 3, 5, 5), t(1, 4, 4, 4), spec, t(4, 3, 3, 3)),
        "[1, 3, 5, 5]",
        "[1, 4, 4, 4]",
        "[4, 3, 3, 3]");
  }

  @Test
  void pooling() {
    PoolSpec spec = PoolSpec.of(2, 2);
    assertRejects(
        "maxPool2d",
        () -> ref.maxPool2dForward(t(1, 2, 4, 4), spec, t(1, 2, 3, 3), IntTensor.zeros(1, 2, 2, 2)),
        "[1, 2, 3, 3]",
        "[1, 2, 4, 4]");
    assertRejects(
        "maxPool2d",
        () -> ref.maxPool2dForward(t(1, 2, 4, 4), spec, t(1, 2, 2, 2), IntTensor.zeros(1, 2, 4)),
        "[1, 2, 4]",
        "[1, 2, 4, 4]");
    assertRejects(
        "maxPool2d",
        () -> ref.maxPool2dForward(t(2, 4, 4), spec, t(1, 2, 2, 2), IntTensor.zeros(1, 2, 2, 2)),
        "[2, 4, 4]");
    assertRejects(
        "maxPool2d",
        () ->
            ref.maxPool2dForward(
                t(1, 1, 4, 4), PoolSpec.of(2, 1, 2), t(1, 1, 7, 7), IntTensor.zeros(1, 1, 7, 7)),
        "[1, 1, 4, 4]");
    assertRejects(
        "maxPool2dBackward",
        () -> ref.maxPool2dBackward(t(1, 2, 2, 2), IntTensor.zeros(1, 2, 3, 3), t(1, 2, 4, 4)),
        "[1, 2, 3, 3]",
        "[1, 2, 2, 2]");
    assertRejects(
        "maxPool2dBackward",
        () -> ref.maxPool2dBackward(t(1, 3, 2, 2), IntTensor.zeros(1, 3, 2, 2), t(1, 2, 4, 4)),
        "[1, 3, 2, 2]",
        "[1, 2, 4, 4]");
    assertRejects(
        "avgPool2d",
        () -> ref.avgPool2dForward(t(1, 2, 4, 4), spec, t(1, 2, 4, 4)),
        "[1, 2, 4, 4]",
        "[1, 2, 2, 2]");
    assertRejects(
        "avgPool2dBackward",
        () -> ref.avgPool2dBackward(t(1, 2, 3, 3), spec, t(1, 2, 4, 4)),
        "[1, 2, 3, 3]",
        "[1, 2, 4, 4]");
  }

  @Test
  void batchNorm() {
    assertRejects(
        "batchNorm",
        () ->
            ref.batchNormForward(
                t(4, 2), t(3), t(2), t(2), t(2), true, 0.1f, 1e-5f, t(4, 2), t(2), t(2)),
        "[3]",
        "[4, 2]");
    assertRejects(
        "batchNorm",
        () ->
            ref.batchNormForward(
                t(1, 2), t(2), t(2), t(2), t(2), true, 0.1f, 1e-5f, t(1, 2), t(2), t(2)),
        "[1, 2]");
    assertRejects(
        "batchNorm",
        () ->
            ref.batchNormForward(
                t(4, 2, 3), t(2), t(2), t(2), t(2), true, 0.1f, 1e-5f, t(4, 2, 3), t(2), t(2)),
        "[4, 2, 3]");
    assertRejects(
        "batchNormBackward",
        () -> ref.batchNormBackward(t(4, 2), t(2, 4), t(2), t(2), t(2), true, t(4, 2), t(2), t(2)),
        "[2, 4]",
        "[4, 2]");
  }

  @Test
  void dropoutAndConcat() {
    assertRejects("dropoutMask", () -> ref.dropoutMask(1, 1.5f, t(2, 3)), "[2, 3]");
    assertRejects(
        "concat",
        () -> ref.concat(new Tensor[] {t(2, 3), t(3, 3)}, 1, t(2, 6)),
        "[3, 3]",
        "[2, 6]");
    assertRejects(
        "concat",
        () -> ref.concat(new Tensor[] {t(2, 3), t(2, 2)}, 1, t(2, 6)),
        "[2, 2]",
        "[2, 6]");
    assertRejects("concat", () -> ref.concat(new Tensor[] {t(2, 3)}, 2, t(2, 3)), "[2, 3]");
    assertRejects(
        "split", () -> ref.split(t(4, 3), 0, new Tensor[] {t(2, 3), t(2, 2)}), "[2, 2]", "[4, 3]");
  }

  @Test
  void lossAndIndexing() {
    IntTensor labels = IntTensor.of(new int[] {0, 1}, 2);
    assertRejects(
        "softmaxCrossEntropy",
        () -> ref.softmaxCrossEntropy(t(2, 3), labels, t(3, 2)),
        "[2, 3]",
        "[3, 2]");
    assertRejects(
        "softmaxCrossEntropy",
        () -> ref.softmaxCrossEntropy(t(2, 3), IntTensor.of(new int[] {0, 3}, 2), t(2, 3)),
        "[2, 3]");
    assertRejects(
        "softmaxCrossEntropy",
        () -> ref.softmaxCrossEntropy(t(3, 3), labels, t(3, 3)),
        "[2]",
        "[3]");
    assertRejects(
        "softmaxCrossEntropyBackward",
        () -> ref.softmaxCrossEntropyBackward(t(2, 3), labels, 1, t(2, 4)),
        "[2, 3]",
        "[2, 4]");
    assertRejects("gather", () -> ref.gather(t(4), IntTensor.zeros(3), t(2)), "[3]", "[2]");
    assertRejects("gather", () -> ref.gather(t(4), IntTensor.of(new int[] {4}, 1), t(1)), "[4]");
    assertRejects("scatterAdd", () -> ref.scatterAdd(t(2), IntTensor.zeros(3), t(4)), "[3]", "[2]");
    assertRejects(
        "scatterAdd", () -> ref.scatterAdd(t(1), IntTensor.of(new int[] {-1}, 1), t(4)), "[4]");
  }

  @Test
  void optimizers() {
    assertRejects(
        "sgdStep", () -> ref.sgdStep(t(2), t(3), t(2), 0.1f, 0.9f, 0, false), "[2]", "[3]");
    assertRejects("sgdStep", () -> ref.sgdStep(t(2), t(2), null, 0.1f, 0.9f, 0, false), "[2]");
    assertRejects(
        "sgdStep", () -> ref.sgdStep(t(2), t(2), t(3), 0.1f, 0.9f, 0, false), "[3]", "[2]");
    assertRejects("sgdStep", () -> ref.sgdStep(t(2), t(2), null, 0.1f, 0, 0, true), "[2]");
    assertRejects(
        "adamStep",
        () -> ref.adamStep(t(2), t(2), t(3), t(2), 0.1f, 0.9f, 0.999f, 1e-8f, 0, 1),
        "[3]",
        "[2]");
    assertRejects(
        "adamStep",
        () -> ref.adamStep(t(2), t(2), t(2), t(2), 0.1f, 0.9f, 0.999f, 1e-8f, 0, 0),
        "step");
  }
}
