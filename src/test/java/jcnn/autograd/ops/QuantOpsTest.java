package jcnn.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import jcnn.autograd.Variable;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The straight-through ops of binary and ternary training. Their gradients are rules, not
 * derivatives, where sign and the thresholds are flat: those parts are checked against values
 * worked by hand from the papers' formulas; the parts that are true derivatives (XNOR-Net's scale,
 * TTQ's two scales) against central differences.
 */
class QuantOpsTest {
  private static final float[] W = {0.5f, -0.2f, 1.5f, 0f, -2f, 0.3f, -0.7f, 0.1f}; // [2, 4]
  private static final float[] G = {1, 2, 3, 4, 5, 6, 7, 8};

  private static Backend previous;

  @BeforeAll
  static void useReference() {
    previous = Backends.use(Backends.reference());
  }

  @AfterAll
  static void restore() {
    Backends.use(previous);
  }

  private static Variable leaf(float[] v, int... dims) {
    return Variable.param(Tensor.of(v.clone(), dims));
  }

  @Test
  void signForwardAndHardTanhGradient() {
    Variable w = leaf(W, 2, 4);
    Variable y = F.binarize(w, false, 0, false);
    assertArrayEquals(new float[] {1, -1, 1, 1, -1, 1, -1, 1}, y.value().data());
    y.backward(Tensor.of(G.clone(), 2, 4));
    // g where |w| <= 1, 0 where the weight has saturated (1.5 and -2)
    assertArrayEquals(new float[] {1, 2, 0, 4, 0, 6, 7, 8}, w.grad().data());
  }

  @Test
  void channelScaleForwardAndGradientByHand() {
    Variable w = leaf(W, 2, 4);
    Variable y = F.binarize(w, false, 0, true);
    float a0 = (0.5f + 0.2f + 1.5f + 0f) / 4; // 0.55
    float a1 = (2f + 0.3f + 0.7f + 0.1f) / 4; // 0.775
    assertArrayEquals(new float[] {a0, -a0, a0, a0, -a1, a1, -a1, a1}, y.value().data(), 1e-6f);
    y.backward(Tensor.of(G.clone(), 2, 4));
    // gw_i = a g_i 1{|w_i| <= 1} + sign(w_i) / n * sum_j g_j b_j
    float s0 = (1 - 2 + 3 + 4) / 4f; // 1.5
    float s1 = (-5 + 6 - 7 + 8) / 4f; // 0.5
    float[] expect = {
      a0 * 1 + s0, a0 * 2 - s0, s0, a0 * 4, -s1, a1 * 6 + s1, a1 * 7 - s1, a1 * 8 + s1
    };
    assertArrayEquals(expect, w.grad().data(), 1e-5f);
  }

  @Test
  void channelScaleGradientIsTheDerivativeWhereSignIsFlat() {
    // every |w| > 1 and away from 0: the sign cannot flip under the step, the STE part is 0, and
    // what is left is the true derivative of a_k * sign(w)
    Tensor t = Tensor.uniform(7, 1.2f, 3f, 3, 2, 3, 3);
    float[] v = t.data();
    for (int i = 0; i < v.length; i += 3) {
      v[i] = -v[i];
    }
    GradCheck.standard()
        .check("binarize scale", in -> F.binarize(in[0], false, 0, true), Variable.param(t));
  }

