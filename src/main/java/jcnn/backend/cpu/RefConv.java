package jcnn.backend.cpu;

import jcnn.backend.ConvSpec;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Reference 2-D convolution (cross-correlation, as in every deep-learning framework) with stride,
 * zero padding and groups, written as the direct nested loops of its definition:
 *
 * <pre>
 *   y[n, k, p, q] = bias[k] + sum over c in group(k), r, s of
 *                   x[n, c, p*strideH - padH + r, q*strideW - padW + s] * w[k, c - c0(k), r, s]
 * </pre>
 *
 * where group(k) is the slice of C/groups input channels that output channel k sees, starting at
 * c0(k) = (k / (K/groups)) * (C/groups), and positions outside the input read as zero. groups == C
 * == K is a depthwise convolution. Sums are accumulated in double.
 *
 * <p>The two backward passes are the same loop nest with the product sent the other way: each term
 * x * w of the forward sum adds gy * w to gx (backward data) and gy * x to gw (backward weight).
 * Tested by {@code RefConvTest}: hand-computed outputs and central finite differences.
 */
final class RefConv {
  private RefConv() {}

  /** The loop bounds of one convolution, checked once against all its tensors' shapes. */
  private record Geometry(int n, int c, int h, int w, int k, int r, int s, int p, int q, int g) {
    int cPerGroup() {
      return c / g;
    }

    int kPerGroup() {
      return k / g;
    }

    /** First input channel seen by output channel {@code kk}. */
    int firstChannel(int kk) {
      return (kk / kPerGroup()) * cPerGroup();
    }
  }

  static void forward(Tensor x, Tensor w, Tensor bias, ConvSpec spec, Tensor y) {
    Geometry geo = geometry("conv2d", x.shape(), w.shape(), spec);
    String from = "for input " + x.shape() + " and weight " + w.shape() + " with " + spec;
    RefChecks.shape("conv2d", "output", y, outShape(geo), from);
    if (bias != null) {
      RefChecks.shape("conv2d", "bias", bias, Shape.of(geo.k), "for weight " + w.shape());
    }
    float[] xd = x.data(); // [N, C, H, W]
    float[] wd = w.data(); // [K, C/groups, R, S]
    float[] yd = y.data(); // [N, K, P, Q]
    for (int n = 0; n < geo.n; n++) {
      for (int k = 0; k < geo.k; k++) {
        int c0 = geo.firstChannel(k);
        for (int p = 0; p < geo.p; p++) {
          for (int q = 0; q < geo.q; q++) {
            double sum = bias == null ? 0 : bias.data()[k];
            for (int cg = 0; cg < geo.cPerGroup(); cg++) {
              for (int r = 0; r < geo.r; r++) {
                int h = p * spec.strideH() - spec.padH() + r;
                for (int s = 0; s < geo.s; s++) {
                  int ww = q * spec.strideW() - spec.padW() + s;
                  if (h >= 0 && h < geo.h && ww >= 0 && ww < geo.w) {
                    sum +=
                        (double) xd[xIndex(geo, n, c0 + cg, h, ww)] * wd[wIndex(geo, k, cg, r, s)];
                  }
                }
              }
            }
            yd[yIndex(geo, n, k, p, q)] = (float) sum;
          }
        }
      }
    }
  }

  /** gx[n, c, h, w] = sum of gy[n, k, p, q] * w[k, c - c0(k), r, s] over the forward's terms. */
  static void backwardData(Tensor gy, Tensor w, ConvSpec spec, Tensor gx) {
    Geometry geo = geometry("conv2dBackwardData", gx.shape(), w.shape(), spec);
    String from = "for gx " + gx.shape() + " and weight " + w.shape() + " with " + spec;
    RefChecks.shape("conv2dBackwardData", "gy", gy, outShape(geo), from);
    float[] gyd = gy.data(); // [N, K, P, Q]
    float[] wd = w.data(); // [K, C/groups, R, S]
    double[] acc = new double[gx.numel()]; // [N, C, H, W]
    for (int n = 0; n < geo.n; n++) {
      for (int k = 0; k < geo.k; k++) {
        int c0 = geo.firstChannel(k);
        for (int p = 0; p < geo.p; p++) {
          for (int q = 0; q < geo.q; q++) {
            double g = gyd[yIndex(geo, n, k, p, q)];
            for (int cg = 0; cg < geo.cPerGroup(); cg++) {
              for (int r = 0; r < geo.r; r++) {
                int h = p * spec.strideH() - spec.padH() + r;
                for (int s = 0; s < geo.s; s++) {
                  int ww = q * spec.strideW() - spec.padW() + s;
                  if (h >= 0 && h < geo.h && ww >= 0 && ww < geo.w) {
                    acc[xIndex(geo, n, c0 + cg, h, ww)] += g * wd[wIndex(geo, k, cg, r, s)];
                  }
                }
              }
            }
          }
        }
      }
    }
    store(acc, gx);
  }

