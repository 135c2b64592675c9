package jcnn.compress.prune;

import java.util.Locale;

/**
 * One curve of accuracy against pruning, for a report: the requested fractions, the sparsity
 * measured after pruning to each (over the parameters the curve prunes), and the validation
 * accuracy there. Made by {@link SensitivityScan} (one curve per layer) and {@link PruningCurve}
 * (one per criterion). The arrays are the curve's own; a caller must not change them.
 */
public record Curve(String name, double[] fractions, double[] sparsity, double[] accuracy) {

  /** {@code name: fraction -> accuracy} pairs, one per point. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name).append(':');
    for (int i = 0; i < fractions.length; i++) {
      sb.append(
          String.format(
              Locale.ROOT, " %.3f (%.3f) -> %.4f", fractions[i], sparsity[i], accuracy[i]));
    }
    return sb.toString();
  }
}
