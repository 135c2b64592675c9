package jcnn.compress.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The four criteria on small hand-made weights with the masks worked out by hand: exact counts,
 * ties broken by index, monotone masks, class-distribution thresholds (s given and s solved), and
 * the input checks. The std values of layers a and b were computed with NumPy (float64 std of the
 * float32 values): std(a) = 0.44760, std(b) = 0.31654.
 */
class PruneCriterionTest {

  /** Layer a [2, 3] and layer b [2, 2]: 10 weights, with a tie |-0.1| = |0.1| across layers. */
  private static LinkedHashMap<String, Tensor> weights() {
    LinkedHashMap<String, Tensor> w = new LinkedHashMap<>();
    w.put("a", Tensor.of(new float[] {0.5f, -0.1f, 0.3f, -0.9f, 0.2f, 0.05f}, 2, 3));
    w.put("b", Tensor.of(new float[] {0.4f, -0.02f, 0.8f, 0.1f}, 2, 2));
    return w;
  }

  private static final Map<String, Tensor> NONE = Map.of();

  private static float[] m(Map<String, Tensor> masks, String name) {
    return masks.get(name).data();
  }

  @Test
  void globalPrunesTheSmallestOverTheWholeNetworkTiesByIndex() {
    // |w| ascending: b1 0.02, a5 0.05, then the tie a1 = b3 = 0.1: a1 has the lower index.
    Map<String, Tensor> m3 = PruneCriterion.global().masks(weights(), NONE, 0.3);
    assertArrayEquals(new float[] {1, 0, 1, 1, 1, 0}, m(m3, "a"));
    assertArrayEquals(new float[] {1, 0, 1, 1}, m(m3, "b"));
    Map<String, Tensor> m4 = PruneCriterion.global().masks(weights(), NONE, 0.4);
    assertArrayEquals(new float[] {1, 0, 1, 1, 1, 0}, m(m4, "a"));
    assertArrayEquals(new float[] {1, 0, 1, 0}, m(m4, "b"));
    assertEquals(Shape.of(2, 3), m4.get("a").shape());
  }

  @Test
  void uniformPrunesTheSameFractionOfEveryLayer() {
    Map<String, Tensor> half = PruneCriterion.uniform().masks(weights(), NONE, 0.5);
    assertArrayEquals(new float[] {1, 0, 1, 1, 0, 0}, m(half, "a")); // 3 of 6: 0.05, 0.1, 0.2
    assertArrayEquals(new float[] {1, 0, 1, 0}, m(half, "b")); // 2 of 4: 0.02, 0.1
    // 0.25 * 6 = 1.5 rounds to 2, 0.25 * 4 = 1.
    Map<String, Tensor> q = PruneCriterion.uniform().masks(weights(), NONE, 0.25);
    assertArrayEquals(new float[] {1, 0, 1, 1, 1, 0}, m(q, "a"));
    assertArrayEquals(new float[] {1, 0, 1, 1}, m(q, "b"));
  }

  @Test
  void layerWiseUsesEachLayersFractionScaledByTheTarget() {
    PruneCriterion c = PruneCriterion.layerWise(Map.of("a", 0.5));
    Map<String, Tensor> full = c.masks(weights(), NONE, 1.0);
    assertArrayEquals(new float[] {1, 0, 1, 1, 0, 0}, m(full, "a"));
    assertArrayEquals(new float[] {1, 1, 1, 1}, m(full, "b")); // not in the map: untouched
    Map<String, Tensor> halfWay = c.masks(weights(), NONE, 0.5); // a to 0.25: 2 of 6
    assertArrayEquals(new float[] {1, 0, 1, 1, 1, 0}, m(halfWay, "a"));
    assertEquals("layer", c.name());
  }

