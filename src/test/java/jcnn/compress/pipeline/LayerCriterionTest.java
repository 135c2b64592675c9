package jcnn.compress.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jcnn.compress.prune.Curve;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The layer criterion: scaling the base fractions reaches the network-wide target, keeps their
 * proportions until a layer saturates, is monotone, and reads its fractions off a scan.
 */
class LayerCriterionTest {
  private static Tensor random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return Tensor.of(v, n);
  }

  private static Map<String, Tensor> weights() {
    Map<String, Tensor> w = new LinkedHashMap<>();
    w.put("a", random(1000, 1));
    w.put("b", random(9000, 2));
    return w;
  }

  private static long zeros(Tensor mask) {
    long z = 0;
    for (float v : mask.data()) {
      z += v == 0f ? 1 : 0;
    }
    return z;
  }

  @Test
  void reachesTheTargetKeepingProportions() {
    LayerCriterion c = new LayerCriterion(Map.of("a", 0.2, "b", 0.8));
    Map<String, Tensor> w = weights();
    Map<String, Tensor> m = c.masks(w, Map.of(), 0.5);
    // c * (1000 * 0.2 + 9000 * 0.8) = 5000 -> c = 0.6757: a 13.5%, b 54.1%
    long za = zeros(m.get("a"));
    long zb = zeros(m.get("b"));
    assertEquals(5000, za + zb, 2);
    assertEquals(0.2 / 0.8, (double) za / 1000 / ((double) zb / 9000), 0.01);
  }

  @Test
  void saturatedLayersStopAtOneAndTheRestMakeUpTheTarget() {
    LayerCriterion c = new LayerCriterion(Map.of("a", 0.9, "b", 0.5));
    Map<String, Tensor> m = c.masks(weights(), Map.of(), 0.95);
    assertEquals(1000, zeros(m.get("a")));
    assertEquals(9500 - 1000, zeros(m.get("b")), 2);
  }

  @Test
  void masksAreMonotone() {
    LayerCriterion c = new LayerCriterion(Map.of("a", 0.5, "b", 0.5));
    Map<String, Tensor> w = weights();
    Map<String, Tensor> first = c.masks(w, Map.of(), 0.6);
    Map<String, Tensor> second = c.masks(w, first, 0.3); // asks for less: nothing comes back
    for (String k : w.keySet()) {
      float[] f = first.get(k).data();
      float[] s = second.get(k).data();
      for (int i = 0; i < f.length; i++) {
        assertTrue(f[i] != 0f || s[i] == 0f, k + "[" + i + "] came back");
      }
    }
  }

  @Test
  void fromScanTakesTheLargestFractionWithinTolerance() {
    double[] f = {0.3, 0.5, 0.9};
    List<Curve> curves =
        List.of(
            new Curve("a", f, f, new double[] {0.99, 0.985, 0.95}),
            new Curve("b", f, f, new double[] {0.99, 0.99, 0.989}),
            new Curve("c", f, f, new double[] {0.5, 0.4, 0.3}));
    Map<String, Double> base = LayerCriterion.fromScan(curves, 0.99, 0.005).base();
    assertEquals(0.5, base.get("a"));
    assertEquals(0.9, base.get("b"));
    assertEquals(LayerCriterion.FLOOR, base.get("c"));
  }

  @Test
  void badInputIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LayerCriterion(Map.of("a", 1.5)));
    LayerCriterion c = new LayerCriterion(Map.of("zz", 0.5));
    assertThrows(IllegalArgumentException.class, () -> c.masks(weights(), Map.of(), 0.5));
    assertThrows(IllegalArgumentException.class, () -> c.masks(weights(), Map.of(), 1.5));
  }
}
