package jcnn.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcnn.autograd.ops.F;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.backend.ConvSpec;
import jcnn.backend.PoolSpec;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine itself: accumulation, topological order, no-grad scopes, errors. */
class AutogradTest {
  private static Backend previous;

  @BeforeAll
  static void useReference() {
    previous = Backends.use(Backends.reference());
  }

  @AfterAll
  static void restore() {
    Backends.use(previous);
  }

  private static Variable param(float... v) {
    return Variable.param(Tensor.of(v, v.length));
  }

  @Test
  void diamondSumsBothPaths() {
    // y = a*a + a  ->  dy/da = 2a + 1, with 'a' reached through two branches.
    Variable a = param(3f, -2f);
    Variable y = F.sum(F.add(F.mul(a, a), a));
    y.backward();
    assertArrayEquals(new float[] {7f, -3f}, a.grad().data(), 1e-6f);
  }

  @Test
  void sharedIntermediateGetsBothGradients() {
    // h = 2a; y = h*h + h  ->  dy/da = (2h + 1) * 2
    Variable a = param(1f);
    Variable h = F.scale(a, 2f);
    F.sum(F.add(F.mul(h, h), h)).backward();
    assertEquals(10f, a.grad().data()[0], 1e-6f);
  }

  @Test
  void leafGradientsAccumulateUntilZeroed() {
    Variable a = param(1f, 2f);
    F.sum(F.scale(a, 3f)).backward();
    F.sum(F.scale(a, 3f)).backward();
    assertArrayEquals(new float[] {6f, 6f}, a.grad().data(), 1e-6f);
    a.zeroGrad();
    assertArrayEquals(new float[] {0f, 0f}, a.grad().data());
  }

  @Test
  void constantsGetNoGradient() {
    Variable a = param(1f, 2f);
    Variable c = Variable.constant(Tensor.of(new float[] {5f, 6f}, 2));
    F.sum(F.mul(a, c)).backward();
    assertNull(c.grad());
    assertArrayEquals(new float[] {5f, 6f}, a.grad().data(), 1e-6f);
  }

  @Test
  void noGradScopeRecordsNothing() {
    Variable a = param(1f, 2f);
    Variable y;
    try (var scope = GradMode.noGrad()) {
      assertFalse(GradMode.isEnabled());
      y = F.sum(F.mul(a, a));
    }
    assertTrue(GradMode.isEnabled());
    assertTrue(y.isLeaf());
    assertFalse(y.requiresGrad());
    assertThrows(IllegalStateException.class, y::backward);
  }

  @Test
  void deepChainDoesNotOverflowTheStack() {
    Variable a = param(1f);
    Variable y = a;
    for (int i = 0; i < 20_000; i++) {
      y = F.add(y, Variable.constant(Tensor.scalar(0f)).requiresGrad(false));
    }
    F.sum(y).backward();
    assertEquals(1f, a.grad().data()[0]);
  }

  @Test
  void nanInBackwardNamesTheOp() {
    // log(0) = -inf is a legal forward value; its derivative 1/0 is not a finite gradient.
    Variable x = param(0f, 1f);
    Variable y = F.sum(F.unary(jcnn.backend.UnaryOp.LOG, x));
    ArithmeticException e = assertThrows(ArithmeticException.class, y::backward);
    assertTrue(e.getMessage().startsWith("log backward produced NaN or Inf"), e.getMessage());
    assertTrue(e.getMessage().contains("[2]"), e.getMessage());
  }

  @Test
  void backwardNeedsScalarOrSeed() {
    Variable a = param(1f, 2f);
    Variable y = F.scale(a, 2f);
    assertThrows(IllegalStateException.class, y::backward);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.zeros(3)));
    assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
  }

  @Test
  void wrongShapesNameTheOpAndBothShapes() {
    Variable a = Variable.param(Tensor.zeros(2, 3));
    Variable b = Variable.param(Tensor.zeros(4));
    assertMessage("add: shapes [2, 3] and [4]", () -> F.add(a, b));
    assertMessage(
        "matmul", "[2, 3]", "[4, 5]", () -> F.matmul(a, Variable.param(Tensor.zeros(4, 5))));
    Variable x = Variable.param(Tensor.zeros(1, 3, 8, 8));
    Variable w = Variable.param(Tensor.zeros(4, 2, 3, 3));
    assertMessage(
        "conv2d", "[1, 3, 8, 8]", "[4, 2, 3, 3]", () -> F.conv2d(x, w, null, ConvSpec.of(1, 0)));
    assertMessage("maxPool2d", "[2, 3]", () -> F.maxPool2d(a, PoolSpec.of(2, 2)));
    assertMessage("concat", "[2, 3]", "[4]", () -> F.concat(1, a, b));
    assertMessage(
        "softmaxCrossEntropy", "[2, 3]", () -> F.softmaxCrossEntropy(a, IntTensor.zeros(3)));
    assertMessage("reshape", "[2, 3]", () -> F.reshape(a, 4, 2));
    assertMessage(
        "batchNorm",
        "[2, 3]",
        () -> F.batchNorm(a, b, b, Tensor.zeros(4), Tensor.zeros(4), true, 0.1f, 1e-5f));
  }

  private static void assertMessage(String p1, Runnable call) {
    check(call, p1);
  }

  private static void assertMessage(String p1, String p2, Runnable call) {
    check(call, p1, p2);
  }

  private static void assertMessage(String p1, String p2, String p3, Runnable call) {
    check(call, p1, p2, p3);
  }

  private static void check(Runnable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
    }
    assertTrue(e.getMessage().startsWith(parts[0]), e.getMessage());
  }
}