  @Test
  void equalMagnitudesArePrunedInIndexOrderToTheExactCount() {
    LinkedHashMap<String, Tensor> w = new LinkedHashMap<>();
    w.put("x", Tensor.full(1f, 10));
    Map<String, Tensor> m = PruneCriterion.global().masks(w, NONE, 0.35); // round(3.5) = 4
    assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, m(m, "x"));
  }

  @Test
  void requestedFractionsPruneExactlyRoundedCountsEvenWithManyTies() {
    LinkedHashMap<String, Tensor> w = new LinkedHashMap<>();
    SplittableRandom r = new SplittableRandom(3);
    int total = 0;
    for (String name : new String[] {"p", "q", "r"}) {
      float[] v = new float[97 + name.charAt(0)]; // 209, 210 and 211 values
      total += v.length;
      for (int i = 0; i < v.length; i++) {
        v[i] = (r.nextInt(21) - 10) / 8f; // 21 values: many ties, some zeros
      }
      w.put(name, Tensor.of(v, v.length));
    }
    for (double f : new double[] {0, 0.05, 0.33, 0.5, 0.77, 1}) {
      Map<String, Tensor> g = PruneCriterion.global().masks(w, NONE, f);
      assertEquals(Math.round(f * total), zeros(g), "global at " + f);
      Map<String, Tensor> u = PruneCriterion.uniform().masks(w, NONE, f);
      for (String name : w.keySet()) {
        int n = w.get(name).numel();
        assertEquals(Math.round(f * n), zeros(Map.of(name, u.get(name))), name + " at " + f);
      }
    }
  }

  private static long zeros(Map<String, Tensor> masks) {
    long z = 0;
    for (Tensor t : masks.values()) {
      for (float v : t.data()) {
        z += v == 0f ? 1 : 0;
      }
    }
    return z;
  }

  @Test
  void alreadyPrunedWeightsStayPrunedAndCountTowardsTheTarget() {
    // a3 (-0.9, the largest) is pruned already; global 0.3 adds the two smallest: b1 and a5.
    Map<String, Tensor> cur = Map.of("a", Tensor.of(new float[] {1, 1, 1, 0, 1, 1}, 2, 3));
    for (PruneCriterion c : new PruneCriterion[] {PruneCriterion.global(), PruneCriterion.std()}) {
      Map<String, Tensor> m = c.masks(weights(), cur, 0.3);
      assertArrayEquals(new float[] {1, 1, 1, 0, 1, 0}, m(m, "a"), c.name());
      assertArrayEquals(new float[] {1, 0, 1, 1}, m(m, "b"), c.name());
    }
    // Asking for less than is pruned prunes nothing more and unprunes nothing.
    for (PruneCriterion c :
        new PruneCriterion[] {
          PruneCriterion.global(), PruneCriterion.uniform(), PruneCriterion.std()
        }) {
      Map<String, Tensor> m = c.masks(weights(), cur, 0.0);
      assertArrayEquals(new float[] {1, 1, 1, 0, 1, 1}, m(m, "a"), c.name());
      assertArrayEquals(new float[] {1, 1, 1, 1}, m(m, "b"), c.name());
    }
  }

  @Test
  void masksGrowMonotonicallyAlongASchedule() {
    LinkedHashMap<String, Tensor> w = weights();
    for (PruneCriterion c :
        new PruneCriterion[] {
          PruneCriterion.global(), PruneCriterion.uniform(), PruneCriterion.std()
        }) {
      Map<String, Tensor> cur = NONE;
      for (double f = 0.1; f <= 1.0001; f += 0.1) {
        Map<String, Tensor> next = c.masks(w, cur, f);
        for (String name : w.keySet()) {
          float[] before = cur.containsKey(name) ? m(cur, name) : null;
          for (int i = 0; i < m(next, name).length; i++) {
            assertTrue(before == null || before[i] == 1f || m(next, name)[i] == 0f, c.name());
          }
        }
        cur = next;
      }
    }
  }

  @Test
  void classDistributionThresholdIsSTimesTheLayerStd() {
    assertEquals(0.4476016269150262, ClassDistribution.std(weights().get("a"), null), 1e-12);
    Map<String, Tensor> s1 = ClassDistribution.masksAt(weights(), NONE, 1.0);
    assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0}, m(s1, "a")); // |w| < 0.4476
    assertArrayEquals(new float[] {1, 0, 1, 0}, m(s1, "b")); // |w| < 0.3165
    Map<String, Tensor> half = ClassDistribution.masksAt(weights(), NONE, 0.5);
    assertArrayEquals(new float[] {1, 0, 1, 1, 0, 0}, m(half, "a"));
    assertArrayEquals(new float[] {1, 0, 1, 0}, m(half, "b"));
  }

  @Test
  void classDistributionSolvesSForTheGlobalTarget() {
    // |w| / std ascending: b1 0.0632, a5 0.1117, a1 0.2234, b3 0.3159, ... Pruning 3 of 10 needs
    // s just above 0.2234.
    double s = ClassDistribution.solve(weights(), NONE, 0.3);
    assertEquals(0.22341295356618615, s, 1e-9);
    Map<String, Tensor> m = PruneCriterion.std().masks(weights(), NONE, 0.3);
    assertArrayEquals(new float[] {1, 0, 1, 1, 1, 0}, m(m, "a"));
    assertArrayEquals(new float[] {1, 0, 1, 1}, m(m, "b"));
    assertEquals(2, zeros(ClassDistribution.masksAt(weights(), NONE, s * (1 - 1e-7))));
    assertEquals(0.0, ClassDistribution.solve(weights(), NONE, 0.0));
    assertEquals(10, zeros(PruneCriterion.std().masks(weights(), NONE, 1.0)));
  }

  @Test
  void badInputsAreRejectedWithTheCriterionNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PruneCriterion.global().masks(weights(), NONE, 1.5));
    assertTrue(e.getMessage().contains("global") && e.getMessage().contains("1.5"));
    LinkedHashMap<String, Tensor> nan = weights();
    nan.get("b").data()[2] = Float.NaN;
    e =
        assertThrows(
            IllegalArgumentException.class, () -> PruneCriterion.uniform().masks(nan, NONE, 0.5));
    assertTrue(e.getMessage().contains("'b' is not finite"), e.getMessage());
    Map<String, Tensor> wrong = Map.of("a", Tensor.full(1f, 6));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PruneCriterion.std().masks(weights(), wrong, 0.5));
    assertTrue(e.getMessage().contains("[6]") && e.getMessage().contains("[2, 3]"));
    assertThrows(
        IllegalArgumentException.class,
        () -> PruneCriterion.layerWise(Map.of("zz", 0.5)).masks(weights(), NONE, 1));
    assertThrows(IllegalArgumentException.class, () -> PruneCriterion.layerWise(Map.of("a", 2.0)));
    assertThrows(
        IllegalArgumentException.class, () -> ClassDistribution.masksAt(weights(), NONE, -1));
    assertThrows(IllegalArgumentException.class, () -> PruneCriterion.byName("layer"));
    assertEquals("std", PruneCriterion.byName("std").name());
  }
}
