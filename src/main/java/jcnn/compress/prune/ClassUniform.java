package jcnn.compress.prune;

import java.util.LinkedHashMap;
import java.util.Map;
import jcnn.tensor.Tensor;

/**
 * Class-uniform pruning: every layer loses the same fraction, {@code round(target * n_l)} of its
 * n_l weights, chosen by magnitude within the layer. The baseline Tzelepis et al. compare
 * class-blind pruning against. Tested in {@code PruneCriterionTest}.
 */
final class ClassUniform implements PruneCriterion {

  @Override
  public String name() {
    return "uniform";
  }

  @Override
  public LinkedHashMap<String, Tensor> masks(
      Map<String, Tensor> weights, Map<String, Tensor> current, double target) {
    Magnitude.check("PruneCriterion.uniform", weights, current, target);
    Map<String, Double> fractions = new LinkedHashMap<>();
    weights.keySet().forEach(name -> fractions.put(name, target));
    return Magnitude.perLayer(weights, current, fractions);
  }
}
