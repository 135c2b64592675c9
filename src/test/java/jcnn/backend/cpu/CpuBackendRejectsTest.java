package jcnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import jcnn.backend.Backend;
import jcnn.backend.BinaryOp;
import jcnn.backend.ConvSpec;
import jcnn.backend.PoolSpec;
import jcnn.backend.UnaryOp;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fast backend rejects every bad call the reference rejects, before touching any data, with an
 * IllegalArgumentException that names the op and prints the offending shapes.
 */
class CpuBackendRejectsTest {
  /** A bad call, the op name its message must start with, and shapes it must print. */
  private record Bad(String op, Consumer<Backend> call, String... shapes) {}

  private static Tensor t(int... dims) {
    return Tensor.zeros(dims);
  }

  private static final IntTensor LABELS = IntTensor.of(new int[] {0, 1}, 2);
  private static final ConvSpec PAD1 = ConvSpec.of(1, 1);

  private static final List<Bad> BAD =
      List.of(
          new Bad("binary", b -> b.binary(BinaryOp.ADD, t(2, 3), t(4), t(2, 3)), "[2, 3]", "[4]"),
          new Bad("binary", b -> b.binary(BinaryOp.MUL, t(2, 3), t(3), t(3, 2)), "[3, 2]"),
          new Bad("unary", b -> b.unary(UnaryOp.RELU, t(2, 3), t(3)), "[2, 3]", "[3]"),
          new Bad(
              "unaryBackward",
              b -> b.unaryBackward(UnaryOp.TANH, t(2, 3), t(2, 3), t(3, 2), t(2, 3)),
              "[3, 2]"),
          new Bad("axpby", b -> b.axpby(1, t(2), 1, t(3)), "[2]", "[3]"),
          new Bad("sumTo", b -> b.sumTo(t(2, 3), t(2)), "[2, 3]", "[2]"),
          new Bad("sumTo", b -> b.sumTo(t(3), t(2, 3)), "[3]", "[2, 3]"),
          new Bad("matmul", b -> b.matmul(t(2, 3), false, t(2, 2), false, t(2, 2), 1, 0), "[2, 3]"),
          new Bad(
              "conv2d",
              b -> b.conv2dForward(t(1, 3, 5, 5), t(4, 3, 3, 3), null, PAD1, t(1, 4, 3, 3)),
              "[1, 4, 3, 3]",
              "[1, 4, 5, 5]"),
          new Bad(
              "conv2d",
              b -> b.conv2dForward(t(1, 3, 5, 5), t(4, 2, 3, 3), null, PAD1, t(1, 4, 5, 5)),
              "[4, 2, 3, 3]"),
          new Bad(
              "conv2d",
              b -> b.conv2dForward(t(1, 3, 5, 5), t(4, 3, 3, 3), t(3), PAD1, t(1, 4, 5, 5)),
              "[3]"),
          new Bad(
              "conv2d",
              b ->
                  b.conv2dForward(
                      t(1, 3, 2, 2), t(4, 3, 5, 5), null, ConvSpec.of(1, 0), t(1, 4, 1, 1)),
              "[4, 3, 5, 5]"),
          new Bad(
              "conv2dBackwardData",
              b -> b.conv2dBackwardData(t(1, 4, 4, 4), t(4, 3, 3, 3), PAD1, t(1, 3, 5, 5)),
              "[1, 4, 4, 4]"),
          new Bad(
              "conv2dBackwardWeight",
              b -> b.conv2dBackwardWeight(t(1, 3, 5, 5), t(1, 4, 4, 4), PAD1, t(4, 3, 3, 3)),
              "[1, 4, 4, 4]"),
          new Bad(
              "maxPool2d",
              b ->
                  b.maxPool2dForward(
                      t(1, 2, 4, 4), PoolSpec.of(2, 2), t(1, 2, 3, 3), IntTensor.zeros(1, 2, 2, 2)),
              "[1, 2, 3, 3]"),
          new Bad(
              "maxPool2d",
              b ->
                  b.maxPool2dForward(
                      t(1, 1, 4, 4),
                      PoolSpec.of(2, 1, 2),
                      t(1, 1, 7, 7),
                      IntTensor.zeros(1, 1, 7, 7)),
              "[1, 1, 4, 4]"),
          new Bad(
              "maxPool2dBackward",
              b -> b.maxPool2dBackward(t(1, 3, 2, 2), IntTensor.zeros(1, 3, 2, 2), t(1, 2, 4, 4)),
              "[1, 3, 2, 2]",
              "[1, 2, 4, 4]"),
          new Bad(
              "maxPool2dBackward",
              b ->
                  b.maxPool2dBackward(
                      t(1, 1, 1, 1), IntTensor.of(new int[] {16}, 1, 1, 1, 1), t(1, 1, 4, 4)),
              "[1, 1, 4, 4]"),
          new Bad(
              "avgPool2dBackward",
              b -> b.avgPool2dBackward(t(1, 2, 3, 3), PoolSpec.of(2, 2), t(1, 2, 4, 4)),
              "[1, 2, 3, 3]"),
          new Bad(
              "batchNorm",
              b ->
                  b.batchNormForward(
                      t(4, 2), t(3), t(2), t(2), t(2), true, 0.1f, 1e-5f, t(4, 2), t(2), t(2)),
              "[3]"),
          new Bad(
              "batchNorm",
              b ->
                  b.batchNormForward(
                      t(1, 2), t(2), t(2), t(2), t(2), true, 0.1f, 1e-5f, t(1, 2), t(2), t(2)),
              "[1, 2]"),
          new Bad(
              "batchNormBackward",
              b ->
                  b.batchNormBackward(
                      t(4, 2), t(2, 4), t(2), t(2), t(2), true, t(4, 2), t(2), t(2)),
              "[2, 4]"),
          new Bad("dropoutMask", b -> b.dropoutMask(1, 1.5f, t(2, 3)), "[2, 3]"),
          new Bad("concat", b -> b.concat(new Tensor[] {t(2, 3), t(3, 3)}, 1, t(2, 6)), "[3, 3]"),
          new Bad("split", b -> b.split(t(4, 3), 0, new Tensor[] {t(2, 3), t(2, 2)}), "[2, 2]"),
          new Bad(
              "softmaxCrossEntropy",
              b -> b.softmaxCrossEntropy(t(2, 3), IntTensor.of(new int[] {0, 3}, 2), t(2, 3)),
              "[2, 3]"),
          new Bad(
              "softmaxCrossEntropyBackward",
              b -> b.softmaxCrossEntropyBackward(t(2, 3), LABELS, 1, t(2, 4)),
              "[2, 4]"),
          new Bad("gather", b -> b.gather(t(4), IntTensor.zeros(3), t(2)), "[3]", "[2]"),
          new Bad(
              "scatterAdd", b -> b.scatterAdd(t(1), IntTensor.of(new int[] {-1}, 1), t(4)), "[4]"),
          new Bad("sgdStep", b -> b.sgdStep(t(2), t(2), null, 0.1f, 0.9f, 0, false), "[2]"),
          new Bad("sgdStep", b -> b.sgdStep(t(2), t(2), null, 0.1f, 0, 0, true), "[2]"),
          new Bad(
              "adamStep",
              b -> b.adamStep(t(2), t(2), t(3), t(2), 0.1f, 0.9f, 0.999f, 1e-8f, 0, 1),
              "[3]"),
          new Bad(
              "adamStep",
              b -> b.adamStep(t(2), t(2), t(2), t(2), 0.1f, 0.9f, 0.999f, 1e-8f, 0, 0),
              "[2]"));

  @Test
  void rejectsWhatTheReferenceRejects() {
    for (Backend b : new Backend[] {Parity.REF, Parity.fast(1), Parity.fast(2)}) {
      for (Bad bad : BAD) {
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () -> bad.call().accept(b),
                b.name() + " should reject a bad " + bad.op());
        if (b != Parity.REF) {
          String msg = e.getMessage();
          assertTrue(
              msg.startsWith(bad.op()), "message should start with " + bad.op() + ": " + msg);
          for (String s : bad.shapes()) {
            assertTrue(msg.contains(s), "message should contain " + s + ": " + msg);
          }
        }
      }
    }
  }
}
