package jcnn.backend.cpu;

import static jcnn.backend.cpu.RefAsserts.assertClose;

import jcnn.backend.Backend;
import jcnn.backend.ConvSpec;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The reference convolution: hand-computed outputs (plain, padded and strided, grouped, depthwise),
 * a 1x1 convolution against matmul, and central finite differences of both backward passes on a
 * grouped, strided, padded case (the backward methods must be exactly right: every other backend is
 * tested against them).
 */
class RefConvTest {
  private final Backend ref = new ReferenceBackend();

  /** x = 1..9 as [1, 1, 3, 3]. */
  private static Tensor oneToNine() {
    return Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
  }

  @Test
  void valid3x3With2x2FilterAndBias() {
    Tensor w = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
    Tensor y = Tensor.zeros(1, 1, 2, 2);
    ref.conv2dForward(oneToNine(), w, Tensor.of(new float[] {1}, 1), ConvSpec.of(1, 0), y);
    // y[0, 0] = 1*1 + 2*2 + 3*4 + 4*5 = 37, then + bias 1
    assertClose(new double[] {38, 48, 68, 78}, y.data());
  }

  @Test
  void paddingAndStride() {
    // pad 1, stride 2: windows start at rows/cols -1 and 1; padded taps read zero.
    Tensor w = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
    Tensor y = Tensor.zeros(1, 1, 2, 2);
    ref.conv2dForward(oneToNine(), w, null, ConvSpec.of(2, 1), y);
    // y[0,0] = 4*x[0,0]; y[0,1] = 3*x[0,1] + 4*x[0,2]; y[1,0] = 2*x[1,0] + 4*x[2,0]; y[1,1] = all
    assertClose(new double[] {4, 3 * 2 + 4 * 3, 2 * 4 + 4 * 7, 77}, y.data());
  }

  @Test
  void groupsSeeOnlyTheirChannels() {
    // C = 4, K = 2, groups = 2: y0 = w00*x0 + w01*x1, y1 = w10*x2 + w11*x3
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4, 1, 1);
    Tensor w = Tensor.of(new float[] {1, 10, 100, 1000}, 2, 2, 1, 1);
    Tensor y = Tensor.zeros(1, 2, 1, 1);
    ref.conv2dForward(x, w, null, ConvSpec.of(1, 0, 2), y);
    assertClose(new double[] {21, 4300}, y.data());
  }

  @Test
  void depthwise() {
    // groups == C == K == 2; channel 1 of x is 10 * channel 0.
    float[] xs = new float[18];
    for (int i = 0; i < 9; i++) {
      xs[i] = i + 1;
      xs[9 + i] = 10 * (i + 1);
    }
    Tensor x = Tensor.of(xs, 1, 2, 3, 3);
    Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 1, 0, 0, 1}, 2, 1, 2, 2);
    Tensor y = Tensor.zeros(1, 2, 2, 2);
    ref.conv2dForward(x, w, null, ConvSpec.of(1, 0, 2), y);
    // channel 1 filter [[1, 0], [0, 1]]: 10 * (x[p, q] + x[p+1, q+1])
    assertClose(new double[] {37, 47, 67, 77, 60, 80, 120, 140}, y.data());
  }

  @Test
  void oneByOneConvIsMatmul() {
    // N = 1: y [K, H*W] = w [K, C] x [C, H*W]
    Tensor x = Tensor.randn(1, 1, 1, 3, 5, 7);
    Tensor w = Tensor.randn(2, 1, 4, 3, 1, 1);
    Tensor y = Tensor.zeros(1, 4, 5, 7);
    ref.conv2dForward(x, w, null, ConvSpec.of(1, 0), y);
    Tensor expected = Tensor.zeros(4, 35);
    ref.matmul(w.reshape(4, 3), false, x.reshape(3, 35), false, expected, 1, 0);
    assertClose(toDouble(expected.data()), y.data(), 1e-6, 1e-5);
  }

  @Test
  void backwardMatchesFiniteDifferencesStride2Pad1Groups2() {
    checkBackward(4, 5, 6, 6, 3, 3, ConvSpec.of(2, 1, 2));
  }

  @Test
  void backwardMatchesFiniteDifferencesAsymmetric() {
    // Different stride, padding and filter size per axis, to catch any H / W mix-up.
    checkBackward(4, 6, 5, 4, 3, 2, new ConvSpec(2, 1, 1, 0, 2));
  }

  @Test
  void backwardMatchesFiniteDifferencesDepthwise() {
    checkBackward(3, 5, 5, 3, 3, 3, ConvSpec.of(1, 1, 3));
  }

  /**
   * For L = sum of c * conv(x, w) with fixed random c (so dL/dy = c), compares the backward passes
   * with central differences (L(v + h) - L(v - h)) / 2h, L summed in double. Convolution is linear
   * in x and in w, so the differences are exact up to float rounding of y.
   */
  private void checkBackward(int c, int h, int wd, int k, int r, int s, ConvSpec spec) {
    Tensor x = Tensor.randn(11, 1, 2, c, h, wd); // [N, C, H, W]
    Tensor w = Tensor.randn(12, 1, k, c / spec.groups(), r, s); // [K, C/groups, R, S]
    Tensor y = Tensor.zeros(spec.outputShape(x.shape(), w.shape())); // [N, K, P, Q]
    Tensor gy = Tensor.randn(13, 1, y.shape().dims());
    Tensor gx = Tensor.full(Float.NaN, x.shape().dims()); // overwritten, old contents ignored
    Tensor gw = Tensor.full(Float.NaN, w.shape().dims());
    ref.conv2dBackwardData(gy, w, spec, gx);
    ref.conv2dBackwardWeight(x, gy, spec, gw);
    assertClose(numericGrad(x, x, w, gy, spec), gx.data(), 2e-4, 1e-3);
    assertClose(numericGrad(w, x, w, gy, spec), gw.data(), 2e-4, 1e-3);
  }

  private double[] numericGrad(Tensor wrt, Tensor x, Tensor w, Tensor gy, ConvSpec spec) {
    float h = 0.125f; // a power of two: v +- h is exact in float
    double[] grad = new double[wrt.numel()];
    for (int i = 0; i < grad.length; i++) {
      float v = wrt.data()[i];
      wrt.data()[i] = v + h;
      double plus = loss(x, w, gy, spec);
      wrt.data()[i] = v - h;
      double minus = loss(x, w, gy, spec);
      wrt.data()[i] = v;
      grad[i] = (plus - minus) / (2 * h);
    }
    return grad;
  }

  private double loss(Tensor x, Tensor w, Tensor gy, ConvSpec spec) {
    Tensor y = Tensor.zeros(gy.shape());
    ref.conv2dForward(x, w, null, spec, y);
    double sum = 0;
    for (int i = 0; i < y.numel(); i++) {
      sum += (double) gy.data()[i] * y.data()[i];
    }
    return sum;
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
