package jcnn.data;

/**
 * Resizes images held as doubles, one axis at a time, so the result depends only on the pixel
 * values (no AWT scaling, whose output varies with the Java version and the rendering hints).
 * Shrinking an axis averages areas: output pixel i covers source interval [i * in / out, (i + 1) *
 * in / out) and is the mean of the source pixels over it, each weighted by its overlap (OpenCV's
 * {@code INTER_AREA}, PIL's {@code BOX}). Enlarging an axis is bilinear with half-pixel centres:
 * output pixel i samples source position (i + 0.5) * in / out - 0.5, clamped to the edges
 * (PyTorch's {@code align_corners=False}). An axis of the same length is copied exactly. Every
 * output pixel's weights sum to 1, so a constant image stays constant. Used by {@link ImageInput};
 * tested by {@code ImageInputTest}.
 */
final class Resample {
  /**
   * Along one axis: output pixel i is the sum over k of {@code weights[i][k] * source[first[i] +
   * k]}.
   */
  record Taps(int[] first, double[][] weights) {}

  private Resample() {}

  /** The taps that take an axis of {@code in} pixels to {@code out} pixels. */
  static Taps taps(int in, int out) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("Resample: sizes " + in + " -> " + out + " must be >= 1");
    }
    return in >= out ? area(in, out) : bilinear(in, out);
  }

  private static Taps area(int in, int out) {
    int[] first = new int[out];
    double[][] weights = new double[out][];
    double scale = (double) in / out;
    for (int i = 0; i < out; i++) {
      double lo = i * scale;
      double hi = i == out - 1 ? in : (i + 1) * scale;
      int a = (int) Math.floor(lo);
      int b = Math.min(in, (int) Math.ceil(hi));
      first[i] = a;
      weights[i] = new double[b - a];
      for (int j = a; j < b; j++) {
        double overlap = Math.min(hi, j + 1) - Math.max(lo, j);
        weights[i][j - a] = overlap / (hi - lo);
      }
    }
    return new Taps(first, weights);
  }

  private static Taps bilinear(int in, int out) {
    int[] first = new int[out];
    double[][] weights = new double[out][];
    for (int i = 0; i < out; i++) {
      double x = Math.min(in - 1, Math.max(0, (i + 0.5) * in / out - 0.5));
      int x0 = (int) Math.floor(x);
      double f = x - x0;
      first[i] = x0;
      weights[i] = x0 + 1 < in ? new double[] {1 - f, f} : new double[] {1};
    }
    return new Taps(first, weights);
  }

  /**
   * One output row: {@code dst[dstOff + i] = sum_k weights[i][k] * src[srcOff + first[i] + k]} for
   * i in 0..out-1.
   */
  static void row(Taps t, double[] src, int srcOff, double[] dst, int dstOff) {
    for (int i = 0; i < t.first().length; i++) {
      double[] w = t.weights()[i];
      int s = srcOff + t.first()[i];
      double v = 0;
      for (int k = 0; k < w.length; k++) {
        v += w[k] * src[s + k];
      }
      dst[dstOff + i] = v;
    }
  }

  /**
   * Resizes every column of {@code src} [C, H, W] along H with {@code down}: the result is [C,
   * outH, W].
   */
  static double[] columns(Taps down, double[] src, int c, int h, int w) {
    int outH = down.first().length;
    double[] dst = new double[c * outH * w]; // [C, outH, W]
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < outH; i++) {
        double[] wt = down.weights()[i];
        int to = (ch * outH + i) * w;
        for (int k = 0; k < wt.length; k++) {
          int from = (ch * h + down.first()[i] + k) * w;
          for (int x = 0; x < w; x++) {
            dst[to + x] += wt[k] * src[from + x];
          }
        }
      }
    }
    return dst;
  }

  /** Resizes {@code src} [C, H, W] to [C, outH, outW]: rows first, then columns. */
  static double[] resize(double[] src, int c, int h, int w, int outH, int outW) {
    if (src.length != c * h * w) {
      throw new IllegalArgumentException(
          String.format("Resample: %d values are not [%d, %d, %d]", src.length, c, h, w));
    }
    Taps across = taps(w, outW);
    double[] mid = new double[c * h * outW]; // [C, H, outW]
    for (int r = 0; r < c * h; r++) {
      row(across, src, r * w, mid, r * outW);
    }
    return columns(taps(h, outH), mid, c, h, outW);
  }
}
