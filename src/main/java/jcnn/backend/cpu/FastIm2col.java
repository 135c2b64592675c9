package jcnn.backend.cpu;

import java.util.Arrays;
import jcnn.backend.ConvSpec;
import jcnn.tensor.Shape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolution geometry and the im2col / col2im transforms that turn a convolution into a GEMM.
 *
 * <p>For a block of nb images starting at n0, the column matrix is col [C*R*S, nb*P*Q]: row (c, r,
 * s) holds, for every output position (i, p, q), the input value x[n0 + i, c, p*strideH - padH + r,
 * q*strideW - padW + s], or 0 in the padding. Each row is filled one output row p at a time; the
 * range of q whose input column lies inside the image is computed once per (r, s), so the copy loop
 * has no bounds tests (and is a plain array copy at stride 1). col2im is the adjoint: it adds every
 * column entry back onto the input position it came from. Tested through the conv parity tests
 * (CpuBackendConvParityTest), which cover padding, strides, groups and 1x1 filters.
 */
final class FastIm2col {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

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

  /** col [C*R*S, nb*P*Q] from images [n0, n0 + nb) of x [N, C, H, W]. */
  static void im2col(float[] x, Geom g, int n0, int nb, float[] col) {
    int ld = nb * g.pq;
    for (int i = 0; i < nb; i++) {
      for (int c = 0; c < g.c; c++) {
        int plane = ((n0 + i) * g.c + c) * g.hw;
        for (int r = 0; r < g.r; r++) {
          for (int s = 0; s < g.s; s++) {
            int row = (c * g.r + r) * g.s + s;
            copyRow(x, plane, g, r, s, col, row * ld + i * g.pq);
          }
        }
      }
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
    Arrays.fill(col, dst + pHi * g.q, dst + g.p * g.q, 0f);
    int w0 = s - g.padW;
    for (int p = pLo; p < pHi; p++) {
      int d = dst + p * g.q;
      int src = plane + (p * g.strideH - g.padH + r) * g.w + w0;
      for (int q = 0; q < lo; q++) {
        col[d + q] = 0f;
      }
      if (g.strideW == 1) {
        // An intrinsic copy: twice as fast as the equivalent loop, even for Q = 8.
        System.arraycopy(x, src + lo, col, d + lo, hi - lo);
      } else {
        for (int q = lo; q < hi; q++) {
          col[d + q] = x[src + q * g.strideW];
        }
      }
      for (int q = hi; q < g.q; q++) {
        col[d + q] = 0f;
      }
    }
  }

  /** Overwrites images [n0, n0 + nb) of gx [N, C, H, W] with the adjoint of im2col of col. */
  static void col2im(float[] col, Geom g, int n0, int nb, float[] gx) {
    int ld = nb * g.pq;
    Arrays.fill(gx, n0 * g.c * g.hw, (n0 + nb) * g.c * g.hw, 0f);
    for (int i = 0; i < nb; i++) {
      for (int c = 0; c < g.c; c++) {
        int plane = ((n0 + i) * g.c + c) * g.hw;
        for (int r = 0; r < g.r; r++) {
          for (int s = 0; s < g.s; s++) {
            int row = (c * g.r + r) * g.s + s;
            addRow(col, row * ld + i * g.pq, g, r, s, gx, plane);
          }
        }
      }
    }
  }

  private static void addRow(float[] col, int src, Geom g, int r, int s, float[] gx, int plane) {
    int lo = g.qLow(s);
    int hi = Math.max(lo, g.qHigh(s));
    int w0 = s - g.padW;
    int pHi = g.pHigh(r);
    for (int p = g.pLow(r); p < pHi; p++) {
      int d = src + p * g.q;
      int dst = plane + (p * g.strideH - g.padH + r) * g.w + w0;
      if (g.strideW == 1) {
        addRun(col, d, gx, dst, lo, hi);
      } else {
        for (int q = lo; q < hi; q++) {
          gx[dst + q * g.strideW] += col[d + q];
        }
      }
    }
  }

  /**
   * gx[dst + q] += col[d + q] for q in [lo, hi), in explicit vectors: C2 leaves this loop scalar
   * (gx and col might be the same array). Only the one species of {@link SgemmKernel#S} is used,
   * and the tail stays scalar: a half-width vector here once made the JIT box every FloatVector in
   * the JVM after the first col2im (measured: Sgemm's packing then allocated 2.4 MB per fc1 GEMM
   * and a lenet5 training step 21 MB of garbage).
   */
  private static void addRun(float[] col, int d, float[] gx, int dst, int lo, int hi) {
    int q = lo;
    for (; q <= hi - F.length(); q += F.length()) {
      FloatVector.fromArray(F, gx, dst + q)
          .add(FloatVector.fromArray(F, col, d + q))
          .intoArray(gx, dst + q);
    }
    for (; q < hi; q++) {
      gx[dst + q] += col[d + q];
    }
  }
}
