package jcnn.compress.prune;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;

/**
 * Per-layer pruning sensitivity (Han et al. 2015, Fig. 6): for each prunable layer alone and each
 * fraction, prune only that layer by magnitude (no retraining), validate, and put the model back
 * exactly as it was. Layers whose accuracy falls early need a smaller fraction in a layer-wise
 * schedule ({@link PruneCriterion#layerWise}). Tested in {@code SensitivityScanTest}.
 */
public final class SensitivityScan {
  private SensitivityScan() {}

  /** One curve per conv and linear weight (see {@link Pruning#prunableParameters}). */
  public static List<Curve> scan(Module model, double[] fractions, Validator validator) {
    return scan(model, Pruning.prunableParameters(model).keySet(), fractions, validator);
  }

  /**
   * One curve per named layer, with the given fractions in order. The model's state (weights,
   * masks, buffers) is restored after every probe; probing a layer that is already pruned prunes
   * further from its current mask.
   */
  public static List<Curve> scan(
      Module model, Collection<String> layers, double[] fractions, Validator validator) {
    checkFractions("SensitivityScan", fractions);
    LinkedHashMap<String, Tensor> original = Pruning.snapshot(model);
    List<Curve> out = new ArrayList<>();
    for (String layer : layers) {
      double[] sparsity = new double[fractions.length];
      double[] acc = new double[fractions.length];
      for (int i = 0; i < fractions.length; i++) {
        try {
          Sparsity s = OneShot.prune(model, PruneCriterion.uniform(), fractions[i], List.of(layer));
          sparsity[i] = s.fraction(layer);
          acc[i] = validator.accuracy(model);
        } finally {
          Pruning.restore(model, original);
        }
      }
      out.add(new Curve(layer, fractions.clone(), sparsity, acc));
    }
    return out;
  }

  /** Throws IllegalArgumentException unless every fraction is in [0, 1]. */
  static void checkFractions(String who, double[] fractions) {
    for (double f : fractions) {
      if (!(f >= 0 && f <= 1)) {
        throw new IllegalArgumentException(who + ": fractions must be in [0, 1], got " + f);
      }
    }
  }
}
