package jcnn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.nn.Parameter;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sgd and Adam against steps computed by hand with PyTorch's update rules (gradients set directly,
 * so only the optimizer is under test), null-gradient skipping, and state save / restore.
 */
class OptimizerTest {
  private static Backend previous;

  @BeforeAll
  static void useReference() {
    previous = Backends.use(Backends.reference());
  }

  @AfterAll
  static void restore() {
    Backends.use(previous);
  }

  private static Parameter param(float... w) {
    return new Parameter(Tensor.of(w.clone(), w.length));
  }

  /** Runs steps with the given gradients and returns w after each step. */
  private static float[][] run(Optimizer opt, Parameter p, float[]... grads) {
    float[][] out = new float[grads.length][];
    for (int s = 0; s < grads.length; s++) {
      opt.zeroGrad();
      p.setGrad(Tensor.of(grads[s].clone(), grads[s].length));
      opt.step();
      out[s] = p.value().data().clone();
    }
    return out;
  }

  @Test
  void sgdWithMomentumAndWeightDecay() {
    // w0 = 1, g = 0.5 each step, lr 0.1, momentum 0.9, weight decay 0.1:
    // 1: g' = 0.5 + 0.1*1 = 0.6, v = 0.6, w = 1 - 0.06 = 0.94
    // 2: g' = 0.5 + 0.094 = 0.594, v = 0.54 + 0.594 = 1.134, w = 0.94 - 0.1134 = 0.8266
    // 3: g' = 0.5 + 0.08266 = 0.58266, v = 1.0206 + 0.58266 = 1.60326, w = 0.666274
    Parameter p = param(1f);
    float[][] w = run(new Sgd(List.of(p), 0.1, 0.9, 0.1, false), p, g(0.5f), g(0.5f), g(0.5f));
    assertEquals(0.94f, w[0][0], 1e-6f);
    assertEquals(0.8266f, w[1][0], 1e-6f);
    assertEquals(0.666274f, w[2][0], 1e-6f);
  }

  @Test
  void sgdNesterov() {
    // As above with Nesterov, the step is g' + 0.9 v:
    // 1: g' = 0.6, v = 0.6, step 0.6 + 0.54 = 1.14, w = 0.886
    // 2: g' = 0.5 + 0.0886 = 0.5886, v = 0.54 + 0.5886 = 1.1286, step 0.5886 + 1.01574 = 1.60434,
    //    w = 0.886 - 0.160434 = 0.725566
    Parameter p = param(1f);
    float[][] w = run(new Sgd(List.of(p), 0.1, 0.9, 0.1, true), p, g(0.5f), g(0.5f));
    assertEquals(0.886f, w[0][0], 1e-6f);
    assertEquals(0.725566f, w[1][0], 1e-6f);
  }

  @Test
  void plainSgd() {
    Parameter p = param(1f, -1f);
    float[][] w = run(new Sgd(List.of(p), 0.5), p, g(0.2f, -0.4f), g(1f, 0f));
    assertArrayEquals(new float[] {0.9f, -0.8f}, w[0], 1e-6f);
    assertArrayEquals(new float[] {0.4f, -0.8f}, w[1], 1e-6f);
  }

  @Test
  void adamWithWeightDecay() {
    // w0 = (1, -2), lr 0.1, betas (0.9, 0.999), eps 1e-8, weight decay 0.1; g' = g + 0.1 w,
    // m = 0.9 m + 0.1 g', v = 0.999 v + 0.001 g'^2, w -= 0.1 * (m / (1 - 0.9^t)) /
    // (sqrt(v / (1 - 0.999^t)) + eps). Step 1 moves each weight by lr exactly (mhat/sqrt(vhat) =
    // sign g'); steps 2 and 3 computed in double: w = (0.847519063, -1.840070356), then
    // (0.790162183, -1.789409929).
    Parameter p = param(1f, -2f);
    Adam adam = new Adam(List.of(p), 0.1, 0.9, 0.999, 1e-8, 0.1);
    float[][] w = run(adam, p, g(0.5f, -1f), g(-0.2f, 0.3f), g(0.1f, 0.1f));
    assertArrayEquals(new float[] {0.9f, -1.9f}, w[0], 1e-6f);
    assertArrayEquals(new float[] {0.847519063f, -1.840070356f}, w[1], 2e-6f);
    assertArrayEquals(new float[] {0.790162183f, -1.789409929f}, w[2], 2e-6f);
    assertEquals(3, adam.steps());
  }

  private static float[] g(float... v) {
    return v;
  }

  @Test
  void parametersWithoutGradientAreSkipped() {
    Parameter used = param(1f);
    Parameter unused = param(5f);
    Sgd sgd = new Sgd(List.of(used, unused), 0.1, 0.9, 0.5, false);
    used.setGrad(Tensor.of(new float[] {1f}, 1));
    sgd.step();
    assertEquals(
        5f, unused.value().data()[0], "weight decay must not touch a parameter without grad");
    assertNull(sgd.state().get("1.momentum"));
    assertTrue(sgd.state().containsKey("0.momentum"));
  }

  /** Training 3 steps, saving, then 2 more equals restoring the save into a fresh optimizer. */
  private static void stateRoundTrip(Function<Parameter, Optimizer> make) {
    float[][] grads = {g(0.5f, -1f), g(-0.2f, 0.3f), g(0.1f, 0.1f), g(0.7f, -0.1f), g(0f, 2f)};
    Parameter p = param(1f, -2f);
    Optimizer a = make.apply(p);
    run(a, p, grads[0], grads[1], grads[2]);
    Map<String, Tensor> saved = a.state();
    float[] w3 = p.value().data().clone();
    float[][] straight = run(a, p, grads[3], grads[4]);

    Parameter q = param(w3);
    Optimizer b = make.apply(q);
    b.loadState(saved);
    assertEquals(3, b.steps());
    assertArrayEquals(straight[1], run(b, q, grads[3], grads[4])[1]);
  }

  @Test
  void stateSaveAndRestoreContinueExactly() {
    stateRoundTrip(p -> new Sgd(List.of(p), 0.1, 0.9, 0.01, true));
    stateRoundTrip(p -> new Adam(List.of(p), 0.05, 0.9, 0.99, 1e-8, 0.01));
  }

  @Test
  void loadStateNamesTheBadKey() {
    Parameter p = param(1f, 2f);
    Sgd sgd = new Sgd(List.of(p), 0.1, 0.9, 0, false);
    Map<String, Tensor> bad = Map.of("step", Tensor.scalar(1), "0.momentum", Tensor.zeros(3));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sgd.loadState(bad));
    assertEquals("Sgd.loadState: 0.momentum: expected [2], got [3]", e.getMessage());
    Map<String, Tensor> unknown = Map.of("step", Tensor.scalar(1), "1.momentum", Tensor.zeros(2));
    e = assertThrows(IllegalArgumentException.class, () -> sgd.loadState(unknown));
    assertTrue(e.getMessage().contains("unexpected key '1.momentum'"), e.getMessage());
    Adam adam = new Adam(List.of(p), 0.1);
    Map<String, Tensor> partial = Map.of("step", Tensor.scalar(1), "0.m", Tensor.zeros(2));
    e = assertThrows(IllegalArgumentException.class, () -> adam.loadState(partial));
    assertTrue(e.getMessage().contains("needs all of [m, v, step] or none"), e.getMessage());
  }

  @Test
  void badSettingsAreRejected() {
    List<Parameter> ps = List.of(param(1f));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, -0.1));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, 0, 0, true));
    assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 1.0, 0.999, 1e-8, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), 0.1));
  }
}
