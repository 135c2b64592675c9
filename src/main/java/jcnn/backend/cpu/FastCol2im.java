package jcnn.backend.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * col2im, the adjoint of {@link FastIm2col#im2col}: every entry of col [C*R*S, nb*P*Q] is added
 * back onto the input position it was copied from, giving gx [nb, C, H, W].
 *
 * <p>At stride 1 each gx row is gathered rather than scattered: gx[c, h, w] is the sum over (r, s)
 * of col[(c, r, s), p = h + padH - r, q = w + padW - s], and for fixed (r, s) the q of the lanes w0
 * .. w0 + V - 1 of a gx row are consecutive, so one vector load from col, shifted by padW - s,
 * serves a whole row chunk; a mask keeps the lanes whose q is outside [0, Q) or whose w is past the
 * row. The row is summed in registers and stored once. Napkin math for lenet5.conv2 backward-data
 * (64 images of [20, 12, 12], R = S = 5, Q = 8): 15k gx rows of one vector, about 17 masked adds
 * each, 256k vector adds in all, ~0.1 ms on one core if they issued back to back; measured 0.61 ms
 * (loads from the 1 MB column block in L2, two chains of dependent adds), where scattering the
 * 8-float runs of col one by one took 1.75 ms. Other strides keep the scalar {@link #scatter}.
 *
 * <p>The vector loads reach up to {@link #lead} floats before a run and {@link #trail} after it, so
 * the column buffer carries that slack on both sides (its contents never reach gx: they fall in
 * masked lanes). Tested through CpuBackendConvParityTest (padding, strides, groups).
 */
final class FastCol2im {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int V = F.length();

  private FastCol2im() {}

  /** Floats of slack the column buffer needs before the matrix: whole vectors. */
  static int lead(FastIm2col.Geom g) {
    return (g.s + 2 * V - 1) / V * V;
  }

  /** Floats of slack the column buffer needs after the matrix. */
  static int trail(FastIm2col.Geom g) {
    return g.w + g.padW + 2 * V;
  }

  /**
   * Overwrites images [n0, n0 + nb) of gx [N, C, H, W] with the adjoint of im2col of col, the
   * matrix at colOff (with {@link #lead} floats before it and {@link #trail} after it).
   */
  static void col2im(float[] col, int colOff, FastIm2col.Geom g, int n0, int nb, float[] gx) {
    if (g.strideH == 1 && g.strideW == 1) {
      gatherRows(col, colOff, g, n0, nb, gx);
    } else {
      Arrays.fill(gx, n0 * g.c * g.hw, (n0 + nb) * g.c * g.hw, 0f);
      scatter(col, colOff, g, n0, nb, gx);
    }
  }

  private static void gatherRows(
      float[] col, int colOff, FastIm2col.Geom g, int n0, int nb, float[] gx) {
    int ld = nb * g.pq;
    int end = (n0 + nb) * g.c * g.hw; // gx stores must not pass this: another task's images
    Taps taps = new Taps(g, ld);
    for (int i = 0; i < nb; i++) {
      for (int c = 0; c < g.c; c++) {
        int plane = ((n0 + i) * g.c + c) * g.hw;
        // col index of (row (c, 0, 0), image i, p = 0, q = 0)
        int base = colOff + c * g.r * g.s * ld + i * g.pq;
        for (int h = 0; h < g.h; h++) {
          // Filter rows r whose output row p = h + padH - r lies in [0, P): taps [tLo, tHi).
          int tLo = Math.max(0, h + g.padH - g.p + 1) * g.s;
          int tHi = Math.min(g.r, h + g.padH + 1) * g.s;
          for (int chunk = 0; chunk < taps.chunks; chunk++) {
            int t0 = chunk * taps.count;
            int at = plane + h * g.w + chunk * V;
            sumTaps(col, base + h * g.q, taps, t0 + tLo, t0 + tHi, gx, at, end);
          }
        }
      }
    }
  }

  /**
   * Where each filter tap t = r*S + s reads col for each chunk of V lanes of a gx row, relative to
   * the run of (row (c, 0, 0), image i, p = h) at h*Q: the offset of the vector load, and the mask
   * of the lanes whose q = w + padW - s lies in [0, Q) and whose w lies in the row. Entry chunk *
   * R*S + t.
   */
  private static final class Taps {
    final int count;
    final int chunks;
    final int[] off;
    final boolean[] lanes; // V mask bits per entry

    Taps(FastIm2col.Geom g, int ld) {
      count = g.r * g.s;
      chunks = (g.w + V - 1) / V;
      off = new int[chunks * count];
      lanes = new boolean[chunks * count * V];
      for (int chunk = 0; chunk < chunks; chunk++) {
        int w0 = chunk * V;
        for (int r = 0; r < g.r; r++) {
          for (int s = 0; s < g.s; s++) {
            int e = chunk * count + r * g.s + s;
            int shift = w0 + g.padW - s; // lane l reads q = l + shift
            off[e] = (r * g.s + s) * ld + (g.padH - r) * g.q + shift; // p = h + padH - r
            for (int l = 0; l < V; l++) {
              lanes[e * V + l] = w0 + l < g.w && l + shift >= 0 && l + shift < g.q;
            }
          }
        }
      }
    }
  }

  /**
   * gx[at, at + V) = the sum of tap entries [e0, e1) of one gx row chunk, the run of p = h starting
   * at col[run]. Lanes past the row store zeros onto the next row or chunk, which is written after
   * this one; where they would pass {@code end} (another task's images) only the lanes before it
   * are stored.
   *
   * <p>One flat loop, masks loaded rather than computed, and vectors never passed or returned: C2
   * (JDK 17) boxes a vector carried through nested loops or across calls (measured: every masked
   * add allocated, 26 MB per lenet5.conv2 backward-data), and masks built by two compares and an
   * and ran 2.6x slower than loaded ones.
   */
  private static void sumTaps(
      float[] col, int run, Taps taps, int e0, int e1, float[] gx, int at, int end) {
    FloatVector acc = FloatVector.zero(F);
    FloatVector acc1 = acc;
    int e = e0;
    for (; e + 1 < e1; e += 2) {
      VectorMask<Float> in = VectorMask.fromArray(F, taps.lanes, e * V);
      acc = acc.add(FloatVector.fromArray(F, col, run + taps.off[e]), in);
      in = VectorMask.fromArray(F, taps.lanes, e * V + V);
      acc1 = acc1.add(FloatVector.fromArray(F, col, run + taps.off[e + 1]), in);
    }
    if (e < e1) {
      VectorMask<Float> in = VectorMask.fromArray(F, taps.lanes, e * V);
      acc = acc.add(FloatVector.fromArray(F, col, run + taps.off[e]), in);
    }
    acc = acc.add(acc1);
    if (at + V <= end) {
      acc.intoArray(gx, at);
    } else {
      float[] last = new float[V];
      acc.intoArray(last, 0);
      System.arraycopy(last, 0, gx, at, Math.min(V, end - at));
    }
  }

  /** gx += the adjoint of im2col of col, one entry at a time (any stride). */
  private static void scatter(
      float[] col, int colOff, FastIm2col.Geom g, int n0, int nb, float[] gx) {
    int ld = nb * g.pq;
    for (int i = 0; i < nb; i++) {
      for (int c = 0; c < g.c; c++) {
        int plane = ((n0 + i) * g.c + c) * g.hw;
        for (int r = 0; r < g.r; r++) {
          for (int s = 0; s < g.s; s++) {
            int row = colOff + ((c * g.r + r) * g.s + s) * ld + i * g.pq;
            int lo = g.qLow(s);
            int hi = Math.max(lo, g.qHigh(s));
            int pHi = g.pHigh(r);
            for (int p = g.pLow(r); p < pHi; p++) {
              int src = row + p * g.q;
              int dst = plane + (p * g.strideH - g.padH + r) * g.w + s - g.padW;
              for (int q = lo; q < hi; q++) {
                gx[dst + q * g.strideW] += col[src + q];
              }
            }
          }
        }
      }
    }
  }
}
