package jcnn.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import jcnn.autograd.Variable;
import jcnn.backend.Backends;
import jcnn.backend.cpu.CpuBackend;
import jcnn.compress.exec.BitRows;
import jcnn.compress.exec.CompressedConv2d;
import jcnn.compress.exec.CompressedLinear;
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
 * Binary layers (issue 19): {@code dense} is the float32 jcnn layer on the +-1 weights, {@code
 * xnor} the {@link BitRows} layer on a +-1 input (BNN: XOR and popcount), {@code bits} the same
 * weights on a real-valued input (BinaryConnect: additions of masked inputs). Layers: {@code
 * fc4096} (4096 -> 4096, BNN's MLP) and {@code conv256} (256 -> 256, 3x3, pad 1, on 8x8, BNN's last
 * CIFAR conv stage).
 *
 * <p>Napkin math, fc4096 at batch 1: dense float reads 64 MB of weights (from DRAM, ~3 ms at 20
 * GB/s) for 33.6 MFLOP; XNOR reads 2 MB of bits and does 262,144 XOR+POPCNT+ADD, ~0.1 ms on one
 * core at ~1 word per cycle; with a real input, 16.8 M masked adds at 16 lanes, ~3 instructions per
 * vector, ~3 M cycles per core. Run by {@code jcnn bench xnor}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class XnorBenchmark {
  @Param({"fc4096", "conv256"})
  String layer;

  @Param({"1", "64"})
  int batch;

  @Param("2")
  int threads;

  private Module dense;
  private Module bits;
  private Variable signs;
  private Variable real;

  /** Binary multiply-adds of one forward. */
  public static double macs(String layer, int batch) {
    return layer.equals("fc4096") ? batch * 4096.0 * 4096 : batch * 256.0 * 256 * 9 * 64;
  }

  @Setup(Level.Trial)
  public void setup() {
    Backends.use(new CpuBackend(threads));
    Random rnd = new Random(42);
    boolean fc = layer.equals("fc4096");
    int k = fc ? 4096 : 256;
    int cols = fc ? 4096 : 256 * 9;
    float[] w = new float[k * cols];
    for (int i = 0; i < w.length; i++) {
      w[i] = rnd.nextBoolean() ? 1f : -1f;
    }
    BitRows rows = BitRows.binary(w, new float[] {1f}, k, fc ? 4096 : 256, fc ? 1 : 9);
    int[] xd = fc ? new int[] {batch, 4096} : new int[] {batch, 256, 8, 8};
    float[] s = new float[batch * 4096 * (fc ? 1 : 4)];
    for (int i = 0; i < s.length; i++) {
      s[i] = rnd.nextBoolean() ? 1f : -1f;
    }
    signs = Variable.constant(Tensor.of(s, xd));
    real = Variable.constant(Tensor.randn(5, 1f, xd));
    if (fc) {
      Linear l = new Linear(4096, 4096, false, 1);
      System.arraycopy(w, 0, l.weight().value().data(), 0, w.length);
      dense = l;
      bits = new CompressedLinear(rows, null);
    } else {
      // dense weight in (c, r, s) order; the bit rows take (r, s, c): random signs either way
      Conv2d c = new Conv2d(256, 256, 3, 1, 1, 1, false, 1);
      System.arraycopy(w, 0, c.weight().value().data(), 0, w.length);
      dense = c;
      bits = new CompressedConv2d(rows, null, 256, 3, 1, 1, 1);
    }
    dense.eval();
    bits.eval();
  }

  @Benchmark
  public Tensor dense() {
    return Inference.run(dense, signs);
  }

  @Benchmark
  public Tensor xnor() {
    return Inference.run(bits, signs);
  }

  @Benchmark
  public Tensor bits() {
    return Inference.run(bits, real);
  }
}
