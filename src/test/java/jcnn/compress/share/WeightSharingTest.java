package jcnn.compress.share;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.nn.Conv2d;
import jcnn.nn.Flatten;
import jcnn.nn.Linear;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.nn.ReLU;
import jcnn.nn.Sequential;
import jcnn.optim.Sgd;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link WeightSharing} on a small conv + linear network whose weights are half pruned: effective
 * weights are codebook[code] with pruned zeros kept, the centroid gradient is the per-cluster sum
 * of the dense weight gradients, an SGD step moves only centroids, bake keeps the outputs, the
 * state dict round-trips, and misuse fails with a message.
 */
class WeightSharingTest {
  private static Backend previous;

  @BeforeAll
  static void useReference() {
    previous = Backends.use(Backends.reference());
  }

  @AfterAll
  static void restore() {
    Backends.use(previous);
  }

  /** conv 1->3 3x3 on 6x6, ReLU, flatten, fc 48->5; every other weight pruned to zero. */
  private static Sequential net(long seed) {
    Sequential s =
        new Sequential(
            new Conv2d(1, 3, 3, 1, 0, seed), new ReLU(), new Flatten(), new Linear(48, 5, seed));
    for (Map.Entry<String, Parameter> e : s.namedParameters().entrySet()) {
      if (e.getKey().endsWith("weight")) {
        float[] w = e.getValue().value().data();
        for (int i = 0; i < w.length; i += 2) {
          w[i] = 0f;
        }
      }
    }
    return s;
  }

  private static Variable input() {
    return Variable.constant(Tensor.randn(3, 1f, 2, 1, 6, 6)); // [N, C, H, W]
  }

  /** A loss whose gradient is a fixed random tensor: sum(out * r). */
  private static Variable loss(Module m, Variable x) {
    Variable out = m.forward(x); // [2, 5]
    return F.sum(F.mul(out, Variable.constant(Tensor.randn(4, 1f, 2, 5))));
  }

  private static WeightSharing sharing(int k) {
    return new WeightSharing(ClusterCount.fixed(k), KMeans1D.linear(0));
  }

  @Test
  void effectiveWeightsAreCodebookEntriesAndPrunedStayZero() {
    Sequential m = net(1);
    Map<String, float[]> dense = copies(m);
    LinkedHashMap<String, SharedWeight> shared = sharing(4).apply(m);
    assertEquals(List.of("0.weight", "3.weight"), List.copyOf(shared.keySet()));
    Module conv = m.children().get(0);
    assertNull(conv.transform("bias"), "biases are left alone by default");
    for (Map.Entry<String, SharedWeight> e : shared.entrySet()) {
      SharedWeight sw = e.getValue();
      float[] w = sw.owner().effective(sw.name()).value().data();
      float[] c = sw.centroids();
      int[] codes = sw.codes();
      float[] orig = dense.get(e.getKey());
      for (int i = 0; i < w.length; i++) {
        assertEquals(orig[i] == 0f ? -1 : codes[i], codes[i], "pruned <=> code -1");
        assertEquals(codes[i] < 0 ? 0f : c[codes[i]], w[i], e.getKey() + "[" + i + "]");
      }
      assertEquals(4, sw.clusters());
      assertFalse(sw.owner().parameter("weight").requiresGrad(), "original frozen");
    }
  }

  @Test
  void centroidGradientIsTheSumOfItsClustersWeightGradients() {
    Sequential m = net(2);
    LinkedHashMap<String, SharedWeight> shared = sharing(5).apply(m);
    Variable x = input();
    loss(m, x).backward();
    Map<String, float[]> centroidGrads = new LinkedHashMap<>();
    Map<String, int[]> codes = new LinkedHashMap<>();
    shared.forEach(
        (k, sw) -> {
          centroidGrads.put(k, sw.codebook().grad().data().clone());
          codes.put(k, sw.codes());
        });
    WeightSharing.bake(m); // the same weights, now dense and trainable
    m.zeroGrad();
    loss(m, x).backward();
    for (String path : shared.keySet()) {
      float[] g = m.namedParameters().get(path).grad().data();
      double[] expected = new double[5];
      int[] code = codes.get(path);
      for (int i = 0; i < g.length; i++) {
        if (code[i] >= 0) {
          expected[code[i]] += g[i];
        }
      }
      for (int j = 0; j < 5; j++) {
        assertEquals(expected[j], centroidGrads.get(path)[j], 1e-5, path + " centroid " + j);
      }
    }
  }

