package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Resizes each [H, W] plane of x [N, C, H, W] to [outH, outW] by antialiased bilinear interpolation
 * (a triangle filter widened by the scale when shrinking, as PIL and torchvision's {@code
 * antialias=True} do), so that shrinking averages the pixels it drops instead of skipping them.
 *
 * <p>The map is linear and separable: y = Ry x Rx^T per plane, with Ry [outH, H] and Rx [outW, W]
 * the interpolation weights (each row sums to 1). Gradient: gx = Ry^T g Rx.
 */
public final class Resize extends Function {
  private final float[] ry; // [outH, H]
  private final float[] rx; // [outW, W]
  private final int h;
  private final int w;
  private final int outH;
  private final int outW;

  private Resize(int h, int w, int outH, int outW) {
    this.h = h;
    this.w = w;
    this.outH = outH;
    this.outW = outW;
    this.ry = weights(h, outH);
    this.rx = weights(w, outW);
  }

  public static Variable apply(Variable x, int outH, int outW) {
    Shape s = x.shape();
    if (s.rank() != 4) {
      throw new IllegalArgumentException("resize: input " + s + " must be [N, C, H, W]");
    }
    if (outH < 1 || outW < 1) {
      throw new IllegalArgumentException(
          "resize: output " + outH + "x" + outW + " must be at least 1x1");
    }
    Resize f = new Resize(s.dim(2), s.dim(3), outH, outW);
    Tensor y = Tensor.zeros(s.dim(0), s.dim(1), outH, outW);
    f.map(x.value().dataForRead(), y.data(), s.dim(0) * s.dim(1));
    return f.record(y, x);
  }

  /**
   * The interpolation matrix [out, in]: output pixel i covers input positions around its centre (i
   * + 0.5) * in / out with a triangle of half-width max(1, in / out), normalised to sum 1.
   */
  static float[] weights(int in, int out) {
    float[] m = new float[out * in];
    double scale = (double) in / out;
    double support = Math.max(1.0, scale);
    for (int i = 0; i < out; i++) {
      double centre = (i + 0.5) * scale;
      int lo = Math.max(0, (int) Math.floor(centre - support));
      int hi = Math.min(in - 1, (int) Math.ceil(centre + support));
      double sum = 0;
      for (int j = lo; j <= hi; j++) {
        double t = Math.max(0, 1 - Math.abs((j + 0.5 - centre) / support));
        m[i * in + j] = (float) t;
        sum += t;
      }
      for (int j = lo; j <= hi; j++) {
        m[i * in + j] /= (float) sum;
      }
    }
    return m;
  }

  private void map(float[] x, float[] y, int planes) {
    float[] tmp = new float[outH * w];
    for (int pl = 0; pl < planes; pl++) {
      int xo = pl * h * w;
      int yo = pl * outH * outW;
      java.util.Arrays.fill(tmp, 0f);
      for (int p = 0; p < outH; p++) {
        for (int j = 0; j < h; j++) {
          float a = ry[p * h + j];
          if (a != 0) {
            for (int k = 0; k < w; k++) {
              tmp[p * w + k] += a * x[xo + j * w + k];
            }
          }
        }
      }
      for (int p = 0; p < outH; p++) {
        for (int q = 0; q < outW; q++) {
          float acc = 0;
          for (int k = 0; k < w; k++) {
            acc += tmp[p * w + k] * rx[q * w + k];
          }
          y[yo + p * outW + q] = acc;
        }
      }
    }
  }

  @Override
  public String name() {
    return "resize";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Shape gs = g.shape();
    int planes = gs.dim(0) * gs.dim(1);
    Tensor gx = Tensor.zeros(gs.dim(0), gs.dim(1), h, w);
    float[] gd = g.dataForRead();
    float[] out = gx.data();
    float[] tmp = new float[outH * w];
    for (int pl = 0; pl < planes; pl++) {
      int go = pl * outH * outW;
      int xo = pl * h * w;
      for (int p = 0; p < outH; p++) {
        for (int k = 0; k < w; k++) {
          float acc = 0;
          for (int q = 0; q < outW; q++) {
            acc += gd[go + p * outW + q] * rx[q * w + k];
          }
          tmp[p * w + k] = acc;
        }
      }
      for (int p = 0; p < outH; p++) {
        for (int j = 0; j < h; j++) {
          float a = ry[p * h + j];
          if (a != 0) {
            for (int k = 0; k < w; k++) {
              out[xo + j * w + k] += a * tmp[p * w + k];
            }
          }
        }
      }
    }
    return new Tensor[] {gx};
  }
}
