package jcnn.compress.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jcnn.nn.Module;
import jcnn.optim.Sgd;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The Tzelepis loop with a scripted validator (accuracy per call, in order) and a real masked
 * retrain (SGD steps on {@link TinyNet}): the stopping rule, the rollback to the last round within
 * the threshold with its exact weights and masks, running to the end, failing at round 1, NaN
 * accuracy, the fraction schedule and the setting checks.
 */
class IterativePruningTest {

  /** Returns the scripted accuracies in turn and keeps a snapshot of the model at each call. */
  private static final class Script implements Validator {
    final double[] acc;
    final List<Map<String, Tensor>> seen = new ArrayList<>();

    Script(double... acc) {
      this.acc = acc;
    }

    @Override
    public double accuracy(Module model) {
      seen.add(Pruning.snapshot(model));
      return acc[seen.size() - 1];
    }
  }

  private static final List<Integer> EPOCHS = new ArrayList<>();

  /** Masked retraining: one SGD step (momentum, weight decay) per epoch, fresh optimizer. */
  private static void retrain(Module m, int epochs) {
    EPOCHS.add(epochs);
    Sgd opt = new Sgd(m.parameters(), 0.05, 0.9, 5e-4, false);
    for (int e = 0; e < epochs; e++) {
      opt.zeroGrad();
      TinyNet.loss(m, 50 + e).backward();
      opt.step();
    }
  }

  private static void assertSameState(Map<String, Tensor> want, Module model) {
    Map<String, Tensor> got = model.stateDict();
    assertEquals(want.keySet(), got.keySet());
    want.forEach((k, t) -> assertArrayEquals(t.data(), got.get(k).data(), k));
  }

  @Test
  void stopsAtTheFirstDropPastTheThresholdAndRollsBackToTheRoundBefore() {
    Module net = TinyNet.create(21);
    EPOCHS.clear();
    // Round 0 (unpruned) 0.900; rounds 1-3 within 0.005; round 4 drops 0.006.
    Script v = new Script(0.900, 0.902, 0.899, 0.896, 0.894, 0.95);
    List<Integer> heard = new ArrayList<>();
    IterativePruning.Result r =
        new IterativePruning(IterativePruningTest::retrain, v)
            .step(0.1)
            .maxDrop(0.005)
            .retrainEpochs(2)
            .listener(round -> heard.add(round.index()))
            .run(net);

    assertEquals(0.900, r.baseline());
    assertEquals(5, r.history().size());
    assertEquals(List.of(0, 1, 2, 3, 4), heard);
    assertEquals(List.of(2, 2, 2, 2), EPOCHS);
    assertEquals(3, r.chosen());
    assertEquals(0.3, r.chosenRound().target(), 1e-12);
    assertTrue(r.history().get(3).accepted());
    assertFalse(r.history().get(4).accepted());
    assertEquals(0.894, r.history().get(4).accuracy());
    assertEquals(Math.round(0.4 * 42) / 42.0, r.history().get(4).sparsity(), 1e-12);

    assertSameState(v.seen.get(3), net); // round 3's retrained weights and masks, exactly
    assertEquals(Math.round(0.3 * 42), r.sparsity().zeros());
    assertEquals(Math.round(0.3 * 42), Pruning.sparsity(net).zeros());
    assertEquals(List.of(TinyNet.CONV, TinyNet.FC), List.copyOf(r.masks().keySet()));
    assertArrayEquals(
        v.seen.get(3).get(TinyNet.FC + "_mask").data(), r.masks().get(TinyNet.FC).data());
  }

  @Test
  void runsToMaxFractionWhenTheThresholdIsNeverPassed() {
    Module net = TinyNet.create(22);
    Script v = new Script(0.5, 0.5, 0.5, 0.5, 0.5);
    IterativePruning.Result r =
        new IterativePruning(IterativePruningTest::retrain, v).step(0.25).retrainEpochs(1).run(net);
    assertEquals(4, r.chosen());
    assertTrue(r.history().stream().allMatch(IterativePruning.Round::accepted));
    assertEquals(42, Pruning.sparsity(net).zeros());
  }

  @Test
  void aCubicRampPrunesEachRoundToItsCubicFraction() {
    Module net = TinyNet.create(23);
    Script v = new Script(0.5, 0.5, 0.5, 0.5);
    IterativePruning.Result r =
        new IterativePruning(IterativePruningTest::retrain, v)
            .step(0.3)
            .maxFraction(0.9)
            .ramp(IterativePruning.Ramp.CUBIC)
            .retrainEpochs(1)
            .run(net);
    // three rounds, at 0.9 * (1 - (2/3)^3), 0.9 * (1 - (1/3)^3), 0.9: 0.6333, 0.8667, 0.9
    double[] want = {0.9 * 19 / 27, 0.9 * 26 / 27, 0.9};
    assertEquals(4, r.history().size());
    for (int k = 1; k <= 3; k++) {
      IterativePruning.Round round = r.history().get(k);
      assertEquals(want[k - 1], round.target(), 1e-9);
      assertEquals(Math.round(want[k - 1] * 42) / 42.0, round.sparsity(), 1e-12);
    }
  }

