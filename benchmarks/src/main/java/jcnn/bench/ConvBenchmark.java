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
 * CLI converts ms/op to GFLOP/s with {@link ConvShape#trainingFlops()} (three GEMMs of 2 * N * K *
 * P * Q * C/groups * R * S flops each; im2col, col2im and the bias are not counted).
 *
 * <p>Napkin math. lenet5.conv2 (N=64, C=20 -> K=50, 12x12 -> 8x8, 5x5): each pass is a GEMM of 50 x
 * 500 x 4096, 204.8 MFLOP, so 614 MFLOP per op; resnet20.stage1 (N=128, 16 -> 16, 32x32, 3x3 pad
 * 1): 16 x 144 x 131072 per pass, 604 MFLOP, 1.81 GFLOP per op. One core of this machine (AVX- 512
 * FMA, about 3 GHz) peaks near 100 GFLOP/s; a Java Vector API GEMM reaches perhaps a third of that,
 * so expect tens of ms per op on one thread. The data are small next to the arithmetic
 * (lenet5.conv2: x 737 KB, y 819 KB; the im2col columns of one 8-image block 1 MB, in L2), so the
 * op should be compute-bound; resnet20.stage1 has only 16 output channels, so its GEMMs are thin (M
 * = 16) and do about 9 flops per byte of the 144-row column matrix: expect it lower.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp <jcnn.jar:deps> org.openjdk.jmh.Main
 * ConvBenchmark -p shape=lenet5.conv2,resnet20.stage1 -p threads=1,2 -wi 2 -i 3 -f 1}.
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