  @Test
  void stochasticDrawsFollowTheHardSigmoidAndTheSeed() {
    float[] w = new float[40_000];
    Arrays.fill(w, 0, 20_000, 0.5f); // p = 0.75
    Arrays.fill(w, 20_000, 40_000, -1.5f); // p = 0: always -1
    Variable v = Variable.param(Tensor.of(w, 2, 20_000));
    float[] b1 = F.binarize(v, true, 42, false).value().data();
    float[] b2 = F.binarize(v, true, 42, false).value().data();
    float[] b3 = F.binarize(v, true, 43, false).value().data();
    assertArrayEquals(b1, b2, "same seed, same draws");
    java.util.SplittableRandom u = new java.util.SplittableRandom(42);
    for (int i = 0; i < w.length; i++) { // the documented rule: b = +1 iff u < p, u in stream order
      double p = Math.min(1.0, Math.max(0.0, (w[i] + 1.0) / 2.0));
      assertEquals(u.nextDouble() < p ? 1f : -1f, b1[i], "draw " + i);
    }
    assertFalse(Arrays.equals(b1, b3), "another seed draws otherwise");
    int plus = 0;
    for (int i = 0; i < 20_000; i++) {
      assertTrue(b1[i] == 1f || b1[i] == -1f);
      plus += b1[i] > 0 ? 1 : 0;
    }
    // binomial(20000, 0.75): sd 61; 5 sd either side
    assertEquals(15_000, plus, 310, "share of +1 at p = 0.75");
    for (int i = 20_000; i < 40_000; i++) {
      assertEquals(-1f, b1[i]);
    }
  }

  @Test
  void twnLevelsAndStraightThroughGradient() {
    float[] w = {0.1f, -0.9f, 0.5f, -0.05f, 1.2f, 0f};
    Variable v = leaf(w, 6);
    Variable y = F.ternarize(v);
    float delta = 0.7f * (0.1f + 0.9f + 0.5f + 0.05f + 1.2f) / 6; // 0.3208
    float alpha = (0.9f + 0.5f + 1.2f) / 3; // the mean magnitude above delta
    Ternarize.Levels lv = Ternarize.levels(w);
    assertEquals(delta, lv.delta(), 1e-6f);
    assertEquals(alpha, lv.alpha(), 1e-6f);
    assertArrayEquals(new float[] {0, -alpha, alpha, 0, alpha, 0}, y.value().data(), 1e-6f);
    y.backward(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 6));
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, v.grad().data(), "gw = g");
  }

  @Test
  void ttqLevelsAndThePapersLatentGradient() {
    float[] w = {0.9f, -0.5f, 0.01f, -1.0f, 0.3f}; // max 1, delta 0.05
    Variable v = leaf(w, 5);
    Variable wp = leaf(new float[] {2f}, 1);
    Variable wn = leaf(new float[] {3f}, 1);
    Variable y = F.trainedTernary(v, wp, wn, TrainedTernary.THRESHOLD);
    assertArrayEquals(new float[] {2, -3, 0, -3, 2}, y.value().data());
    y.backward(Tensor.of(new float[] {1, 2, 3, 4, 5}, 5));
    // Eq. 8: wp * g on I_p, g in the dead zone, wn * g on I_n
    assertArrayEquals(new float[] {2, 6, 3, 12, 10}, v.grad().data());
    assertEquals(1 + 5, wp.grad().item(), "gwp = sum of g on I_p");
    assertEquals(-(2 + 4), wn.grad().item(), "gwn = -sum of g on I_n (y = -wn there)");
  }

  @Test
  void ttqScaleGradientsAreDerivatives() {
    Variable w = Variable.constant(Tensor.randn(3, 1f, 4, 3, 3, 3));
    Variable wp = leaf(new float[] {0.8f}, 1);
    Variable wn = leaf(new float[] {1.3f}, 1);
    GradCheck.standard()
        .check(
            "ttq scales",
            in -> F.trainedTernary(w, in[0], in[1], TrainedTernary.THRESHOLD),
            wp,
            wn);
  }

  @Test
  void ttqSkipsTheLatentGradientWhenNotWanted() {
    Variable w = Variable.constant(Tensor.of(new float[] {1f, -1f}, 2));
    Variable wp = leaf(new float[] {1f}, 1);
    Variable y = F.trainedTernary(w, wp, Variable.constant(Tensor.of(new float[] {1f}, 1)), 0.05);
    y.backward(Tensor.of(new float[] {1f, 1f}, 2));
    assertEquals(1f, wp.grad().item());
    assertNull(w.grad());
  }
}
