package jcnn.backend.cpu;

import jcnn.backend.PoolSpec;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Reference max and average pooling over each plane of x [N, C, H, W], giving y [N, C, P, Q]. The
 * window of output (p, q) covers input rows p*strideH - padH ... + R-1 and columns q*strideW - padW
 * ... + S-1; positions in the padding are skipped, so max pooling never selects them and average
 * pooling does not count them (PyTorch's count_include_pad=False).
 *
 * <p>Max pooling rules every backend must reproduce: the window is scanned row-major and a value
 * replaces the current best only when strictly greater, so among tied values the first one wins; a
 * NaN wins over any number (the first NaN), so a NaN in the input shows up in the output instead of
 * being silently dropped. The argmax is the winner's position h * W + w in its input plane.
 *
 * <p>Tested by {@code ReferenceBackendTest} against hand-computed windows.
 */
final class RefPool {
  private RefPool() {}

  static void maxForward(Tensor x, PoolSpec spec, Tensor y, IntTensor argmax) {
    Shape out = outShape("maxPool2d", x.shape(), spec);
    String from = "for input " + x.shape() + " and " + spec;
    RefChecks.shape("maxPool2d", "output", y, out, from);
    RefChecks.shape("maxPool2d", "argmax", argmax, out, from);
    int h = x.dim(2);
    int w = x.dim(3);
    int p = out.dim(2);
    int q = out.dim(3);
    float[] xd = x.data(); // [N, C, H, W]
    float[] yd = y.data(); // [N, C, P, Q]
    int[] ad = argmax.data(); // [N, C, P, Q]
    for (int plane = 0; plane < out.dim(0) * out.dim(1); plane++) {
      int xBase = plane * h * w;
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < q; j++) {
          int best = -1; // position h * W + w of the current winner in this plane
          for (int r = 0; r < spec.kernelH(); r++) {
            int hh = i * spec.strideH() - spec.padH() + r;
            for (int s = 0; s < spec.kernelW(); s++) {
              int ww = j * spec.strideW() - spec.padW() + s;
              if (hh >= 0 && hh < h && ww >= 0 && ww < w) {
                int pos = hh * w + ww;
                if (best < 0 || beats(xd[xBase + pos], xd[xBase + best])) {
                  best = pos;
                }
              }
            }
          }
          int o = (plane * p + i) * q + j;
          yd[o] = xd[xBase + best];
          ad[o] = best;
        }
      }
    }
  }

  /** Whether candidate v replaces the current best b: strictly greater, or the first NaN. */
  private static boolean beats(float v, float b) {
    return v > b || (Float.isNaN(v) && !Float.isNaN(b));
  }

  static void maxBackward(Tensor gy, IntTensor argmax, Tensor gx) {
    String op = "maxPool2dBackward";
    RefChecks.rank(op, "gx", gx, 4, "[N, C, H, W]");
    RefChecks.rank(op, "gy", gy, 4, "[N, C, P, Q]");
    if (gy.dim(0) != gx.dim(0) || gy.dim(1) != gx.dim(1)) {
      throw new IllegalArgumentException(
          op + ": gy " + gy.shape() + " and gx " + gx.shape() + " differ in N or C");
    }
    RefChecks.shape(op, "argmax", argmax, gy.shape(), "like gy " + gy.shape());
    int planeSize = gx.dim(2) * gx.dim(3);
    int outPlane = gy.dim(2) * gy.dim(3);
    for (int a : argmax.data()) {
      if (a < 0 || a >= planeSize) {
        throw new IllegalArgumentException(
            op + ": argmax " + a + " is outside the input plane of gx " + gx.shape());
      }
    }
    double[] acc = new double[gx.numel()]; // [N, C, H, W]
    for (int o = 0; o < gy.numel(); o++) {
      int plane = o / outPlane;
      acc[plane * planeSize + argmax.data()[o]] += gy.data()[o];
    }
    store(acc, gx);
  }

  static void avgForward(Tensor x, PoolSpec spec, Tensor y) {
    Shape out = outShape("avgPool2d", x.shape(), spec);
    RefChecks.shape("avgPool2d", "output", y, out, "for input " + x.shape() + " and " + spec);
    int h = x.dim(2);
    int w = x.dim(3);
    int p = out.dim(2);
    int q = out.dim(3);
    float[] xd = x.data(); // [N, C, H, W]
    float[] yd = y.data(); // [N, C, P, Q]
    for (int plane = 0; plane < out.dim(0) * out.dim(1); plane++) {
      int xBase = plane * h * w;
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < q; j++) {
          double sum = 0;
          int count = 0;
          for (int r = 0; r < spec.kernelH(); r++) {
            int hh = i * spec.strideH() - spec.padH() + r;
            for (int s = 0; s < spec.kernelW(); s++) {
              int ww = j * spec.strideW() - spec.padW() + s;
              if (hh >= 0 && hh < h && ww >= 0 && ww < w) {
                sum += xd[xBase + hh * w + ww];
                count++;
              }
            }
          }
          yd[(plane * p + i) * q + j] = (float) (sum / count);
        }
      }
    }
  }

  static void avgBackward(Tensor gy, PoolSpec spec, Tensor gx) {
    String op = "avgPool2dBackward";
    RefChecks.rank(op, "gx", gx, 4, "[N, C, H, W]");
    Shape out = outShape(op, gx.shape(), spec);
    RefChecks.shape(op, "gy", gy, out, "for gx " + gx.shape() + " and " + spec);
    int h = gx.dim(2);
    int w = gx.dim(3);
    int p = out.dim(2);
    int q = out.dim(3);
    float[] gyd = gy.data(); // [N, C, P, Q]
    double[] acc = new double[gx.numel()]; // [N, C, H, W]
    for (int plane = 0; plane < out.dim(0) * out.dim(1); plane++) {
      int xBase = plane * h * w;
      for (int i = 0; i < p; i++) {
        int h0 = Math.max(i * spec.strideH() - spec.padH(), 0);
        int h1 = Math.min(i * spec.strideH() - spec.padH() + spec.kernelH(), h);
        for (int j = 0; j < q; j++) {
          int w0 = Math.max(j * spec.strideW() - spec.padW(), 0);
          int w1 = Math.min(j * spec.strideW() - spec.padW() + spec.kernelW(), w);
          // The forward divided by the number of real (unpadded) positions in the window.
          double share = gyd[(plane * p + i) * q + j] / (double) ((h1 - h0) * (w1 - w0));
          for (int hh = h0; hh < h1; hh++) {
            for (int ww = w0; ww < w1; ww++) {
              acc[xBase + hh * w + ww] += share;
            }
          }
        }
      }
    }
    store(acc, gx);
  }

  /**
   * The output shape, after checking that every window holds at least one real position: padding
   * smaller than the window guarantees it (PyTorch requires at most half the window).
   */
  private static Shape outShape(String op, Shape x, PoolSpec spec) {
    Shape out = spec.outputShape(op, x);
    if (spec.padH() >= spec.kernelH() || spec.padW() >= spec.kernelW()) {
      throw new IllegalArgumentException(
          op + ": padding of " + spec + " must be smaller than the window, for input " + x);
    }
    return out;
  }

  private static void store(double[] acc, Tensor out) {
    float[] od = out.data();
    for (int i = 0; i < acc.length; i++) {
      od[i] = (float) acc[i];
    }
  }
}
