package jcnn.backend.cpu;

import static jcnn.backend.cpu.Parity.REF;
import static jcnn.backend.cpu.Parity.assertClose;
import static jcnn.backend.cpu.Parity.randn;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import jcnn.backend.Backend;
import jcnn.backend.ConvSpec;
import jcnn.bench.ConvShapes;
import jcnn.bench.ConvShapes.ConvShape;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast convolution (im2col + GEMM, the pointwise shortcut, the depthwise direct loops) equals
 * the reference within |x - ref| <= atol + rtol*|ref| in all three passes, with 1 and 2 threads: on
 * odd shapes (dims from 1, 7, 33, 127; stride 2, asymmetric stride and padding, padding wider than
 * the filter needs, groups, depthwise with and without a channel multiplier, 1x1 with and without
 * stride, a filter as large as the image) and on every real layer of ConvShapes at batch 2 to 4.
 * Batches of 3 and 7 leave partial image blocks in the GEMM batching.
 */
public class CpuBackendConvParityTest {
  /** The backend under test: the fast CPU backend here; the CUDA parity tests override it. */
  protected Backend under(int threads) {
    return Parity.fast(threads);
  }

  /** One test convolution: x [N, C, H, W], w [K, C/groups, R, S]. */
  record Case(String name, int n, int c, int k, int h, int w, int r, int s, ConvSpec spec) {
    static Case of(ConvShape s) {
      return new Case(s.name(), s.n(), s.c(), s.k(), s.h(), s.w(), s.r(), s.s(), s.spec());
    }

    @Override
    public String toString() {
      return name
          + " x["
          + n
          + ","
          + c
          + ","
          + h
          + ","
          + w
          + "] w["
          + k
          + ","
          + c / spec.groups()
          + ","
          + r
          + ","
          + s
          + "] "
          + spec;
    }
  }