  @Test
  void sgdStepMovesOnlyCentroidsAndKeepsZerosZero() {
    Sequential m = net(3);
    LinkedHashMap<String, SharedWeight> shared = sharing(4).apply(m);
    List<Parameter> trainable = WeightSharing.trainableParameters(m);
    SharedWeight conv = shared.get("0.weight");
    SharedWeight fc = shared.get("3.weight");
    Map<String, Parameter> named = m.namedParameters();
    assertEquals(
        List.of(conv.codebook(), named.get("0.bias"), fc.codebook(), named.get("3.bias")),
        trainable);
    Map<String, float[]> dense = copies(m);
    float[] centroidsBefore = fc.centroids();
    int[] codesBefore = fc.codes();
    Sgd sgd = new Sgd(trainable, 0.5);
    sgd.zeroGrad();
    loss(m, input()).backward();
    sgd.step();
    for (String path : shared.keySet()) {
      assertArrayEquals(dense.get(path), named.get(path).value().data(), "dense " + path);
    }
    assertFalse(Arrays.equals(centroidsBefore, fc.centroids()), "centroids moved");
    assertArrayEquals(codesBefore, fc.codes());
    float[] w = fc.owner().effective("weight").value().data();
    float[] c = fc.centroids();
    for (int i = 0; i < w.length; i++) {
      assertEquals(codesBefore[i] < 0 ? 0f : c[codesBefore[i]], w[i], "fc weight " + i);
    }
  }

  @Test
  void bakeKeepsTheOutputsAndRemovesTheRewiring() {
    Sequential m = net(4);
    sharing(3).apply(m);
    Variable x = input();
    float[] before = m.forward(x).value().data();
    assertEquals(2, WeightSharing.bake(m));
    assertArrayEquals(before, m.forward(x).value().data());
    assertTrue(WeightSharing.shared(m).isEmpty());
    assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias"), keys(m.stateDict()));
    assertTrue(m.namedParameters().get("3.weight").requiresGrad());
    assertEquals(m.parameters(), WeightSharing.trainableParameters(m));
  }

  @Test
  void stateDictCarriesCodesAndCentroids() {
    Sequential a = net(5);
    sharing(4).apply(a);
    assertEquals(
        List.of(
            "0.weight",
            "0.bias",
            "0.weight_codes",
            "0.weight_codebook",
            "3.weight",
            "3.bias",
            "3.weight_codes",
            "3.weight_codebook"),
        keys(a.stateDict()));
    Sequential b = net(6); // other weights, other codes
    sharing(4).apply(b);
    Variable x = input();
    b.loadStateDict(a.stateDict());
    assertArrayEquals(a.forward(x).value().data(), b.forward(x).value().data());
    SharedWeight sw = WeightSharing.shared(b).get("3.weight");
    assertSame(sw.codebook().value(), sw.owner().buffer("weight_codebook"));
  }

  @Test
  void installPutsDecodedCodesBackAndChecksThem() {
    Linear fc = new Linear(3, 2, 0);
    SharedWeight sw =
        WeightSharing.install(fc, "weight", new float[] {-1f, 2f}, new int[] {0, 1, -1, 1, 0, 0});
    assertArrayEquals(
        new float[] {-1f, 2f, 0f, 2f, -1f, -1f}, fc.effective("weight").value().data());
    assertArrayEquals(new int[] {0, 1, -1, 1, 0, 0}, sw.codes());
    Linear other = new Linear(3, 2, 0);
    assertThrows( // 2 codes for 6 weights
        IllegalArgumentException.class,
        () -> WeightSharing.install(other, "weight", new float[] {1f}, new int[] {0, 0}));
    assertThrows( // code 1 with k = 1
        IllegalArgumentException.class,
        () ->
            WeightSharing.install(other, "weight", new float[] {1f}, new int[] {0, 1, 0, 0, 0, 0}));
    WeightSharing.install(other, "weight", new float[] {1f}, new int[6]);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WeightSharing.install(other, "weight", new float[] {1f}, new int[6]));
    assertTrue(e.getMessage().contains("has a transform"), e.getMessage());
    fc.buffer("weight_codes").data()[0] = 7f; // a corrupt code fails on use, naming the buffer
    IllegalStateException bad =
        assertThrows(IllegalStateException.class, () -> fc.effective("weight"));
    assertTrue(bad.getMessage().contains("weight_codes[0] = 7.0"), bad.getMessage());
  }

  @Test
  void refusesALiveTransformSoPruningMustBeBakedFirst() {
    Sequential m = net(7);
    Module fc = m.children().get(3);
    Variable mask = Variable.constant(Tensor.full(1f, 5, 48));
    fc.setTransform("weight", p -> F.mul(p, mask));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sharing(4).apply(m));
    assertTrue(e.getMessage().contains("3.weight") && e.getMessage().contains("bake"));
    assertNull(m.children().get(0).transform("weight"), "nothing changed before the error");
  }

  @Test
  void aSelectorCanShareBiasesToo() {
    Sequential m = net(8);
    LinkedHashMap<String, SharedWeight> shared =
        sharing(2).apply(m, (path, p) -> path.endsWith("bias"));
    assertEquals(List.of("0.bias", "3.bias"), List.copyOf(shared.keySet()));
    assertNull(m.children().get(0).transform("weight"));
  }

  private static Map<String, float[]> copies(Module m) {
    Map<String, float[]> out = new LinkedHashMap<>();
    m.namedParameters().forEach((k, p) -> out.put(k, p.value().data().clone()));
    return out;
  }

  private static List<String> keys(Map<String, Tensor> state) {
    return List.copyOf(state.keySet());
  }
}
