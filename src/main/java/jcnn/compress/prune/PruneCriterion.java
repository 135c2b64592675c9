package jcnn.compress.prune;

import java.util.LinkedHashMap;
import java.util.Map;
import jcnn.tensor.Tensor;

/**
 * A rule that decides which weights to prune for a target: given the prunable weights and their
 * current masks it returns new masks. The four of the literature (see REFERENCE.md):
 *
 * <ul>
 *   <li>{@link #global()} ("global", class-blind, Tzelepis et al. 2019): one magnitude threshold
 *       over all weights of the network, so that the network's pruned fraction is the target.
 *   <li>{@link #uniform()} ("uniform", class-uniform): the target fraction in every layer.
 *   <li>{@link #layerWise} ("layer"): each layer to its own fraction, scaled by the target.
 *   <li>{@link #std()} ("std", class-distribution, Han et al. 2015): per-layer threshold {@code s *
 *       std(W_l)}, with s solved so that the network's pruned fraction reaches the target; {@link
 *       ClassDistribution#masksAt} takes s itself.
 * </ul>
 *
 * <p>Contract for every criterion: masks are monotone (a weight whose current mask is 0 stays 0; if
 * the current masks already prune more than the target asks, nothing more is pruned); among weights
 * of equal magnitude the one with the lower index (network order, then row-major) is pruned first,
 * so a requested fraction f of n weights prunes exactly {@code round(f * n)}; the inputs are not
 * changed. Non-finite weights, a target outside [0, 1] or a current mask of the wrong shape throw
 * IllegalArgumentException. Tested in {@code PruneCriterionTest}.
 */
public interface PruneCriterion {

  /** The short name used in reports and on the command line: global, uniform, layer, std. */
  String name();

  /**
   * The new masks (1 keep, 0 prune) for every entry of {@code weights}, in its order.
   *
   * @param weights the prunable weights by dotted name, in network order; read only
   * @param current their masks so far; a name absent means nothing of it is pruned yet
   * @param target the fraction in [0, 1]; what it measures depends on the criterion
   */
  LinkedHashMap<String, Tensor> masks(
      Map<String, Tensor> weights, Map<String, Tensor> current, double target);

  /** Class-blind: one magnitude threshold so that the global pruned fraction is the target. */
  static PruneCriterion global() {
    return new ClassBlind();
  }

  /** Class-uniform: every layer pruned to the target fraction by its own magnitudes. */
  static PruneCriterion uniform() {
    return new ClassUniform();
  }

  /**
   * Layer-wise: layer l is pruned to {@code target * fractions.get(l)} by its own magnitudes, so
   * target 1 gives the map's fractions exactly and a schedule ramping the target from 0 to 1 ramps
   * every layer in proportion. Layers not in the map are left as they are.
   */
  static PruneCriterion layerWise(Map<String, Double> fractions) {
    return new LayerWise(fractions);
  }

  /** Class-distribution: per-layer threshold s * std(W_l), s solved for the global target. */
  static PruneCriterion std() {
    return new ClassDistribution();
  }

  /** The criterion called global, uniform or std (layer-wise needs its fractions). */
  static PruneCriterion byName(String name) {
    switch (name) {
      case "global":
        return global();
      case "uniform":
        return uniform();
      case "std":
        return std();
      default:
        throw new IllegalArgumentException(
            "PruneCriterion: unknown criterion '"
                + name
                + "' (want global, uniform or std; layer-wise needs fractions per layer)");
    }
  }
}
