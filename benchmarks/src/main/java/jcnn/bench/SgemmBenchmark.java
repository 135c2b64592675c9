package jcnn.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import jcnn.backend.cpu.Parallel;
import jcnn.backend.cpu.Sgemm;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Times {@link Sgemm} on a square size x size x size product, C = A * B.
 *
 * <p>Napkin math for size = 1024: 2 * 1024^3 = 2.15 GFLOP. The operands are 3 * 4 MB = 12 MB, so
 * from memory alone a 20 GB/s stream would take 0.6 ms: the product is compute-bound. Peak on this
 * machine (AMD EPYC, AVX-512 run as two 256-bit FMA pipes, ~3.6 GHz) is one 16-float FMA per cycle
 * per core = 32 FLOP/cycle, about 115 GFLOP/s per core and 230 GFLOP/s on both: 9.3 ms at peak with
 * 2 threads, 18.7 ms with 1. OpenBLAS (through PyTorch) reaches 175-200 GFLOP/s here.
 *
 * <p>Reported as ms/op; GFLOP/s = {@link #flops}(size) / (ms * 1e6). Measured here: about 100
 * GFLOP/s with 1 thread and 190 with 2 on an idle machine. Run with e.g. {@code
 * org.openjdk.jmh.Main SgemmBenchmark -p threads=1,2}; short 2 s iterations by default, as the
 * machine is shared.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SgemmBenchmark {
  @Param("1024")
  int size;

  @Param("2")
  int threads;

  private Parallel par;
  private float[] a; // [size, size]
  private float[] b; // [size, size]
  private float[] c; // [size, size]

  /** Floating-point operations of one size^3 product: a multiply and an add per step. */
  public static double flops(int size) {
    return 2.0 * size * size * size;
  }

  @Setup(Level.Trial)
  public void setup() {
    Random rnd = new Random(42);
    a = random(rnd, size * size);
    b = random(rnd, size * size);
    c = new float[size * size];
    par = new Parallel(threads);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    par.close();
  }

  @Benchmark
  public float[] sgemm() {
    Sgemm.sgemm(par, false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
    return c;
  }

  private static float[] random(Random rnd, int len) {
    float[] x = new float[len];
    for (int i = 0; i < len; i++) {
      x[i] = 2 * rnd.nextFloat() - 1;
    }
    return x;
  }
}