  /** gw[k, cg, r, s] = sum over n, p, q of gy[n, k, p, q] * x[n, c0(k) + cg, h, w]. */
  static void backwardWeight(Tensor x, Tensor gy, ConvSpec spec, Tensor gw) {
    Geometry geo = geometry("conv2dBackwardWeight", x.shape(), gw.shape(), spec);
    String from = "for input " + x.shape() + " and gw " + gw.shape() + " with " + spec;
    RefChecks.shape("conv2dBackwardWeight", "gy", gy, outShape(geo), from);
    float[] xd = x.data(); // [N, C, H, W]
    float[] gyd = gy.data(); // [N, K, P, Q]
    float[] gwd = gw.data(); // [K, C/groups, R, S]
    for (int k = 0; k < geo.k; k++) {
      int c0 = geo.firstChannel(k);
      for (int cg = 0; cg < geo.cPerGroup(); cg++) {
        for (int r = 0; r < geo.r; r++) {
          for (int s = 0; s < geo.s; s++) {
            double sum = 0;
            for (int n = 0; n < geo.n; n++) {
              for (int p = 0; p < geo.p; p++) {
                int h = p * spec.strideH() - spec.padH() + r;
                for (int q = 0; q < geo.q; q++) {
                  int ww = q * spec.strideW() - spec.padW() + s;
                  if (h >= 0 && h < geo.h && ww >= 0 && ww < geo.w) {
                    sum +=
                        (double) gyd[yIndex(geo, n, k, p, q)] * xd[xIndex(geo, n, c0 + cg, h, ww)];
                  }
                }
              }
            }
            gwd[wIndex(geo, k, cg, r, s)] = (float) sum;
          }
        }
      }
    }
  }

  /**
   * Checks that input shape x [N, C, H, W] and weight shape w [K, C/groups, R, S] fit the spec and
   * returns the loop bounds; messages start with {@code op} and print both shapes.
   */
  private static Geometry geometry(String op, Shape x, Shape w, ConvSpec spec) {
    String both = "input " + x + " and weight " + w;
    if (x.rank() != 4 || w.rank() != 4) {
      throw new IllegalArgumentException(
          op + ": " + both + " must be [N, C, H, W] and [K, C/groups, R, S]");
    }
    int g = spec.groups();
    int c = x.dim(1);
    int k = w.dim(0);
    if (c % g != 0 || k % g != 0 || w.dim(1) != c / g) {
      throw new IllegalArgumentException(
          op
              + ": "
              + both
              + " do not fit groups="
              + g
              + " (need C and K divisible by groups, "
              + "weight dim 1 == C/groups)");
    }
    int h = x.dim(2);
    int wi = x.dim(3);
    int r = w.dim(2);
    int s = w.dim(3);
    if (h + 2 * spec.padH() < r || wi + 2 * spec.padW() < s) {
      throw new IllegalArgumentException(
          op + ": filter of weight " + w + " is larger than padded " + both + " with " + spec);
    }
    int p = (h + 2 * spec.padH() - r) / spec.strideH() + 1;
    int q = (wi + 2 * spec.padW() - s) / spec.strideW() + 1;
    return new Geometry(x.dim(0), c, h, wi, k, r, s, p, q, g);
  }

  private static Shape outShape(Geometry geo) {
    return Shape.of(geo.n, geo.k, geo.p, geo.q);
  }

  private static int xIndex(Geometry geo, int n, int c, int h, int w) {
    return ((n * geo.c + c) * geo.h + h) * geo.w + w;
  }

  private static int wIndex(Geometry geo, int k, int cg, int r, int s) {
    return ((k * geo.cPerGroup() + cg) * geo.r + r) * geo.s + s;
  }

  private static int yIndex(Geometry geo, int n, int k, int p, int q) {
    return ((n * geo.k + k) * geo.p + p) * geo.q + q;
  }

  private static void store(double[] acc, Tensor out) {
    float[] od = out.data();
    for (int i = 0; i < acc.length; i++) {
      od[i] = (float) acc[i];
    }
  }
}
