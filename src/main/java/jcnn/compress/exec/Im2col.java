package jcnn.compress.exec;

import java.util.Arrays;

/**
 * The im2col of the compressed conv layers on bit planes (sparse and coded convs need none, see
 * {@link DirectConv}), with columns in (r, s, c) order rather than the dense path's (c, r, s):
 * col[((r S + s) Cg + c) PQ + p Q + q] = x[c0 + c, p stride - pad + r, q stride - pad + s], 0
 * outside the image. In this order the channels of one filter tap are adjacent, which is what lets
 * {@link BitRows} keep them in whole words for {@link Xnor}. {@link #reorder} puts a weight [K, Cg,
 * R, S] into the same column order. Tested in {@code CompressedExecTest}.
 */
final class Im2col {
  private Im2col() {}

  /**
   * Fills col [R S Cg, P Q] for channels [c0, c0 + cg) of one image x [C, H, W] at offset xOff.
   * Each (tap, channel, output row) is one run of Q values: the columns whose input lies inside the
   * image are found once per tap, copied (with {@link System#arraycopy} at stride 1) and the rest
   * zeroed, so no element pays a bounds test.
   */
  static void rsc(float[] x, int xOff, int h, int w, int c0, int cg, Conv g, float[] col) {
    int p = g.outH(h);
    int q = g.outW(w);
    int pq = p * q;
    int st = g.stride();
    for (int r = 0; r < g.r(); r++) {
      for (int s = 0; s < g.r(); s++) {
        int off = s - g.pad(); // input column of output column j: j st + off
        int j0 = Math.min(q, off >= 0 ? 0 : (-off + st - 1) / st); // first j with input >= 0
        int j1 = Math.max(j0, Math.min(q, w - off <= 0 ? 0 : (w - off - 1) / st + 1)); // < w
        for (int c = 0; c < cg; c++) {
          int dst = ((r * g.r() + s) * cg + c) * pq;
          int plane = xOff + (c0 + c) * h * w;
          for (int i = 0; i < p; i++) {
            int hi = i * st - g.pad() + r;
            int d = dst + i * q;
            if (hi < 0 || hi >= h) {
              Arrays.fill(col, d, d + q, 0f);
              continue;
            }
            Arrays.fill(col, d, d + j0, 0f);
            int src = plane + hi * w + j0 * st + off;
            if (st == 1) {
              System.arraycopy(x, src, col, d + j0, j1 - j0);
            } else {
              for (int j = j0; j < j1; j++, src += st) {
                col[d + j] = x[src];
              }
            }
            Arrays.fill(col, d + j1, d + q, 0f);
          }
        }
      }
    }
  }

  /** w [K, Cg, R, S] (c, r, s columns) as [K, R, S, Cg] ((r, s, c) columns). */
  static float[] reorder(float[] w, int k, int cg, int rs) {
    float[] out = new float[w.length];
    for (int o = 0; o < k; o++) {
      for (int c = 0; c < cg; c++) {
        for (int t = 0; t < rs; t++) {
          out[(o * rs + t) * cg + c] = w[(o * cg + c) * rs + t];
        }
      }
    }
    return out;
  }

  /** The same reordering for integer codes. */
  static int[] reorder(int[] w, int k, int cg, int rs) {
    int[] out = new int[w.length];
    for (int o = 0; o < k; o++) {
      for (int c = 0; c < cg; c++) {
        for (int t = 0; t < rs; t++) {
          out[(o * rs + t) * cg + c] = w[(o * cg + c) * rs + t];
        }
      }
    }
    return out;
  }

  /**
   * A convolution's geometry: square R x R filter, stride, padding, groups.
   *
   * @param r filter size R (= S)
   */
  record Conv(int r, int stride, int pad, int groups) {
    int outH(int h) {
      return (h + 2 * pad - r) / stride + 1;
    }

    int outW(int w) {
      return (w + 2 * pad - r) / stride + 1;
    }
  }
}
