package jcnn.compress.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.tensor.Tensor;

/**
 * Class-distribution pruning (Han et al. 2015, "Learning both weights and connections"): in every
 * layer l the weights with {@code |w| < s * std(W_l)} are pruned, one quality parameter s for the
 * whole network. {@link #masksAt} takes s; as a {@link PruneCriterion} ("std") s is solved by
 * bisection so that the network's pruned fraction reaches the target.
 *
 * <p>std(W_l) is the population standard deviation of the layer's effective weight, pruned entries
 * counted as zeros (as Distiller computes it on the masked tensor); before any pruning it is Han's
 * std of the layer. A threshold cannot split weights of equal magnitude, so the solved fraction is
 * the smallest reachable one at or above the target: it can overshoot by the size of a tie, and
 * falls short only when a layer's effective weight is all zeros (std 0: nothing there is below the
 * threshold) with unpruned entries. Tested in {@code PruneCriterionTest}.
 */
public final class ClassDistribution implements PruneCriterion {

  ClassDistribution() {}

  @Override
  public String name() {
    return "std";
  }

  @Override
  public LinkedHashMap<String, Tensor> masks(
      Map<String, Tensor> weights, Map<String, Tensor> current, double target) {
    return masksAt(weights, current, solve(weights, current, target));
  }

  /** Masks pruning, per layer, what is already pruned and every |w| < s * std(W_l). */
  public static LinkedHashMap<String, Tensor> masksAt(
      Map<String, Tensor> weights, Map<String, Tensor> current, double s) {
    if (!(s >= 0) || Double.isInfinite(s)) {
      throw new IllegalArgumentException("ClassDistribution: s must be finite and >= 0, got " + s);
    }
    Magnitude.check("ClassDistribution", weights, current, 0);
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    weights.forEach(
        (name, w) -> {
          Tensor cur = current.get(name);
          double t = s * std(w, cur);
          float[] v = w.data();
          float[] c = cur == null ? null : cur.data();
          Tensor mask = Tensor.full(1f, w.shape().dims());
          float[] m = mask.data();
          for (int i = 0; i < m.length; i++) {
            boolean pruned = c != null && c[i] == 0f;
            m[i] = pruned || Math.abs((double) v[i]) < t ? 0f : 1f;
          }
          out.put(name, mask);
        });
    return out;
  }

  /**
   * The smallest s whose masks prune at least {@code round(target * n)} of the n weights (0 when
   * the current masks already do), found by bisection on the exact count.
   */
  public static double solve(
      Map<String, Tensor> weights, Map<String, Tensor> current, double target) {
    Magnitude.check("PruneCriterion.std", weights, current, target);
    List<Layer> layers = new ArrayList<>();
    long n = 0;
    for (Map.Entry<String, Tensor> e : weights.entrySet()) {
      layers.add(new Layer(e.getValue(), current.get(e.getKey())));
      n += e.getValue().numel();
    }
    long k = Magnitude.count(target, n);
    if (count(layers, 0) >= k) {
      return 0;
    }
    double maxRatio = 0;
    for (Layer l : layers) {
      if (l.std > 0 && l.abs.length > 0) {
        maxRatio = Math.max(maxRatio, l.abs[l.abs.length - 1] / l.std);
      }
    }
    double lo = 0;
    double hi = 2 * maxRatio + 1; // every |w| of a layer with std > 0 is below hi * std
    if (count(layers, hi) < k) {
      return hi;
    }
    for (int it = 0; it < 200; it++) {
      double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) {
        break;
      }
      if (count(layers, mid) >= k) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  /** The population standard deviation of w * mask (mask null = all ones), in double. */
  public static double std(Tensor w, Tensor mask) {
    float[] v = w.data();
    float[] m = mask == null ? null : mask.data();
    int n = w.numel();
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += m == null ? v[i] : (double) v[i] * m[i];
    }
    double mean = sum / n;
    double sq = 0;
    for (int i = 0; i < n; i++) {
      double d = (m == null ? v[i] : (double) v[i] * m[i]) - mean;
      sq += d * d;
    }
    return Math.sqrt(sq / n);
  }

  /** How many weights {@link #masksAt} prunes for s. */
  private static long count(List<Layer> layers, double s) {
    long c = 0;
    for (Layer l : layers) {
      c += l.pruned + below(l.abs, s * l.std);
    }
    return c;
  }

  /** The number of values of the ascending array a that are below t. */
  private static int below(double[] a, double t) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** One layer for the bisection: its std, pruned count and the sorted |w| of the rest. */
  private static final class Layer {
    final double std;
    final int pruned;
    final double[] abs;

    Layer(Tensor w, Tensor mask) {
      std = std(w, mask);
      float[] v = w.data();
      float[] m = mask == null ? null : mask.data();
      double[] a = new double[w.numel()];
      int kept = 0;
      for (int i = 0; i < a.length; i++) {
        if (m == null || m[i] != 0f) {
          a[kept++] = Math.abs((double) v[i]);
        }
      }
      pruned = a.length - kept;
      abs = Arrays.copyOf(a, kept);
      Arrays.sort(abs);
    }
  }
}
