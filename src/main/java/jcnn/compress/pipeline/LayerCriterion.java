package jcnn.compress.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.compress.prune.Curve;
import jcnn.compress.prune.PruneCriterion;
import jcnn.tensor.Tensor;

/**
 * The command line's layer-wise criterion ({@code --prune layer}): each layer l has a base fraction
 * f_l, and a request for a network-wide fraction t prunes layer l to {@code min(1, c f_l)} by its
 * own magnitudes, with c solved (by bisection) so that the layers together reach t. The base
 * fractions come from Han et al.'s published per-layer rates or from a per-layer sensitivity scan
 * ({@link #fromScan}: the largest fraction each layer alone can lose, without retraining, within a
 * tolerance on validation), so sensitive layers are pruned less, as in Han et al. 2015, Sec. 3.
 * Because the target is network-wide, the same criterion serves a one-shot target and the Tzelepis
 * loop. Masks are monotone, as {@link PruneCriterion} requires (it delegates to {@link
 * PruneCriterion#layerWise}). Tested in {@code LayerCriterionTest}.
 */
final class LayerCriterion implements PruneCriterion {
  /** The smallest base fraction a layer gets from a scan, so every layer can be pruned a little. */
  static final double FLOOR = 0.05;

  private final Map<String, Double> base;

  LayerCriterion(Map<String, Double> base) {
    base.forEach(
        (name, f) -> {
          if (f == null || !(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException(
                "layer criterion: base fraction of '" + name + "' must be in [0, 1], got " + f);
          }
        });
    this.base = new LinkedHashMap<>(base);
  }

  /**
   * Base fractions from a sensitivity scan: per layer curve, the largest fraction whose accuracy is
   * at least {@code baseline - tolerance}, and at least {@link #FLOOR}.
   */
  static LayerCriterion fromScan(List<Curve> curves, double baseline, double tolerance) {
    Map<String, Double> base = new LinkedHashMap<>();
    for (Curve c : curves) {
      double best = FLOOR;
      for (int i = 0; i < c.fractions().length; i++) {
        if (c.accuracy()[i] >= baseline - tolerance) {
          best = Math.max(best, c.fractions()[i]);
        }
      }
      base.put(c.name(), best);
    }
    return new LayerCriterion(base);
  }

  Map<String, Double> base() {
    return java.util.Collections.unmodifiableMap(base);
  }

  @Override
  public String name() {
    return "layer";
  }

  @Override
  public LinkedHashMap<String, Tensor> masks(
      Map<String, Tensor> weights, Map<String, Tensor> current, double target) {
    if (!(target >= 0 && target <= 1)) {
      throw new IllegalArgumentException(
          "layer criterion: target must be in [0, 1], got " + target);
    }
    double c = scale(weights, target);
    Map<String, Double> scaled = new LinkedHashMap<>();
    base.forEach((name, f) -> scaled.put(name, Math.min(1, c * f)));
    return PruneCriterion.layerWise(scaled).masks(weights, current, 1.0);
  }

  /**
   * The c with sum_l n_l min(1, c f_l) = target * sum_l n_l, by bisection (capped when out of
   * reach).
   */
  double scale(Map<String, Tensor> weights, double target) {
    long total = 0;
    for (Tensor w : weights.values()) {
      total += w.numel();
    }
    double want = target * total;
    double lo = 0;
    double hi = 1;
    while (pruned(weights, hi) < want && hi < 1e9) {
      hi *= 2;
    }
    for (int i = 0; i < 100; i++) {
      double mid = (lo + hi) / 2;
      if (pruned(weights, mid) < want) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  private double pruned(Map<String, Tensor> weights, double c) {
    double sum = 0;
    for (Map.Entry<String, Double> e : base.entrySet()) {
      Tensor w = weights.get(e.getKey());
      if (w == null) {
        throw new IllegalArgumentException(
            "layer criterion: no weight '" + e.getKey() + "' among " + weights.keySet());
      }
      sum += w.numel() * Math.min(1, c * e.getValue());
    }
    return sum;
  }
}
