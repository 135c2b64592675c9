package jcnn.compress.prune;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.tensor.Tensor;

/**
 * The shared machinery of the magnitude criteria: input checks, and "prune the k smallest" over one
 * or several tensors with the tie-break and monotonicity promised by {@link PruneCriterion}.
 *
 * <p>Each weight becomes one sortable long: the high 32 bits rank it (0 for an entry already
 * pruned, else the bits of |w| plus 1; the bits of a non-negative float order as the float does),
 * the low 32 bits are its index over the tensors taken in order. One primitive sort then puts the
 * already pruned first, then the smaller magnitudes, ties by index. Tested through {@code
 * PruneCriterionTest}.
 */
final class Magnitude {
  private Magnitude() {}

  /** Throws IllegalArgumentException naming the criterion for a bad target, weight or mask. */
  static void check(
      String who, Map<String, Tensor> weights, Map<String, Tensor> current, double target) {
    if (!(target >= 0 && target <= 1)) {
      throw new IllegalArgumentException(who + ": target must be in [0, 1], got " + target);
    }
    weights.forEach(
        (name, w) -> {
          if (!w.allFinite()) {
            throw new IllegalArgumentException(who + ": weight '" + name + "' is not finite");
          }
          Tensor m = current.get(name);
          if (m != null && !m.shape().equals(w.shape())) {
            throw new IllegalArgumentException(
                who + ": mask of '" + name + "' is " + m.shape() + ", weight is " + w.shape());
          }
        });
  }

  /** round(fraction * n) as promised by the contract (halves round up). */
  static long count(double fraction, long n) {
    return Math.round(fraction * n);
  }

  /**
   * Masks for {@code ws} (with current masks {@code cur}, null = nothing pruned) pruning the k
   * smallest magnitudes over all of them together, or more where more are already pruned.
   */
  static Tensor[] pruneSmallest(List<Tensor> ws, List<Tensor> cur, long k) {
    int n = 0;
    for (Tensor w : ws) {
      n = Math.addExact(n, w.numel());
    }
    long[] keys = new long[n];
    int already = 0;
    int pos = 0;
    for (int l = 0; l < ws.size(); l++) {
      float[] w = ws.get(l).data();
      float[] m = cur.get(l) == null ? null : cur.get(l).data();
      for (int i = 0, len = ws.get(l).numel(); i < len; i++, pos++) {
        boolean pruned = m != null && m[i] == 0f;
        already += pruned ? 1 : 0;
        long rank = pruned ? 0L : Float.floatToRawIntBits(Math.abs(w[i])) + 1L;
        keys[pos] = (rank << 32) | pos;
      }
    }
    Arrays.sort(keys);
    float[] flat = new float[n];
    Arrays.fill(flat, 1f);
    long take = Math.min(n, Math.max(k, already));
    for (int j = 0; j < take; j++) {
      flat[(int) (keys[j] & 0xffffffffL)] = 0f;
    }
    return split(flat, ws);
  }

  /** Cuts one flat mask into tensors shaped like {@code ws}. */
  private static Tensor[] split(float[] flat, List<Tensor> ws) {
    Tensor[] out = new Tensor[ws.size()];
    int off = 0;
    for (int l = 0; l < out.length; l++) {
      Tensor w = ws.get(l);
      out[l] = Tensor.of(Arrays.copyOfRange(flat, off, off + w.numel()), w.shape().dims());
      off += w.numel();
    }
    return out;
  }

  /** Masks for each layer alone, layer l pruned to {@code fractions[l]} of its own values. */
  static LinkedHashMap<String, Tensor> perLayer(
      Map<String, Tensor> weights, Map<String, Tensor> current, Map<String, Double> fractions) {
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    weights.forEach(
        (name, w) -> {
          long k = count(fractions.getOrDefault(name, 0.0), w.numel());
          Tensor[] m = pruneSmallest(List.of(w), Collections.singletonList(current.get(name)), k);
          out.put(name, m[0]);
        });
    return out;
  }
}
