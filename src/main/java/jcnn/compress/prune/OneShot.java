package jcnn.compress.prune;

import java.util.Collection;
import java.util.LinkedHashMap;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;

/**
 * One-shot pruning: one application of a criterion to a model's current weights and masks, no
 * retraining. The building block of {@link IterativePruning}, {@link SensitivityScan} and {@link
 * PruningCurve}. Tested in {@code PruningTest}.
 */
public final class OneShot {
  private OneShot() {}

  /** Prunes the conv and linear weights (see {@link Pruning#prunableParameters}) to target. */
  public static Sparsity prune(Module model, PruneCriterion criterion, double target) {
    return prune(model, criterion, target, Pruning.prunableParameters(model).keySet());
  }

  /**
   * Prunes the named parameters to target (a global criterion counts over these alone) and returns
   * the model's sparsity afterwards. Masks are monotone: what was pruned stays pruned.
   */
  public static Sparsity prune(
      Module model, PruneCriterion criterion, double target, Collection<String> names) {
    LinkedHashMap<String, Tensor> weights = Pruning.values(model, names);
    LinkedHashMap<String, Tensor> current = Pruning.masks(model);
    Pruning.applyMasks(model, criterion.masks(weights, current, target));
    return Pruning.sparsity(model);
  }
}