  static List<Case> cases() {
    List<Case> l = new ArrayList<>();
    l.add(new Case("3x3 pad 1", 2, 7, 33, 33, 7, 3, 3, ConvSpec.of(1, 1)));
    l.add(new Case("batch 1 split in row bands", 1, 7, 8, 33, 33, 3, 3, ConvSpec.of(1, 1)));
    l.add(new Case("batch 5 in chunks of 3", 5, 4, 8, 16, 16, 3, 3, ConvSpec.of(1, 1)));
    l.add(new Case("batch 5 in chunks of 2", 5, 2, 4, 58, 58, 3, 3, ConvSpec.of(1, 1)));
    l.add(new Case("stride 2 pad 1", 3, 7, 7, 33, 33, 3, 3, ConvSpec.of(2, 1)));
    l.add(new Case("depthwise stride 2", 3, 7, 7, 33, 33, 3, 3, ConvSpec.of(2, 1, 7)));
    // Depthwise at a column stride of 3 or 2 with a row stride of 1 (FastDepthwiseStrided's
    // strided inner loops; the stride-1 kernel must not take them), with an odd width and pad 0.
    l.add(
        new Case("depthwise column stride 3", 2, 5, 5, 17, 31, 5, 5, new ConvSpec(1, 3, 2, 1, 5)));
    l.add(
        new Case(
            "depthwise column stride 2, pad 0", 2, 4, 4, 9, 12, 3, 3, new ConvSpec(1, 2, 0, 0, 4)));
    l.add(new Case("depthwise 5x5 pad 2", 2, 7, 7, 33, 7, 5, 5, ConvSpec.of(1, 2, 7)));
    // The stride-phase kernels: MobileNet's even-sized stride 2, a filter smaller than the stride
    // (phases without taps), row stride 3 with a padding wider than the filter at stride 1 across.
    l.add(new Case("depthwise stride 2, 32x32", 3, 5, 5, 32, 32, 3, 3, ConvSpec.of(2, 1, 5)));
    l.add(new Case("depthwise 1x1 stride 2", 2, 3, 3, 9, 8, 1, 1, ConvSpec.of(2, 0, 3)));
    l.add(
        new Case(
            "depthwise row stride 3, pad 3", 2, 3, 3, 11, 10, 3, 3, new ConvSpec(3, 1, 3, 3, 3)));
    l.add(new Case("channel multiplier", 2, 7, 14, 7, 7, 3, 3, ConvSpec.of(1, 1, 7)));
    l.add(new Case("filter = image", 7, 1, 7, 7, 7, 7, 7, ConvSpec.of(1, 0)));
    l.add(new Case("1x1", 1, 33, 7, 7, 7, 1, 1, ConvSpec.of(1, 0)));
    l.add(new Case("1x1 batch 7", 7, 33, 7, 7, 7, 1, 1, ConvSpec.of(1, 0)));
    l.add(new Case("1x1 stride 2", 2, 33, 33, 7, 7, 1, 1, ConvSpec.of(2, 0)));
    l.add(new Case("1x1 groups", 2, 8, 12, 9, 9, 1, 1, ConvSpec.of(1, 0, 4)));
    l.add(new Case("groups 3 asymmetric", 2, 6, 9, 13, 11, 5, 3, new ConvSpec(2, 1, 2, 1, 3)));
    l.add(new Case("pad 2 batch 7", 7, 3, 7, 7, 7, 3, 3, ConvSpec.of(1, 2)));
    l.add(new Case("1 x 127 row", 2, 1, 7, 1, 127, 1, 7, ConvSpec.of(1, 0)));
    for (ConvShape s : ConvShapes.all()) {
      int batch = s.h() * s.w() * s.c() * s.k() > 20 * 12 * 12 * 50 ? 2 : 3;
      l.add(Case.of(s.withBatch(batch)));
    }
    return l;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void allThreePassesMatchTheReference(Case cs) {
    int cg = cs.c() / cs.spec().groups();
    float wStd = (float) (1 / Math.sqrt(cg * cs.r() * cs.s())); // outputs of order 1
    Tensor x = randn(1, cs.n(), cs.c(), cs.h(), cs.w());
    Tensor w = Tensor.randn(2, wStd, cs.k(), cg, cs.r(), cs.s());
    Tensor bias = randn(3, cs.k());
    jcnn.tensor.Shape ys = cs.spec().outputShape(x.shape(), w.shape());
    Tensor gy = randn(4, ys.dims());
    Tensor yRef = Tensor.zeros(ys);
    Tensor gxRef = Tensor.zeros(x.shape());
    Tensor gwRef = Tensor.zeros(w.shape());
    REF.conv2dForward(x, w, bias, cs.spec(), yRef);
    REF.conv2dBackwardData(gy, w, cs.spec(), gxRef);
    REF.conv2dBackwardWeight(x, gy, cs.spec(), gwRef);
    // Backward-weight sums N*P*Q products of order 1: scale its tolerance with that count.
    double gwAtol = 2e-6 * Math.sqrt((double) cs.n() * ys.dim(2) * ys.dim(3)) + 1e-5;
    for (int threads = 1; threads <= 2; threads++) {
      Backend b = under(threads);
      String at = cs + ", " + threads + " threads";
      Tensor y = Tensor.full(Float.NaN, ys.dims());
      b.conv2dForward(x, w, bias, cs.spec(), y);
      assertClose("forward " + at, yRef, y, 1e-5, 1e-5);
      b.conv2dForward(x, w, null, cs.spec(), y.fill(Float.NaN));
      Tensor yNoBias = Tensor.zeros(ys);
      REF.conv2dForward(x, w, null, cs.spec(), yNoBias);
      assertClose("forward without bias " + at, yNoBias, y, 1e-5, 1e-5);
      Tensor gx = Tensor.full(Float.NaN, x.shape().dims());
      b.conv2dBackwardData(gy, w, cs.spec(), gx);
      assertClose("backward data " + at, gxRef, gx, 1e-5, 1e-5);
      Tensor gw = Tensor.full(Float.NaN, w.shape().dims());
      b.conv2dBackwardWeight(x, gy, cs.spec(), gw);
      assertClose("backward weight " + at, gwRef, gw, gwAtol, 1e-5);
    }
  }

  @Test
  void badShapesAreRejectedNamingOpAndShapes() {
    Backend b = under(2);
    Tensor x = Tensor.zeros(2, 7, 33, 33);
    Tensor w = Tensor.zeros(33, 7, 3, 3);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> b.conv2dForward(x, w, null, ConvSpec.of(1, 1), Tensor.zeros(2, 33, 31, 31)));
    assertTrue(
        e.getMessage().startsWith("conv2dForward") && e.getMessage().contains("[2, 33, 31, 31]"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> b.conv2dForward(x, Tensor.zeros(33, 3, 3, 3), null, ConvSpec.of(1, 1), x));
    assertTrue(e.getMessage().contains("[33, 3, 3, 3]"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> b.conv2dBackwardWeight(x, Tensor.zeros(2, 33, 7, 7), ConvSpec.of(1, 1), w));
    assertTrue(e.getMessage().startsWith("conv2dBackwardWeight"), e.getMessage());
  }
}
