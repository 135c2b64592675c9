package jcnn.compress.prune;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;

/**
 * Accuracy against pruned fraction, one curve per criterion: the report's pruning curve, e.g.
 * class-blind against class-uniform (Tzelepis et al. 2019, Figs. 3 to 5). Two ways to make it:
 *
 * <ul>
 *   <li>{@link #oneShot}: every point starts from the model as given, prunes to the fraction and
 *       validates, no retraining. Cheap; shows what the criterion alone does.
 *   <li>{@link #withRetraining}: the points are rounds of one iterative schedule per criterion;
 *       each prunes further from the previous point's retrained model, retrains, validates. The
 *       iterative loop without its stopping rule, so the whole curve is seen.
 * </ul>
 *
 * Either way the model is restored to its starting state before each criterion and at the end.
 * Tested in {@code SensitivityScanTest}.
 */
public final class PruningCurve {
  private PruningCurve() {}

  /** One-shot curves over the conv and linear weights, no retraining. */
  public static List<Curve> oneShot(
      Module model, double[] fractions, Validator validator, PruneCriterion... criteria) {
    return run(model, fractions, validator, null, 0, criteria);
  }

  /**
   * Iterative curves: fractions must increase; each point prunes further, retrains {@code epochs}
   * epochs and validates.
   */
  public static List<Curve> withRetraining(
      Module model,
      double[] fractions,
      Validator validator,
      Retrainer retrainer,
      int epochs,
      PruneCriterion... criteria) {
    for (int i = 1; i < fractions.length; i++) {
      if (!(fractions[i] > fractions[i - 1])) {
        throw new IllegalArgumentException(
            "PruningCurve.withRetraining: fractions must increase, got "
                + fractions[i - 1]
                + " then "
                + fractions[i]);
      }
    }
    if (retrainer == null || epochs < 0) {
      throw new IllegalArgumentException(
          "PruningCurve.withRetraining: need a retrainer and epochs >= 0, got " + epochs);
    }
    return run(model, fractions, validator, retrainer, epochs, criteria);
  }

  private static List<Curve> run(
      Module model,
      double[] fractions,
      Validator validator,
      Retrainer retrainer,
      int epochs,
      PruneCriterion... criteria) {
    SensitivityScan.checkFractions("PruningCurve", fractions);
    Collection<String> names = Pruning.prunableParameters(model).keySet();
    LinkedHashMap<String, Tensor> original = Pruning.snapshot(model);
    List<Curve> out = new ArrayList<>();
    try {
      for (PruneCriterion c : criteria) {
        double[] sparsity = new double[fractions.length];
        double[] acc = new double[fractions.length];
        for (int i = 0; i < fractions.length; i++) {
          if (retrainer == null || i == 0) {
            Pruning.restore(model, original); // one-shot points all start from the original
          }
          sparsity[i] = OneShot.prune(model, c, fractions[i], names).global();
          if (retrainer != null) {
            retrainer.retrain(model, epochs);
          }
          acc[i] = validator.accuracy(model);
        }
        out.add(new Curve(c.name(), fractions.clone(), sparsity, acc));
      }
    } finally {
      Pruning.restore(model, original);
    }
    return out;
  }
}
