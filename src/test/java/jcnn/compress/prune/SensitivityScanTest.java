package jcnn.compress.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jcnn.autograd.GradMode;
import jcnn.autograd.ops.F;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * SensitivityScan and PruningCurve on {@link TinyNet} with a validator that scores the network's
 * outputs (a deterministic function of the weights) and records the sparsity it was called at: each
 * probe prunes one layer alone to the exact count, and the model is back to its exact state after
 * each probe and at the end.
 */
class SensitivityScanTest {

  /** Scores the eval-mode output on a fixed batch and records each call's per-layer sparsity. */
  private static final class Recorder implements Validator {
    final List<Map<String, Double>> sparsity = new ArrayList<>();

    @Override
    public double accuracy(Module model) {
      sparsity.add(Pruning.sparsity(model).perLayer());
      model.eval();
      try (GradMode.Scope s = GradMode.noGrad()) {
        return F.sum(model.forward(TinyNet.input(77))).value().item();
      } finally {
        model.train();
      }
    }
  }

  private static void assertSameState(Map<String, Tensor> want, Module model) {
    Map<String, Tensor> got = model.stateDict();
    assertEquals(want.keySet(), got.keySet());
    want.forEach((k, t) -> assertArrayEquals(t.data(), got.get(k).data(), k));
  }

  @Test
  void eachLayerIsProbedAloneAndTheModelIsRestoredAfterEveryProbe() {
    Module net = TinyNet.create(31);
    Map<String, Tensor> start = Pruning.snapshot(net);
    double dense = new Recorder().accuracy(net);
    Recorder v = new Recorder();
    double[] fractions = {0.0, 0.5, 0.9};
    List<Curve> curves = SensitivityScan.scan(net, fractions, v);

    assertEquals(2, curves.size());
    assertEquals(TinyNet.CONV, curves.get(0).name());
    assertArrayEquals(new double[] {0, 9 / 18.0, 16 / 18.0}, curves.get(0).sparsity(), 1e-12);
    assertArrayEquals(new double[] {0, 12 / 24.0, 22 / 24.0}, curves.get(1).sparsity(), 1e-12);
    assertEquals(6, v.sparsity.size());
    for (int call = 0; call < 6; call++) {
      String other = call < 3 ? TinyNet.FC : TinyNet.CONV;
      assertEquals(0.0, v.sparsity.get(call).get(other), "other layer untouched at " + call);
    }
    assertEquals(dense, curves.get(0).accuracy()[0]); // fraction 0 is the dense model
    assertEquals(dense, curves.get(1).accuracy()[0]);
    assertNotEquals(dense, curves.get(1).accuracy()[2]);
    assertSameState(start, net);
    assertTrue(Pruning.masks(net).isEmpty());
    assertTrue(curves.get(0).toString().startsWith("0.weight:"), curves.get(0).toString());
  }

  @Test
  void aScanOfAPrunedModelStartsFromItsMasksAndRestoresThem() {
    Module net = TinyNet.create(32);
    OneShot.prune(net, PruneCriterion.global(), 0.5);
    Map<String, Tensor> start = Pruning.snapshot(net);
    double before = Pruning.sparsity(net).fraction(TinyNet.FC);
    List<Curve> c = SensitivityScan.scan(net, List.of(TinyNet.FC), new double[] {0.0}, m -> 0);
    assertEquals(before, c.get(0).sparsity()[0], 1e-12); // monotone: nothing unpruned
    assertSameState(start, net);
  }

  @Test
  void oneShotCurvesStartEveryPointFromTheOriginal() {
    Module net = TinyNet.create(33);
    Map<String, Tensor> start = Pruning.snapshot(net);
    double dense = new Recorder().accuracy(net);
    double[] fractions = {0.5, 0.0};
    List<Curve> curves =
        PruningCurve.oneShot(
            net, fractions, new Recorder(), PruneCriterion.global(), PruneCriterion.uniform());
    assertEquals("global", curves.get(0).name());
    assertEquals("uniform", curves.get(1).name());
    assertEquals(21 / 42.0, curves.get(0).sparsity()[0], 1e-12);
    assertEquals((9 + 12) / 42.0, curves.get(1).sparsity()[0], 1e-12);
    assertEquals(dense, curves.get(0).accuracy()[1]); // 0 after 0.5: restored in between
    assertEquals(dense, curves.get(1).accuracy()[1]);
    assertSameState(start, net);
  }

  @Test
  void retrainedCurvesPruneFurtherFromEachRetrainedPoint() {
    Module net = TinyNet.create(34);
    Map<String, Tensor> start = Pruning.snapshot(net);
    List<Integer> calls = new ArrayList<>();
    Recorder v = new Recorder();
    List<Curve> curves =
        PruningCurve.withRetraining(
            net,
            new double[] {0.25, 0.5, 0.75},
            v,
            (m, e) -> calls.add(e),
            2,
            PruneCriterion.global(),
            PruneCriterion.std());
    assertEquals(List.of(2, 2, 2, 2, 2, 2), calls);
    assertEquals(Math.round(0.75 * 42) / 42.0, curves.get(0).sparsity()[2], 1e-12);
    assertTrue(curves.get(1).sparsity()[2] >= 0.75);
    assertSameState(start, net);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PruningCurve.withRetraining(
                net, new double[] {0.5, 0.5}, v, (m, e) -> {}, 1, PruneCriterion.global()));
    assertThrows(
        IllegalArgumentException.class, () -> SensitivityScan.scan(net, new double[] {1.2}, v));
  }
}
