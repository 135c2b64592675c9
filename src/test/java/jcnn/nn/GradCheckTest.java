package jcnn.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The gradient checker itself: it must fail on a wrong gradient and skip genuine kinks only. */
class GradCheckTest {
  private static Backend previous;

  @BeforeAll
  static void useReference() {
    previous = Backends.use(Backends.reference());
  }

  @AfterAll
  static void restore() {
    Backends.use(previous);
  }

  @Test
  void failsOnAWrongGradient() {
    // y = x * detach(x): autograd sees only one factor, so the analytic gradient is x, not 2x.
    Variable x = Variable.param(Tensor.uniform(1, 0.5f, 1f, 3, 4));
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () -> GradCheck.check("x*detach(x)", v -> F.mul(v, v.detach()), x, Map.of(), 2, 0));
    assertTrue(e.getMessage().contains("input[0]"), e.getMessage());
  }

  @Test
  void skipsOnlyElementsOnAKink() {
    // relu(x - 0.005) has its kink within one step of x = 0 only; the other inputs are far away.
    Tensor t = Tensor.of(new float[] {0f, 0.5f, -0.5f, 0.8f}, 1, 4);
    Variable shift = Variable.constant(Tensor.scalar(0.005f));
    GradCheck.Result r =
        GradCheck.check(
            "relu(x - 0.005)", v -> F.relu(F.sub(v, shift)), Variable.param(t), Map.of(), 3, 0.25);
    assertTrue(r.skipped() == 1 && r.checked() == 3, r.toString());
  }
}
