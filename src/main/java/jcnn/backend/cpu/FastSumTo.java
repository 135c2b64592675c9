package jcnn.backend.cpu;

import java.util.Arrays;
import jcnn.backend.Checks;
import jcnn.tensor.Tensor;

/**
 * sumTo, the reverse of broadcasting (bias gradients: [N, K, P, Q] -> [1, K, 1, 1] and [N, out] ->
 * [out]). x's dims are sorted into kept and summed ones, size-1 dims dropped and neighbours of the
 * same kind merged, giving at most four alternating dims. Threads split the largest kept dim, so
 * each owns disjoint outputs and no partial results need merging; the innermost dim is either a
 * contiguous run summed by {@link FastReduce#sum} or a row added onto a row of out. A sum to one
 * element splits x instead and adds the per-task totals in double. Tested in CpuBackendParityTest.
 */
final class FastSumTo {
  /** Elements of x per task. */
  private static final int GRAIN = 1 << 15;

  private FastSumTo() {}

  static void sumTo(Parallel par, Tensor x, Tensor out) {
    float[] xs = x.data();
    float[] os = out.data();
    int n = x.numel();
    if (out.numel() == 1) {
      // The total; also covers an out of higher rank than x, such as [1, 1].
      os[0] = (float) total(par, xs, n);
      return;
    }
    int[] od = Checks.sumToDims(x, out);
    if (n == 0) {
      Arrays.fill(os, 0, out.numel(), 0f);
    } else if (out.numel() == n) {
      System.arraycopy(xs, 0, os, 0, n);
    } else {
      reduce(par, x.shape().dims(), od, xs, os, out.numel());
    }
  }

  /** Sum of x[0, n) split over tasks; per-task totals are added in double, in task order. */
  private static double total(Parallel par, float[] x, int n) {
    int tasks = FastReduce.tasksFor(par, n, GRAIN);
    double[] part = new double[tasks];
    FastReduce.forTasks(
        par,
        tasks,
        t -> {
          int from = (int) ((long) n * t / tasks);
          int to = (int) ((long) n * (t + 1) / tasks);
          part[t] = FastReduce.sum(x, from, to - from);
        });
    double s = 0;
    for (double p : part) {
      s += p;
    }
    return s;
  }

  private static void reduce(Parallel par, int[] xd, int[] od, float[] x, float[] out, int outN) {
    // Merged dims, left-padded to four with kept dims of size 1.
    int[] dims = {1, 1, 1, 1};
    boolean[] kept = {true, true, true, true};
    int m = 0;
    int[] md = new int[4];
    boolean[] mk = new boolean[4];
    for (int i = 0; i < xd.length; i++) {
      if (xd[i] == 1) {
        continue;
      }
      boolean keep = od[i] == xd[i];
      if (m > 0 && mk[m - 1] == keep) {
        md[m - 1] *= xd[i];
      } else {
        md[m] = xd[i];
        mk[m] = keep;
        m++;
      }
    }
    for (int i = 0; i < m; i++) {
      dims[4 - m + i] = md[i];
      kept[4 - m + i] = mk[i];
    }
    int[] xStride = new int[4];
    int[] oStride = new int[4];
    int xAcc = 1;
    int oAcc = 1;
    for (int i = 3; i >= 0; i--) {
      xStride[i] = xAcc;
      xAcc *= dims[i];
      oStride[i] = kept[i] ? oAcc : 0;
      oAcc *= kept[i] ? dims[i] : 1;
    }
    // out has more than one element, so some kept dim is larger than 1.
    int split = -1;
    for (int i = 0; i < 4; i++) {
      if (kept[i] && (split < 0 || dims[i] > dims[split])) {
        split = i;
      }
    }
    Arrays.fill(out, 0, outN, 0f);
    int s = split;
    int perIndex = xAcc / dims[s];
    par.forRange(
        dims[s],
        Math.max(1, GRAIN / perIndex),
        (from, to) -> reduceRange(x, out, dims, kept, xStride, oStride, s, from, to));
  }

  /** Adds x into out over all four dims, dim {@code split} restricted to [from, to). */
  private static void reduceRange(
      float[] x,
      float[] out,
      int[] dims,
      boolean[] kept,
      int[] xs,
      int[] os,
      int split,
      int from,
      int to) {
    int[] lo = {0, 0, 0, 0};
    int[] hi = dims.clone();
    lo[split] = from;
    hi[split] = to;
    for (int i0 = lo[0]; i0 < hi[0]; i0++) {
      for (int i1 = lo[1]; i1 < hi[1]; i1++) {
        for (int i2 = lo[2]; i2 < hi[2]; i2++) {
          int xo = i0 * xs[0] + i1 * xs[1] + i2 * xs[2];
          int oo = i0 * os[0] + i1 * os[1] + i2 * os[2];
          if (kept[3]) {
            for (int t = lo[3]; t < hi[3]; t++) {
              out[oo + t] += x[xo + t];
            }
          } else {
            out[oo] += (float) FastReduce.sum(x, xo, dims[3]);
          }
        }
      }
    }
  }
}