  @Test
  void aFirstRoundPastTheThresholdRestoresTheUnprunedModel() {
    Module net = TinyNet.create(23);
    Map<String, Tensor> start = Pruning.snapshot(net);
    Script v = new Script(0.9, 0.8);
    IterativePruning.Result r = new IterativePruning(IterativePruningTest::retrain, v).run(net);
    assertEquals(0, r.chosen());
    assertEquals(0, Pruning.sparsity(net).zeros());
    start.forEach((k, t) -> assertArrayEquals(t.data(), net.stateDict().get(k).data(), k));
    assertSameState(v.seen.get(0), net); // the all-ones masks stay
    for (Tensor m : r.masks().values()) {
      for (float x : m.data()) {
        assertEquals(1f, x);
      }
    }
  }

  @Test
  void aNaNAccuracyCountsAsADrop() {
    Module net = TinyNet.create(24);
    Script v = new Script(0.9, 0.9, Double.NaN);
    IterativePruning.Result r =
        new IterativePruning(IterativePruningTest::retrain, v).step(0.2).run(net);
    assertEquals(1, r.chosen());
    assertSameState(v.seen.get(1), net);
    Script bad = new Script(Double.NaN);
    assertThrows(
        IllegalStateException.class,
        () -> new IterativePruning(IterativePruningTest::retrain, bad).run(TinyNet.create(1)));
  }

  @Test
  void theScheduleStepsUpToMaxFraction() {
    IterativePruning p = new IterativePruning((m, e) -> {}, m -> 1);
    assertEquals(List.of(0.3, 0.6, 0.9, 1.0), p.step(0.3).targets());
    List<Double> t = p.step(0.05).targets();
    assertEquals(20, t.size());
    assertEquals(0.15, t.get(2));
    assertEquals(List.of(0.4, 0.8, 0.9), p.step(0.4).maxFraction(0.9).targets());
  }

  @Test
  void theCubicRampTakesAsManyRoundsWithShrinkingSteps() {
    IterativePruning p = new IterativePruning((m, e) -> {}, m -> 1);
    List<Double> linear = p.step(0.15).maxFraction(0.9).targets();
    List<Double> cubic = p.ramp(IterativePruning.Ramp.CUBIC).targets();
    assertEquals(List.of(0.15, 0.3, 0.45, 0.6, 0.75, 0.9), linear);
    assertEquals(linear.size(), cubic.size());
    // 0.9 * (1 - (1 - k/6)^3): 0.3792, 0.6333, 0.7875, 0.8667, 0.8958, 0.9
    double[] want = {0.379166666667, 0.633333333333, 0.7875, 0.866666666667, 0.895833333333, 0.9};
    for (int k = 0; k < want.length; k++) {
      assertEquals(want[k], cubic.get(k), 1e-9, "round " + (k + 1));
    }
    for (int k = 1; k < cubic.size(); k++) {
      double stepNow = cubic.get(k) - cubic.get(k - 1);
      double stepBefore = k == 1 ? cubic.get(0) : cubic.get(k - 1) - cubic.get(k - 2);
      assertTrue(stepNow < stepBefore, cubic.toString());
    }
    // one round: straight to the end, whatever the ramp
    assertEquals(List.of(0.5), p.step(0.6).maxFraction(0.5).targets());
    assertEquals(IterativePruning.Ramp.CUBIC, IterativePruning.Ramp.byName("Cubic"));
    assertThrows(IllegalArgumentException.class, () -> IterativePruning.Ramp.byName("agp"));
  }

  @Test
  void badSettingsAreRejected() {
    IterativePruning p = new IterativePruning((m, e) -> {}, m -> 1);
    assertThrows(IllegalArgumentException.class, () -> p.step(0));
    assertThrows(IllegalArgumentException.class, () -> p.maxDrop(-0.1));
    assertThrows(IllegalArgumentException.class, () -> p.maxFraction(1.5));
    assertThrows(IllegalArgumentException.class, () -> p.retrainEpochs(-1));
    assertThrows(IllegalArgumentException.class, () -> p.ramp(null));
    assertThrows(IllegalArgumentException.class, () -> new IterativePruning(null, m -> 1));
  }
}
