package jcnn.compress.prune;

import java.util.LinkedHashMap;
import java.util.Map;
import jcnn.tensor.Tensor;

/**
 * Layer-wise pruning: layer l to its own fraction {@code target * f_l}, by magnitude within the
 * layer, e.g. fractions read off a sensitivity scan (Han et al. 2015 pick them so). Layers not in
 * the map keep their masks. Tested in {@code PruneCriterionTest}.
 */
final class LayerWise implements PruneCriterion {
  private final Map<String, Double> fractions;

  LayerWise(Map<String, Double> fractions) {
    fractions.forEach(
        (name, f) -> {
          if (f == null || !(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException(
                "PruneCriterion.layerWise: fraction of '" + name + "' must be in [0, 1], got " + f);
          }
        });
    this.fractions = new LinkedHashMap<>(fractions);
  }

  @Override
  public String name() {
    return "layer";
  }

  @Override
  public LinkedHashMap<String, Tensor> masks(
      Map<String, Tensor> weights, Map<String, Tensor> current, double target) {
    Magnitude.check("PruneCriterion.layerWise", weights, current, target);
    Map<String, Double> scaled = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : fractions.entrySet()) {
      if (!weights.containsKey(e.getKey())) {
        throw new IllegalArgumentException(
            "PruneCriterion.layerWise: no weight '"
                + e.getKey()
                + "' among the prunable "
                + weights.keySet());
      }
      scaled.put(e.getKey(), target * e.getValue());
    }
    return Magnitude.perLayer(weights, current, scaled);
  }
}
