package jcnn.backend.cpu;

import java.util.Arrays;
import jcnn.backend.ConvSpec;
import jcnn.tensor.Shape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolution geometry and the im2col transforms that turn a convolution into a GEMM (the adjoint,
 * col2im, is {@link FastCol2im}).
 *
 * <p>For a block of nb images starting at n0, the column matrix is col [C*R*S, nb*P*Q]: row (c, r,
 * s) holds, for every output position (i, p, q), the input value x[n0 + i, c, p*strideH - padH + r,
 * q*strideW - padW + s], or 0 in the padding. Its transpose colT [nb*P*Q, C*R*S] feeds the
 * backward-weight GEMM, so that GEMM reads both operands row by row.
 *
 * <p>Copies are runs: a run of Q (col, at stride 1) or S (colT) consecutive input values. The runs
 * are short in our networks (Q = 8 and S = 5 in lenet5.conv2), where a System.arraycopy call costs
 * more than the copy, so each run is copied in whole vectors of {@link #V} floats. The floats a
 * vector writes past its run are garbage; the writes go in increasing address order, so every later
 * run or zero fill overwrites them, and the buffers carry {@link #V} floats of slack after the last
 * run. Measured on lenet5.conv2 (64 images, one thread): im2col 1.27 ms with array copies, 0.48 ms
 * in vectors (im2colT 0.78 ms). Tested through the conv parity tests (CpuBackendConvParityTest),
 * which cover padding, strides, groups and 1x1 filters.
 */
final class FastIm2col {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  /** Floats per vector, and the slack a column buffer needs past its last run. */
  static final int V = F.length();

  private FastIm2col() {}

  /** All sizes of one convolution, named after the legend (N, C, K, H x W, R x S, P x Q). */
  static final class Geom {
    final int n, c, k, h, w, r, s, p, q;
    final int strideH, strideW, padH, padW, groups;

    /** Channels per group (Cg, Kg), GEMM depth per group (Cg*R*S), plane sizes. */
    final int cg, kg, cgrs, hw, pq;

    private Geom(Shape x, Shape wt, ConvSpec spec, Shape y) {
      n = x.dim(0);
      c = x.dim(1);
      h = x.dim(2);
      w = x.dim(3);
      k = wt.dim(0);
      r = wt.dim(2);
      s = wt.dim(3);
      p = y.dim(2);
      q = y.dim(3);
      strideH = spec.strideH();
      strideW = spec.strideW();
      padH = spec.padH();
      padW = spec.padW();
      groups = spec.groups();
      cg = c / groups;
      kg = k / groups;
      cgrs = cg * r * s;
      hw = h * w;
      pq = p * q;
    }

    /** The geometry of x [N, C, H, W] convolved with w [K, C/groups, R, S]; checks they fit. */
    static Geom of(Shape x, Shape w, ConvSpec spec) {
      return new Geom(x, w, spec, spec.outputShape(x, w));
    }

    /** One input and one output channel per group: a direct loop beats tiny GEMMs. */
    boolean depthwise() {
      return groups == c && groups == k;
    }

    /** 1x1, stride 1, no padding: an image [C, H*W] is already its own column matrix. */
    boolean pointwise() {
      return r == 1 && s == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0;
    }

    /** First q whose input column q*strideW - padW + fs is >= 0. */
    int qLow(int fs) {
      int w0 = fs - padW;
      return w0 >= 0 ? 0 : Math.min(q, (-w0 + strideW - 1) / strideW);
    }

    /** First p whose input row p*strideH - padH + fr is >= 0. */
    int pLow(int fr) {
      int h0 = fr - padH;
      return h0 >= 0 ? 0 : Math.min(p, (-h0 + strideH - 1) / strideH);
    }

    /** One past the last p whose input row is < H. */
    int pHigh(int fr) {
      int h0 = fr - padH;
      return h0 > h - 1 ? 0 : Math.min(p, (h - 1 - h0) / strideH + 1);
    }

    /** One past the last q whose input column is < W. */
    int qHigh(int fs) {
      int w0 = fs - padW;
      return w0 > w - 1 ? 0 : Math.min(q, (w - 1 - w0) / strideW + 1);
    }
  }

  /**
   * col [C*R*S, nb*P*Q] at colOff from images [n0, n0 + nb) of x [N, C, H, W]. col needs {@link #V}
   * floats of slack past the matrix. Rows are filled in address order (row by row, image by image
   * within a row), as the vector copies require.
   */
  static void im2col(float[] x, Geom g, int n0, int nb, float[] col, int colOff) {
    int ld = nb * g.pq;
    if (g.padH == 0 && g.padW == 0 && g.strideH == 1 && g.strideW == 1) {
      unpadded(x, g, n0, nb, col, colOff);
      return;
    }
    for (int c = 0; c < g.c; c++) {
      for (int r = 0; r < g.r; r++) {
        for (int s = 0; s < g.s; s++) {
          int row = colOff + ((c * g.r + r) * g.s + s) * ld;
          for (int i = 0; i < nb; i++) {
            copyRow(x, ((n0 + i) * g.c + c) * g.hw, g, r, s, col, row + i * g.pq);
          }
        }
      }
    }
  }

  /**
   * im2col at stride 1 without padding, where every window lies inside the image: each col row (c,
   * r, s) is nb*P runs of Q values, the run (i, p) at x offset i*C*H*W + p*W from the row's first
   * input. One loop per row over a table of those offsets: loops of a few iterations (P = 8) cost
   * more in loop overhead than their copies.
   */
  private static void unpadded(float[] x, Geom g, int n0, int nb, float[] col, int colOff) {
    int runs = nb * g.p;
    int[] from = new int[runs];
    for (int u = 0; u < runs; u++) {
      from[u] = (u / g.p) * g.c * g.hw + (u % g.p) * g.w;
    }
    int ld = nb * g.pq;
    for (int c = 0; c < g.c; c++) {
      for (int r = 0; r < g.r; r++) {
        for (int s = 0; s < g.s; s++) {
          int src = (n0 * g.c + c) * g.hw + r * g.w + s;
          int dst = colOff + ((c * g.r + r) * g.s + s) * ld;
          copyRuns(x, src, from, col, dst, g.q, g.q);
        }
      }
    }
  }

  /**
   * dst[d + u*dstStride, + len) = src[s + from[u], + len) for every u, each as by {@link #copyRun}
   * (so the runs must go up in dst).
   */
  private static void copyRuns(
      float[] src, int s, int[] from, float[] dst, int d, int dstStride, int len) {
    int runs = from.length;
    if (len > V || s + from[runs - 1] + V > src.length) {
      for (int u = 0; u < runs; u++) {
        copyRun(src, s + from[u], dst, d + u * dstStride, len);
      }
      return;
    }
    for (int u = 0; u < runs; u++) {
      FloatVector.fromArray(F, src, s + from[u]).intoArray(dst, d + u * dstStride);
    }
  }

  /** One (c, r, s) row of one image: P runs of Q values starting at col[dst]. */
  private static void copyRow(float[] x, int plane, Geom g, int r, int s, float[] col, int dst) {
    int lo = g.qLow(s);
    int hi = Math.max(lo, g.qHigh(s));
    int pLo = g.pLow(r);
    int pHi = Math.max(pLo, g.pHigh(r));
    // Output rows whose input row is padding are zero, as are the q outside [lo, hi).
    Arrays.fill(col, dst, dst + pLo * g.q, 0f);
    int w0 = s - g.padW;
    for (int p = pLo; p < pHi; p++) {
      int d = dst + p * g.q;
      int src = plane + (p * g.strideH - g.padH + r) * g.w + w0;
      for (int q = 0; q < lo; q++) {
        col[d + q] = 0f;
      }
      if (g.strideW == 1) {
        copyRun(x, src + lo, col, d + lo, hi - lo);
      } else {
        for (int q = lo; q < hi; q++) {
          col[d + q] = x[src + q * g.strideW];
        }
      }
      for (int q = hi; q < g.q; q++) {
        col[d + q] = 0f;
      }
    }
    // After the runs: the last run's vector may have written past its end.
    Arrays.fill(col, dst + pHi * g.q, dst + g.p * g.q, 0f);
  }

  /**
   * dst[d, d + len) = src[s, s + len), in whole vectors (writing up to V - 1 floats of garbage past
   * d + len) unless the last vector would read past the end of src.
   */
  private static void copyRun(float[] src, int s, float[] dst, int d, int len) {
    if (s + (len + V - 1) / V * V > src.length) {
      System.arraycopy(src, s, dst, d, len);
      return;
    }
    for (int k = 0; k < len; k += V) {
      FloatVector.fromArray(F, src, s + k).intoArray(dst, d + k);
    }
  }

  /** The row length of colT: C*R*S plus the slack the last run's vector writes into. */
  static int transposedLd(Geom g) {
    return g.c * g.r * g.s + V;
  }

  /**
   * colT [nb*P*Q, C*R*S] (row length {@link #transposedLd}) from images [n0, n0 + nb) of x: row (i,
   * p, q) holds the filter window of output position (p, q), column (c, r, s). Within a row the
   * columns are filled in increasing order, one run of S values per (c, r).
   */
  static void im2colT(float[] x, Geom g, int n0, int nb, float[] colT) {
    int ld = transposedLd(g);
    if (g.padH == 0 && g.padW == 0) {
      unpaddedT(x, g, n0, nb, colT, ld);
      return;
    }
    for (int i = 0; i < nb; i++) {
      for (int c = 0; c < g.c; c++) {
        int plane = ((n0 + i) * g.c + c) * g.hw;
        for (int r = 0; r < g.r; r++) {
          int col = (c * g.r + r) * g.s;
          for (int p = 0; p < g.p; p++) {
            int h = p * g.strideH - g.padH + r;
            int row = (i * g.pq + p * g.q) * ld + col;
            if (h < 0 || h >= g.h) {
              for (int q = 0; q < g.q; q++) {
                Arrays.fill(colT, row + q * ld, row + q * ld + g.s, 0f);
              }
            } else {
              windowRuns(x, plane + h * g.w, g, colT, row, ld);
            }
          }
        }
      }
    }
  }

  /**
   * im2colT without padding, where every window lies inside the image: row (i, p, q) is C*R runs of
   * S values, one per (c, r), each W apart in x. Written row by row, each row in one loop.
   */
  private static void unpaddedT(float[] x, Geom g, int n0, int nb, float[] colT, int ld) {
    int[] from = new int[g.c * g.r]; // x offset of run (c, r) from the window's first input
    for (int u = 0; u < from.length; u++) {
      from[u] = (u / g.r) * g.hw + (u % g.r) * g.w;
    }
    for (int i = 0; i < nb; i++) {
      int image = (n0 + i) * g.c * g.hw;
      for (int p = 0; p < g.p; p++) {
        for (int q = 0; q < g.q; q++) {
          int src = image + p * g.strideH * g.w + q * g.strideW; // window (c = 0, r = 0)
          copyRuns(x, src, from, colT, (i * g.pq + p * g.q + q) * ld, g.s, g.s);
        }
      }
    }
  }

  /** The S-value runs of input row x[rowStart, + W) under every output column q. */
  private static void windowRuns(float[] x, int rowStart, Geom g, float[] colT, int dst, int ld) {
    for (int q = 0; q < g.q; q++) {
      int w0 = q * g.strideW - g.padW;
      int d = dst + q * ld;
      if (w0 >= 0 && w0 + g.s <= g.w) {
        copyRun(x, rowStart + w0, colT, d, g.s);
      } else {
        for (int s = 0; s < g.s; s++) {
          int w = w0 + s;
          colT[d + s] = w >= 0 && w < g.w ? x[rowStart + w] : 0f;
        }
      }
    }
  }
}
