package jcnn.compress.exec;

import jcnn.backend.cpu.Sgemv;

/**
 * A convolution run straight from a row's non-zero weights, with no im2col: output channel k is the
 * sum, over its non-zero taps (c, r, s) with weight w, of w times the input shifted by (r, s), so
 * the work is nnz P Q multiply-adds and nothing is copied per tap. The input of one image and group
 * is first laid out once as a padded polyphase copy: for stride S, plane (a, b) of channel c holds
 * the padded input's rows a, a + S, ... and columns b, b + S, ..., so that every tap reads one
 * contiguous run per output row whatever the stride:
 *
 * <pre>
 *   buf[((c S + a) S + b) Hs Ws + i Ws + j] = xpad[c, i S + a, j S + b]
 *   y[k, p, q] = sum_t w_t buf[plane(c_t, r_t % S, s_t % S) + (p + r_t / S) Ws + q + s_t / S]
 * </pre>
 *
 * Output rows are Ws apart in buf but Q apart in y, so the P rows are computed as one run of (P -
 * 1) Ws + Q values, rounded up to whole vectors ({@link Sgemv#combineRows}: partial sums in vector
 * registers, stored once, no scalar tail), and the Ws - Q columns between rows and the rounding,
 * which belong to no output, are dropped in the copy out. Each column's offset in buf is computed
 * once per layer shape, not per term (the divisions cost more than the multiply-adds). LeNet-5's
 * conv2 at 12% density: 3,000 non-zeros x 6 vectors of 16 = 18 k vector FMAs, about 5 us on one
 * core at one a cycle; jcnn bench sparse measured 14.6 us on two, against 75 us for the im2col form
 * this replaced (32 k floats copied per image in 4,000 runs of 8) and 34 us for the dense conv.
 * Tested in {@code CompressedExecTest}.
 */
final class DirectConv {
  private final Im2col.Conv g;
  private final int cg; // channels per group
  private final int h;
  private final int w;
  private final int hs; // rows of a polyphase plane
  private final int ws; // columns of a polyphase plane
  private final int p;
  private final int q;
  private final int span; // (P - 1) Ws + Q, rounded up to whole vectors
  private final int[] tapOffset; // [R S Cg]: where column (r, s, c)'s run starts in buf

  DirectConv(Im2col.Conv g, int cg, int h, int w) {
    this.g = g;
    this.cg = cg;
    this.h = h;
    this.w = w;
    int st = g.stride();
    this.hs = (h + 2 * g.pad() + st - 1) / st;
    this.ws = (w + 2 * g.pad() + st - 1) / st;
    this.p = g.outH(h);
    this.q = g.outW(w);
    int lanes = Sgemv.lanes();
    this.span = ((p - 1) * ws + q + lanes - 1) / lanes * lanes;
    int taps = g.r();
    this.tapOffset = new int[taps * taps * cg];
    for (int col = 0; col < tapOffset.length; col++) {
      int c = col % cg;
      int r = col / cg / taps;
      int s = col / cg % taps;
      tapOffset[col] = ((c * st + r % st) * st + s % st) * hs * ws + (r / st) * ws + s / st;
    }
  }

  /** Whether this was made for an h x w input. */
  boolean fits(int h, int w) {
    return this.h == h && this.w == w;
  }

  /** The polyphase padded copy of channels [c0, c0 + cg) of image x [C, H, W] at xOff. */
  float[] layout(float[] x, int xOff, int c0) {
    int st = g.stride();
    int pad = g.pad();
    // the runs are read in whole vectors: past the last one, up to span - 1 floats of slack
    float[] buf = new float[cg * st * st * hs * ws + span];
    for (int c = 0; c < cg; c++) {
      int src = xOff + (c0 + c) * h * w;
      for (int a = 0; a < st; a++) {
        for (int b = 0; b < st; b++) {
          int plane = ((c * st + a) * st + b) * hs * ws;
          // padded column j st + b holds input column j st + b - pad: j in [j0, j1) is inside
          int j0 = Math.max(0, (pad - b + st - 1) / st);
          int j1 = Math.min(ws, (w + pad - b + st - 1) / st);
          for (int i = 0; i < hs; i++) {
            int row = i * st + a - pad;
            if (row < 0 || row >= h) {
              continue;
            }
            int from = src + row * w + j0 * st + b - pad;
            int to = plane + i * ws;
            if (st == 1) {
              System.arraycopy(x, from, buf, to + j0, j1 - j0);
            } else {
              for (int j = j0; j < j1; j++, from += st) {
                buf[to + j] = x[from];
              }
            }
          }
        }
      }
    }
    return buf;
  }

  /**
   * y[yOff + k P Q ...] = output channels [k0, k1) of rows {@code weight} (columns in (r, s, c)
   * order over this group's cg channels) on the layout {@code buf}.
   */
  void run(TermRows weight, int k0, int k1, float[] buf, float[] y, int yOff) {
    float[] vals = new float[weight.maxTerms()];
    int[] off = new int[weight.maxTerms()];
    float[] z = new float[span];
    for (int k = k0; k < k1; k++) {
      int n = weight.terms(k, vals, off);
      for (int t = 0; t < n; t++) {
        off[t] = tapOffset[off[t]];
      }
      Sgemv.combineRows(vals, off, n, buf, z, 0, span);
      int dst = yOff + k * p * q;
      for (int i = 0; i < p; i++) {
        System.arraycopy(z, i * ws, y, dst + i * q, q);
      }
    }
  }
}
