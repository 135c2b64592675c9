package jcnn.bench;

import java.util.concurrent.TimeUnit;
import jcnn.backend.ConvSpec;
import jcnn.backend.cpu.CpuBackend;
import jcnn.bench.ConvShapes.ConvShape;
import jcnn.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One training step of one convolution layer on the fast CPU backend: conv2dForward +
 * conv2dBackwardData + conv2dBackwardWeight, on the real layer shapes of {@link ConvShapes}. The
 * CLI converts ms/op to GFLOP/s with {@link ConvShape#trainingFlops()} (three passes of 2 * N * K *
 * P * Q * C/groups * R * S flops each; padding, im2col and the bias are not counted).
 *
 * <p>Napkin math. lenet5.conv2 (N=64, C=20 -> K=50, 12x12 -> 8x8, 5x5): each pass is a GEMM of 50 x
 * 500 x 4096, 204.8 MFLOP, so 614 MFLOP per op; resnet20.stage1 (N=128, 16 -> 16, 32x32, 3x3 pad
 * 1): 16 x 144 x 131072 per pass, 604 MFLOP, 1.81 GFLOP per op. One core of this machine (AVX-512
 * on two 256-bit FMA pipes, about 3 GHz) peaks near 32 flops/cycle, about 100 GFLOP/s, and Sgemm's
 * kernel gets close to that on large GEMMs, so the target is 1/3 to 2/3 of peak: 6-20 ms for
 * lenet5.conv2 and 20-60 ms for resnet20.stage1 on one thread. The data are small next to the
 * arithmetic (lenet5.conv2: x 737 KB, y 819 KB), so the work is compute-bound, but im2col is not
 * free: resnet20.stage1's column matrix is 9x its input (144 x 1024 floats per image), and writing
 * and re-reading it cost as much as its thin GEMM (M = K = 16). Hence the direct stride-1 kernels
 * of FastDirectConv / FastDirectWeight, which read a padded copy of the input in place.
 *
 * <p>Measured (noisy: 2 cores shared with other jobs; GFLOP/s per pass, forward / backward-data /
 * backward-weight, one thread, from a plain timing loop): im2col + GEMM for every pass gave
 * lenet5.conv2 44 / 43 / 38 and resnet20.stage1 30 / 27 / 22; with the direct kernels,
 * resnet20.stage1 runs at 68 / 67 / 72 (120 each with 2 threads on a quiet machine),
 * resnet20.stage2 80 / 77 / 66, cifar.conv64 89 / 90 / 84, and lenet5.conv2 (direct forward, GEMM
 * backward) 55 / 55 / 38. JMH, this benchmark, best of three runs (a run sharing the cores with
 * other jobs came out up to 1.7x slower): lenet5.conv2 12.5 ms/op = 49 GFLOP/s on one thread, 7.8
 * ms/op = 78 GFLOP/s on two; resnet20.stage1 26.6 ms/op = 68 GFLOP/s on one thread, 16.2 ms/op =
 * 112 GFLOP/s on two. With im2col + GEMM only (and a busier machine): 19.8 and 169 ms/op on one
 * thread.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp <jcnn.jar:deps> org.openjdk.jmh.Main
 * ConvBenchmark -p shape=lenet5.conv2,resnet20.stage1 -p threads=1,2 -wi 2 -i 3 -f 1 -jvmArgsAppend
 * --add-modules=jdk.incubator.vector}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConvBenchmark {
  @Param("lenet5.conv2")
  String shape;

  @Param("2")
  int threads;

  private CpuBackend backend;
  private ConvSpec spec;
  private Tensor x; // [N, C, H, W]
  private Tensor w; // [K, C/groups, R, S]
  private Tensor bias; // [K]
  private Tensor y; // [N, K, P, Q]
  private Tensor gy; // [N, K, P, Q]
  private Tensor gx; // [N, C, H, W]
  private Tensor gw; // [K, C/groups, R, S]

  @Setup
  public void setup() {
    ConvShape s = ConvShapes.get(shape);
    spec = s.spec();
    backend = new CpuBackend(threads);
    int cg = s.c() / s.groups();
    x = Tensor.randn(1, 1f, s.n(), s.c(), s.h(), s.w());
    w = Tensor.randn(2, (float) (1 / Math.sqrt(cg * s.r() * s.s())), s.k(), cg, s.r(), s.s());
    bias = Tensor.randn(3, 1f, s.k());
    y = Tensor.zeros(s.n(), s.k(), s.p(), s.q());
    gy = Tensor.randn(4, 1f, s.n(), s.k(), s.p(), s.q());
    gx = Tensor.zeros(x.shape());
    gw = Tensor.zeros(w.shape());
  }

  @Benchmark
  public void forwardBackward() {
    backend.conv2dForward(x, w, bias, spec, y);
    backend.conv2dBackwardData(gy, w, spec, gx);
    backend.conv2dBackwardWeight(x, gy, spec, gw);
  }
}
