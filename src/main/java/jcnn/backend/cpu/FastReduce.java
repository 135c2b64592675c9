package jcnn.backend.cpu;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised reductions over contiguous runs of floats, shared by the fast CPU ops (sumTo, batch
 * norm, depthwise and loss code), and the task helper that gives each parallel task a stable index.
 *
 * <p>Accuracy: C2 never vectorises a float sum by itself (it would reorder the additions), so these
 * loops use explicit {@link FloatVector} lanes. Each block of {@link #BLOCK} floats is summed in
 * float lanes (every lane adds only BLOCK / lanes values) and the block totals are added in double,
 * which keeps long sums within the parity tolerance of the double-accumulating reference. Tested
 * through CpuBackendParityTest (sumTo, batch norm).
 */
final class FastReduce {
  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int BLOCK = 1024;

  private FastReduce() {}

  /** Runs {@code body(t)} for t in [0, tasks), each task on its own thread where threads allow. */
  static void forTasks(Parallel par, int tasks, IntConsumer body) {
    par.forRange(
        tasks,
        1,
        (from, to) -> {
          for (int t = from; t < to; t++) {
            body.accept(t);
          }
        });
  }

  /** How many parallel tasks {@code work} units deserve, given {@code grain} units per task. */
  static int tasksFor(Parallel par, long work, long grain) {
    return (int) Math.max(1, Math.min(par.threads(), work / Math.max(1, grain)));
  }

  /**
   * True when a[0, len) holds no NaN and no infinity. x * 0 is 0 for every finite x and NaN
   * otherwise, so one multiply-add per lane keeps a lane at zero exactly while its values are
   * finite; unlike a plain sum it cannot overflow to infinity on large finite values. In a JFR
   * profile of a LeNet-5 training epoch, autograd's anomaly check took 4.7% of the samples with the
   * scalar Float.isFinite loop and 1.8% with this one, which then mostly waits on memory.
   */
  static boolean allFinite(float[] a, int len) {
    FloatVector acc = FloatVector.zero(F);
    FloatVector zero = FloatVector.zero(F);
    int i = 0;
    for (; i <= len - F.length(); i += F.length()) {
      acc = FloatVector.fromArray(F, a, i).fma(zero, acc);
    }
    float tail = 0f;
    for (; i < len; i++) {
      tail += a[i] * 0f;
    }
    return acc.reduceLanes(VectorOperators.ADD) + tail == 0f;
  }

  /** Sum of a[off, off + len). */
  static double sum(float[] a, int off, int len) {
    double total = 0;
    for (int b = 0; b < len; b += BLOCK) {
      int end = Math.min(len, b + BLOCK);
      int i = b;
      float s = 0;
      if (end - i >= F.length()) {
        FloatVector acc = FloatVector.zero(F);
        for (; i <= end - F.length(); i += F.length()) {
          acc = acc.add(FloatVector.fromArray(F, a, off + i));
        }
        s = acc.reduceLanes(VectorOperators.ADD);
      }
      for (; i < end; i++) {
        s += a[off + i];
      }
      total += s;
    }
    return total;
  }
}
