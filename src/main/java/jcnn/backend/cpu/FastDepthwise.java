package jcnn.backend.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise convolution (groups == C == K, MobileNet's 3x3 layers) as direct loops: each output
 * plane depends on one input plane and R*S weights, so im2col would only copy data around for GEMMs
 * of a single row.
 *
 * <p>At stride 1 every plane is padded into a scratch xp [Hp, Wp] and computed in "extended"
 * positions j = p * Wp + q, as in {@link FastDirectConv}: the input under tap (r, s) is the run
 * xp[r*Wp + s + j], so an output vector is R*S broadcast-FMAs of unaligned loads, four vectors at a
 * time to hide the FMA latency; the valid q < Q are copied out. Backward-data is the same loop on
 * gy padded by R-1-pad with the filter rotated by 180 degrees; backward-weight is R*S dot products
 * of gy (zero at the wasted positions) with the shifted runs of xp, accumulated over the batch per
 * channel. Other strides split each plane into its stride phases first ({@link
 * FastDepthwiseStrided}) and run these same loops. Forward and backward-data split the N*C planes
 * over threads; backward-weight splits the channels, so no reduction is needed. Tested in
 * CpuBackendConvParityTest.
 */
final class FastDepthwise {
  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  static final int V = F.length();

  /** Multiply-adds per task. */
  private static final int GRAIN = 1 << 15;

  private static final ThreadLocal<float[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new float[2][0]);

  private FastDepthwise() {}

  /** One plane's padded geometry at stride 1: input hin x win padded by (ph, pw), R x S taps. */
  private record Plane(int hin, int win, int ph, int pw, int r, int s) {
    int hp() {
      return hin + 2 * ph;
    }

    int wp() {
      return win + 2 * pw;
    }

    int pout() {
      return hp() - r + 1;
    }

    int qout() {
      return wp() - s + 1;
    }

    /** Extended positions, rounded up to whole vectors. */
    int jp() {
      return (pout() * wp() + V - 1) / V * V;
    }

    /** Padded plane plus slack for the last vector's reads. */
    int size() {
      return hp() * wp() + s + 4 * V;
    }

    /** Copies plane src [hin, win] into the interior of xp (whose border is already zero). */
    void pad(float[] in, int src, float[] xp) {
      for (int h = 0; h < hin; h++) {
        System.arraycopy(in, src + h * win, xp, (h + ph) * wp() + pw, win);
      }
    }
  }

  /**
   * Scratch slot which (0 or 1) of this thread, at least size floats; also FastDepthwiseStrided's.
   */
  static float[] buffer(int which, int size) {
    float[][] b = SCRATCH.get();
    if (b[which].length < size) {
      b[which] = new float[size];
    }
    return b[which];
  }

  private static int minPlanes(FastIm2col.Geom g) {
    return Math.max(1, GRAIN / Math.max(1, g.pq * g.r * g.s));
  }

  /** y [N, C, P, Q] from x [N, C, H, W], w [C, 1, R, S] and bias [C] or null. */
  static void forward(
      Parallel par, FastIm2col.Geom g, float[] x, float[] w, float[] bias, float[] y) {
    if (g.strideH != 1 || g.strideW != 1) {
      FastDepthwiseStrided.forward(par, g, x, w, bias, y);
      return;
    }
    Plane pl = new Plane(g.h, g.w, g.padH, g.padW, g.r, g.s);
    int rs = g.r * g.s;
    planes(par, g, pl, x, g.hw, y, g.pq, c -> Arrays.copyOfRange(w, c * rs, (c + 1) * rs), bias);
  }

  /** gx [N, C, H, W] (overwritten) from gy [N, C, P, Q] and w [C, 1, R, S]. */
  static void backwardData(Parallel par, FastIm2col.Geom g, float[] gy, float[] w, float[] gx) {
    if (g.strideH != 1 || g.strideW != 1 || g.padH > g.r - 1 || g.padW > g.s - 1) {
      FastDepthwiseStrided.backwardData(par, g, gy, w, gx);
      return;
    }
    Plane pl = new Plane(g.p, g.q, g.r - 1 - g.padH, g.s - 1 - g.padW, g.r, g.s);
    int rs = g.r * g.s;
    planes(
        par,
        g,
        pl,
        gy,
        g.pq,
        gx,
        g.hw,
        c -> {
          float[] rot = new float[rs];
          for (int i = 0; i < rs; i++) {
            rot[i] = w[c * rs + rs - 1 - i]; // rotated by 180 degrees
          }
          return rot;
        },
        null);
  }

  /** The filter taps of channel c, in (r, s) order. */
  private interface Taps {
    float[] of(int c);
  }

  /** Runs every plane of in through {@link #planeConv} into out, threads splitting the planes. */
  private static void planes(
      Parallel par,
      FastIm2col.Geom g,
      Plane pl,
      float[] in,
      int inPlane,
      float[] out,
      int outPlane,
      Taps taps,
      float[] bias) {
    int[] off = offsets(pl);
    par.forRange(
        g.n * g.c,
        minPlanes(g),
        (from, to) -> {
          float[] xp = buffer(0, pl.size()); // [Hp, Wp] plus slack
          float[] yext = buffer(1, pl.jp()); // [P * Wp] extended positions
          Arrays.fill(xp, 0, pl.size(), 0f);
          for (int i = from; i < to; i++) {
            int c = i % g.c;
            pl.pad(in, i * inPlane, xp);
            planeConv(xp, off, taps.of(c), yext, 0, pl.jp());
            float b = bias == null ? 0f : bias[c];
            for (int p = 0; p < pl.pout(); p++) {
              int src = p * pl.wp();
              int dst = i * outPlane + p * pl.qout();
              for (int q = 0; q < pl.qout(); q++) {
                out[dst + q] = yext[src + q] + b;
              }
            }
          }
        });
  }

  private static int[] offsets(Plane pl) {
    int[] off = new int[pl.r() * pl.s()];
    for (int r = 0; r < pl.r(); r++) {
      for (int s = 0; s < pl.s(); s++) {
        off[r * pl.s() + s] = r * pl.wp() + s;
      }
    }
    return off;
  }

  /**
   * yext[y0 + j] = sum over taps t of w[t] * xp[off[t] + j] for j in [0, jp), four vectors per
   * pass.
   */
  static void planeConv(float[] xp, int[] off, float[] w, float[] yext, int y0, int jp) {
    int j = 0;
    for (; j <= jp - 4 * V; j += 4 * V) {
      FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
      for (int t = 0; t < off.length; t++) {
        FloatVector wt = FloatVector.broadcast(F, w[t]);
        int o = off[t] + j;
        a0 = FloatVector.fromArray(F, xp, o).fma(wt, a0);
        a1 = FloatVector.fromArray(F, xp, o + V).fma(wt, a1);
        a2 = FloatVector.fromArray(F, xp, o + 2 * V).fma(wt, a2);
        a3 = FloatVector.fromArray(F, xp, o + 3 * V).fma(wt, a3);
      }
      a0.intoArray(yext, y0 + j);
      a1.intoArray(yext, y0 + j + V);
      a2.intoArray(yext, y0 + j + 2 * V);
      a3.intoArray(yext, y0 + j + 3 * V);
    }
    for (; j < jp; j += V) {
      FloatVector a = FloatVector.zero(F);
      for (int t = 0; t < off.length; t++) {
        a = FloatVector.fromArray(F, xp, off[t] + j).fma(FloatVector.broadcast(F, w[t]), a);
      }
      a.intoArray(yext, y0 + j);
    }
  }

  /**
   * gw [C, 1, R, S] (overwritten) from x and gy. Per channel and image: pad the x plane, spread the
   * gy plane over extended positions (zero where q >= Q), and add the R*S dot products to per-tap
   * vector accumulators; lanes are reduced once per channel.
   */
  static void backwardWeight(Parallel par, FastIm2col.Geom g, float[] x, float[] gy, float[] gw) {
    if (g.strideH != 1 || g.strideW != 1) {
      FastDepthwiseStrided.backwardWeight(par, g, x, gy, gw);
      return;
    }
    Plane pl = new Plane(g.h, g.w, g.padH, g.padW, g.r, g.s);
    int[] off = offsets(pl);
    int rs = off.length;
    par.forRange(
        g.c,
        Math.max(1, minPlanes(g) / Math.max(1, g.n)),
        (from, to) -> {
          float[] xp = buffer(0, pl.size()); // [Hp, Wp] plus slack
          float[] gext = buffer(1, pl.jp()); // [P * Wp], zero where q >= Q
          Arrays.fill(xp, 0, pl.size(), 0f);
          Arrays.fill(gext, 0, pl.jp(), 0f);
          float[] lanes = new float[rs * V];
          for (int c = from; c < to; c++) {
            Arrays.fill(lanes, 0f);
            for (int n = 0; n < g.n; n++) {
              int plane = n * g.c + c;
              pl.pad(x, plane * g.hw, xp);
              for (int p = 0; p < g.p; p++) {
                System.arraycopy(gy, plane * g.pq + p * g.q, gext, p * pl.wp(), g.q);
              }
              planeDots(xp, off, gext, pl.jp(), lanes);
            }
            for (int t = 0; t < rs; t++) {
              gw[c * rs + t] =
                  FloatVector.fromArray(F, lanes, t * V).reduceLanes(VectorOperators.ADD);
            }
          }
        });
  }

  /** lanes[t] += gext[j] * xp[off[t] + j] lane-wise over [0, jp), for every tap t. */
  static void planeDots(float[] xp, int[] off, float[] gext, int jp, float[] lanes) {
    for (int t = 0; t < off.length; t++) {
      FloatVector a0 = FloatVector.zero(F), a1 = a0;
      int o = off[t];
      int j = 0;
      for (; j <= jp - 2 * V; j += 2 * V) {
        a0 = FloatVector.fromArray(F, gext, j).fma(FloatVector.fromArray(F, xp, o + j), a0);
        a1 = FloatVector.fromArray(F, gext, j + V).fma(FloatVector.fromArray(F, xp, o + j + V), a1);
      }
      for (; j < jp; j += V) {
        a0 = FloatVector.fromArray(F, gext, j).fma(FloatVector.fromArray(F, xp, o + j), a0);
      }
      a0.add(a1).add(FloatVector.fromArray(F, lanes, t * V)).intoArray(lanes, t * V);
    }
  }
}
