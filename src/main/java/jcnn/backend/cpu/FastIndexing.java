package jcnn.backend.cpu;

import jcnn.backend.Checks;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;

/**
 * Data movement ops of the fast CPU backend: concat / split (block copies), gather / scatter-add
 * (weight sharing: {@code weight = gather(codebook, indices)}, whose backward scatter-add sums the
 * gradient of every weight into its cluster) and the dropout mask. Tested against the reference in
 * CpuBackendParityTest.
 */
final class FastIndexing {
  private static final int GRAIN = 1 << 15;

  private FastIndexing() {}

  static void concat(Tensor[] xs, int axis, Tensor out) {
    Checks.concatPieces("concat", xs, axis, out);
    int inner = out.shape().sizeFrom(axis + 1);
    int outer = out.numel() / Math.max(1, out.dim(axis) * inner);
    int outRow = out.dim(axis) * inner;
    int off = 0;
    for (Tensor x : xs) {
      int len = x.dim(axis) * inner;
      for (int o = 0; o < outer; o++) {
        System.arraycopy(x.data(), o * len, out.data(), o * outRow + off, len);
      }
      off += len;
    }
  }

  static void split(Tensor g, int axis, Tensor[] outs) {
    Checks.concatPieces("split", outs, axis, g);
    int inner = g.shape().sizeFrom(axis + 1);
    int outer = g.numel() / Math.max(1, g.dim(axis) * inner);
    int gRow = g.dim(axis) * inner;
    int off = 0;
    for (Tensor x : outs) {
      int len = x.dim(axis) * inner;
      for (int o = 0; o < outer; o++) {
        System.arraycopy(g.data(), o * gRow + off, x.data(), o * len, len);
      }
      off += len;
    }
  }

  static void gather(Parallel par, Tensor table, IntTensor idx, Tensor out) {
    checkIndexed("gather", idx, out, table);
    float[] t = table.data();
    int[] ix = idx.data();
    float[] o = out.data();
    par.forRange(
        out.numel(),
        GRAIN,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            o[i] = t[ix[i]];
          }
        });
  }

  /**
   * table[idx[i]] += src[i]. With a table no larger than src (a codebook, many hits per entry) each
   * task sums into its own double table and the tables are added in task order: race-free,
   * deterministic and as accurate as the reference. A larger table gets few hits per entry and is
   * updated in place by one thread.
   */
  static void scatterAdd(Parallel par, Tensor src, IntTensor idx, Tensor table) {
    checkIndexed("scatterAdd", idx, src, table);
    float[] s = src.data();
    int[] ix = idx.data();
    float[] t = table.data();
    int n = src.numel();
    int size = table.numel();
    if (size > n) {
      for (int i = 0; i < n; i++) {
        t[ix[i]] += s[i];
      }
      return;
    }
    int tasks = FastReduce.tasksFor(par, n, GRAIN);
    double[][] part = new double[tasks][size];
    FastReduce.forTasks(
        par,
        tasks,
        k -> {
          double[] acc = part[k];
          int to = (int) ((long) n * (k + 1) / tasks);
          for (int i = (int) ((long) n * k / tasks); i < to; i++) {
            acc[ix[i]] += s[i];
          }
        });
    for (int j = 0; j < size; j++) {
      double v = t[j];
      for (double[] acc : part) {
        v += acc[j];
      }
      t[j] = (float) v;
    }
  }

  private static void checkIndexed(String op, IntTensor idx, Tensor values, Tensor table) {
    if (idx.numel() != values.numel()) {
      throw new IllegalArgumentException(
          op + ": indices " + idx.shape() + " and values " + values.shape() + " differ in size");
    }
    Checks.indices(op, idx, table);
  }

  /** mask[i] = keep(seed, i) ? 1 / (1 - p) : 0; a pure function of (seed, i), so thread-proof. */
  static void dropoutMask(Parallel par, long seed, float p, Tensor mask) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(
          "dropoutMask: p = " + p + " must be in [0, 1] (mask " + mask.shape() + ")");
    }
    float scale = DropoutHash.scale(p);
    float[] m = mask.data();
    par.forRange(
        mask.numel(),
        GRAIN / 4,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            m[i] = DropoutHash.keep(seed, i, p) ? scale : 0f;
          }
        });
  }
}
