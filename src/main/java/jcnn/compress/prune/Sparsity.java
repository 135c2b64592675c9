package jcnn.compress.prune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;

/**
 * How much of a network is pruned: per layer and overall, the number of zeros in the effective
 * weight ({@code orig * mask}) over the number of values. It counts the default prunable parameters
 * (conv and linear weights) plus any other parameter that carries a mask; zeros are counted by
 * value, so a baked model (masks gone, zeros left in the weights) reads the same as the pruned one
 * it came from. Tested in {@code PruningTest}.
 */
public final class Sparsity {
  private final LinkedHashMap<String, long[]> layers; // name -> {zeros, total}

  private Sparsity(LinkedHashMap<String, long[]> layers) {
    this.layers = layers;
  }

  /** Counts the zeros of model's prunable and masked parameters. */
  public static Sparsity of(Module model) {
    LinkedHashMap<String, long[]> layers = new LinkedHashMap<>();
    Map<String, ?> prunable = Pruning.prunableParameters(model);
    Pruning.slots(model)
        .forEach(
            (name, s) -> {
              if (s.pruned() || prunable.containsKey(name)) {
                layers.put(name, count(s.param().value(), s.pruned() ? s.mask() : null));
              }
            });
    return new Sparsity(layers);
  }

  private static long[] count(Tensor w, Tensor mask) {
    float[] v = w.data();
    float[] m = mask == null ? null : mask.data();
    long zeros = 0;
    for (int i = 0, n = w.numel(); i < n; i++) {
      if (v[i] == 0f || (m != null && m[i] == 0f)) {
        zeros++;
      }
    }
    return new long[] {zeros, w.numel()};
  }

  /** The fraction of zeros over all counted parameters; 0 when there are none. */
  public double global() {
    long total = total();
    return total == 0 ? 0 : (double) zeros() / total;
  }

  /** The number of zeros over all counted parameters. */
  public long zeros() {
    return layers.values().stream().mapToLong(c -> c[0]).sum();
  }

  /** The number of values in all counted parameters. */
  public long total() {
    return layers.values().stream().mapToLong(c -> c[1]).sum();
  }

  /** The fraction of zeros per parameter, by dotted name in network order. */
  public Map<String, Double> perLayer() {
    LinkedHashMap<String, Double> out = new LinkedHashMap<>();
    layers.forEach((name, c) -> out.put(name, c[1] == 0 ? 0 : (double) c[0] / c[1]));
    return Collections.unmodifiableMap(out);
  }

  /** The fraction of zeros of one parameter; throws if it was not counted. */
  public double fraction(String name) {
    long[] c = layers.get(name);
    if (c == null) {
      throw new IllegalArgumentException(
          "Sparsity: '" + name + "' was not counted (have " + layers.keySet() + ")");
    }
    return c[1] == 0 ? 0 : (double) c[0] / c[1];
  }

  /** One line per layer, {@code name zeros/total (pct)}, then the total. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    layers.forEach((name, c) -> sb.append(line(name, c[0], c[1])).append('\n'));
    return sb.append(line("total", zeros(), total())).toString();
  }

  private static String line(String name, long zeros, long total) {
    double pct = total == 0 ? 0 : 100.0 * zeros / total;
    return String.format(Locale.ROOT, "%-28s %10d / %10d (%6.2f%%)", name, zeros, total, pct);
  }
}
