package jcnn.bench;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jcnn.autograd.Variable;
import jcnn.backend.Backends;
import jcnn.backend.cpu.CpuBackend;
import jcnn.compress.exec.CompressedConv2d;
import jcnn.compress.exec.CompressedLinear;
import jcnn.compress.exec.SparseRows;
import jcnn.nn.Conv2d;
import jcnn.nn.Linear;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inference of one pruned layer, dense against sparse (issue 19): {@code dense} is the jcnn {@link
 * Linear} / {@link Conv2d} forward on the weights with their zeros, {@code csr} the {@link
 * CompressedLinear} / {@link CompressedConv2d} on {@link SparseRows} with float values, {@code
 * coded} the same with byte codes into a 32-entry codebook (pruning and weight sharing together).
 * The weights are Gaussian with the smallest {@code sparsity} share set to zero (random positions,
 * as magnitude pruning of a trained layer leaves them). Layers: {@code lenet5.fc1} (800 -> 500),
 * {@code lenet300.fc1} (784 -> 300), {@code lenet5.conv2} (20 -> 50, 5x5, on 12x12).
 *
 * <p>Napkin math, lenet5.fc1 at 95% sparsity, batch 1: dense reads 1.6 MB of weights for 0.8 MFLOP
 * (memory-bound: ~80 us at 20 GB/s, ~20 us when the 1.6 MB sit in L2/L3); CSR reads 20,000 x 6
 * bytes = 120 KB and does 20,000 gather-FMAs, ~1 per cycle: ~7 us on one core. Run by {@code jcnn
 * bench sparse}, which prints each time beside PyTorch's dense and torch.sparse CSR.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SparseBenchmark {
  @Param({"lenet5.fc1", "lenet300.fc1", "lenet5.conv2"})
  String layer;

  @Param({"0.95"})
  double sparsity;

  @Param({"1", "64"})
  int batch;

  @Param("2")
  int threads;

  private Module dense;
  private Module csr;
  private Module coded;
  private Variable x;

  /** [K, C, kernel, input H] of each layer; kernel 0 means a linear layer. */
  static int[] dims(String layer) {
    return switch (layer) {
      case "lenet5.fc1" -> new int[] {500, 800, 0, 0};
      case "lenet300.fc1" -> new int[] {300, 784, 0, 0};
      case "lenet5.conv2" -> new int[] {50, 20, 5, 12};
      default ->
          throw new IllegalArgumentException(
              "unknown layer '" + layer + "' (lenet5.fc1, lenet300.fc1, lenet5.conv2)");
    };
  }

  /** Multiply-adds of one forward at the given density (dense: density 1). */
  public static double macs(String layer, int batch, double density) {
    int[] d = dims(layer);
    double perOut = d[2] == 0 ? d[1] : (double) d[1] * d[2] * d[2];
    int pq = d[2] == 0 ? 1 : (d[3] - d[2] + 1) * (d[3] - d[2] + 1);
    return batch * (double) d[0] * pq * perOut * density;
  }

  @Setup(Level.Trial)
  public void setup() {
    Backends.use(new CpuBackend(threads));
    int[] d = dims(layer);
    int k = d[0];
    int cols = d[2] == 0 ? d[1] : d[1] * d[2] * d[2];
    float[] w = pruned(new Random(42), k * cols, sparsity);
    float[] cb = new float[32];
    int[] codes = share(w, cb);
    float[] shared = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      shared[i] = codes[i] < 0 ? 0f : cb[codes[i]];
    }
    if (d[2] == 0) {
      Linear l = new Linear(d[1], k, false, 1);
      System.arraycopy(w, 0, l.weight().value().data(), 0, w.length);
      dense = l;
      csr = new CompressedLinear(SparseRows.of(w, k, cols), null);
      coded = new CompressedLinear(SparseRows.coded(codes, cb, k, cols), null);
      x = Variable.constant(Tensor.randn(3, 1f, batch, d[1]));
    } else {
      Conv2d c = new Conv2d(d[1], k, d[2], 1, 0, 1, false, 1);
      System.arraycopy(w, 0, c.weight().value().data(), 0, w.length);
      dense = c;
      // the compressed conv takes (r, s, c) columns; a random pattern is random in any order
      csr = new CompressedConv2d(SparseRows.of(w, k, cols), null, d[1], d[2], 1, 0, 1);
      coded = new CompressedConv2d(SparseRows.coded(codes, cb, k, cols), null, d[1], d[2], 1, 0, 1);
      x = Variable.constant(Tensor.randn(3, 1f, batch, d[1], d[3], d[3]));
    }
    dense.eval();
    csr.eval();
    coded.eval();
  }

  /** Gaussian weights with the smallest-magnitude share {@code sparsity} set to zero. */
  static float[] pruned(Random rnd, int n, double sparsity) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) rnd.nextGaussian();
    }
    float[] mags = new float[n];
    for (int i = 0; i < n; i++) {
      mags[i] = Math.abs(w[i]);
    }
    Arrays.sort(mags);
    float cut = mags[(int) Math.min(n - 1, Math.round(sparsity * n))];
    for (int i = 0; i < n; i++) {
      w[i] = Math.abs(w[i]) < cut ? 0f : w[i];
    }
    return w;
  }

  /** Codes into cb (filled with cb.length levels spanning the weights), -1 where w is 0. */
  static int[] share(float[] w, float[] cb) {
    float lo = Float.MAX_VALUE;
    float hi = -Float.MAX_VALUE;
    for (float v : w) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    for (int i = 0; i < cb.length; i++) {
      cb[i] = lo + (hi - lo) * (i + 0.5f) / cb.length;
    }
    int[] codes = new int[w.length];
    for (int i = 0; i < w.length; i++) {
      codes[i] =
          w[i] == 0f ? -1 : Math.min(cb.length - 1, (int) ((w[i] - lo) / (hi - lo) * cb.length));
    }
    return codes;
  }

  @Benchmark
  public Tensor dense() {
    return Inference.run(dense, x);
  }

  @Benchmark
  public Tensor csr() {
    return Inference.run(csr, x);
  }

  @Benchmark
  public Tensor coded() {
    return Inference.run(coded, x);
  }
}
