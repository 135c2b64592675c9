package jcnn.compress.prune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.tensor.Tensor;

/**
 * Class-blind pruning (Tzelepis et al. 2019; See et al. 2016): one magnitude threshold over every
 * prunable weight of the network, so that exactly {@code round(target * n)} of all n weights are
 * pruned. Layers with many small weights (typically the large fully connected ones) lose more than
 * the others. Tested in {@code PruneCriterionTest}.
 */
final class ClassBlind implements PruneCriterion {

  @Override
  public String name() {
    return "global";
  }

  @Override
  public LinkedHashMap<String, Tensor> masks(
      Map<String, Tensor> weights, Map<String, Tensor> current, double target) {
    Magnitude.check("PruneCriterion.global", weights, current, target);
    List<Tensor> ws = new ArrayList<>(weights.values());
    List<Tensor> cur = new ArrayList<>();
    long n = 0;
    for (Map.Entry<String, Tensor> e : weights.entrySet()) {
      cur.add(current.get(e.getKey()));
      n += e.getValue().numel();
    }
    Tensor[] m = Magnitude.pruneSmallest(ws, cur, Magnitude.count(target, n));
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    int l = 0;
    for (String name : weights.keySet()) {
      out.put(name, m[l++]);
    }
    return out;
  }
}
