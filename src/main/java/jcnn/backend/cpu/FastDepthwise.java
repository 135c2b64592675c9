package jcnn.backend.cpu;

import java.util.Arrays;

/**
 * Depthwise convolution (groups == C == K, MobileNet's 3x3 layers) as direct loops: each output
 * plane depends on one input plane and R*S weights, so im2col would only copy data around for GEMMs
 * of a single row. The inner loops run along an output row q, adding a weight times a shifted input
 * row (a contiguous axpy at stride 1, which C2 vectorises); the valid q range per filter column s
 * is computed once, so the loops carry no padding tests. Forward and backward-data split the N*C
 * planes over threads; backward-weight splits the channels, so every thread owns its gradients and
 * needs no reduction. Tested in CpuBackendConvParityTest.
 */
final class FastDepthwise {
  /** Multiply-adds per task. */
  private static final int GRAIN = 1 << 15;

  private FastDepthwise() {}

  private static int minPlanes(FastIm2col.Geom g, int planesPerUnit) {
    return Math.max(1, GRAIN / Math.max(1, g.pq * g.r * g.s * planesPerUnit));
  }

  /** y [N, C, P, Q] from x [N, C, H, W], w [C, 1, R, S] and bias [C] or null. */
  static void forward(
      Parallel par, FastIm2col.Geom g, float[] x, float[] w, float[] bias, float[] y) {
    par.forRange(
        g.n * g.c,
        minPlanes(g, 1),
        (from, to) -> {
          for (int pl = from; pl < to; pl++) {
            int c = pl % g.c;
            Arrays.fill(y, pl * g.pq, (pl + 1) * g.pq, bias == null ? 0f : bias[c]);
            forwardPlane(g, x, pl * g.hw, w, c * g.r * g.s, y, pl * g.pq);
          }
        });
  }

  private static void forwardPlane(
      FastIm2col.Geom g, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
    for (int r = 0; r < g.r; r++) {
      for (int p = 0; p < g.p; p++) {
        int hIn = p * g.strideH - g.padH + r;
        if (hIn < 0 || hIn >= g.h) {
          continue;
        }
        int yRow = yo + p * g.q;
        for (int s = 0; s < g.s; s++) {
          float wv = w[wo + r * g.s + s];
          int lo = g.qLow(s);
          int hi = g.qHigh(s);
          int src = xo + hIn * g.w + s - g.padW;
          if (g.strideW == 1) {
            for (int q = lo; q < hi; q++) {
              y[yRow + q] += wv * x[src + q];
            }
          } else {
            for (int q = lo; q < hi; q++) {
              y[yRow + q] += wv * x[src + q * g.strideW];
            }
          }
        }
      }
    }
  }

  /** gx [N, C, H, W] (overwritten) from gy [N, C, P, Q] and w [C, 1, R, S]. */
  static void backwardData(Parallel par, FastIm2col.Geom g, float[] gy, float[] w, float[] gx) {
    par.forRange(
        g.n * g.c,
        minPlanes(g, 1),
        (from, to) -> {
          Arrays.fill(gx, from * g.hw, to * g.hw, 0f);
          for (int pl = from; pl < to; pl++) {
            backwardDataPlane(g, gy, pl * g.pq, w, (pl % g.c) * g.r * g.s, gx, pl * g.hw);
          }
        });
  }

  private static void backwardDataPlane(
      FastIm2col.Geom g, float[] gy, int yo, float[] w, int wo, float[] gx, int xo) {
    for (int r = 0; r < g.r; r++) {
      for (int p = 0; p < g.p; p++) {
        int hIn = p * g.strideH - g.padH + r;
        if (hIn < 0 || hIn >= g.h) {
          continue;
        }
        int yRow = yo + p * g.q;
        for (int s = 0; s < g.s; s++) {
          float wv = w[wo + r * g.s + s];
          int lo = g.qLow(s);
          int hi = g.qHigh(s);
          int dst = xo + hIn * g.w + s - g.padW;
          if (g.strideW == 1) {
            for (int q = lo; q < hi; q++) {
              gx[dst + q] += wv * gy[yRow + q];
            }
          } else {
            for (int q = lo; q < hi; q++) {
              gx[dst + q * g.strideW] += wv * gy[yRow + q];
            }
          }
        }
      }
    }
  }

  /**
   * gw [C, 1, R, S] (overwritten) from x and gy. Per channel, acc [R*S, Q] collects gy * x for
   * every (n, p) lane by lane (an elementwise loop C2 vectorises, where a dot product would stay
   * scalar); its rows are summed in double at the end.
   */
  static void backwardWeight(Parallel par, FastIm2col.Geom g, float[] x, float[] gy, float[] gw) {
    int rs = g.r * g.s;
    par.forRange(
        g.c,
        minPlanes(g, g.n),
        (from, to) -> {
          float[] acc = new float[rs * g.q];
          for (int c = from; c < to; c++) {
            Arrays.fill(acc, 0f);
            for (int n = 0; n < g.n; n++) {
              int pl = n * g.c + c;
              accumulatePlane(g, x, pl * g.hw, gy, pl * g.pq, acc);
            }
            for (int k = 0; k < rs; k++) {
              double sum = 0;
              for (int q = 0; q < g.q; q++) {
                sum += acc[k * g.q + q];
              }
              gw[c * rs + k] = (float) sum;
            }
          }
        });
  }

  private static void accumulatePlane(
      FastIm2col.Geom g, float[] x, int xo, float[] gy, int yo, float[] acc) {
    for (int r = 0; r < g.r; r++) {
      for (int p = 0; p < g.p; p++) {
        int hIn = p * g.strideH - g.padH + r;
        if (hIn < 0 || hIn >= g.h) {
          continue;
        }
        int yRow = yo + p * g.q;
        for (int s = 0; s < g.s; s++) {
          int a = (r * g.s + s) * g.q;
          int lo = g.qLow(s);
          int hi = g.qHigh(s);
          int src = xo + hIn * g.w + s - g.padW;
          if (g.strideW == 1) {
            for (int q = lo; q < hi; q++) {
              acc[a + q] += gy[yRow + q] * x[src + q];
            }
          } else {
            for (int q = lo; q < hi; q++) {
              acc[a + q] += gy[yRow + q] * x[src + q * g.strideW];
            }
          }
        }
      }
    }
  }
}
