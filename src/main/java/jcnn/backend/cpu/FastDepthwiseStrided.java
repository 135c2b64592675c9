package jcnn.backend.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/**
 * Depthwise convolution at a stride other than 1 (and stride-1 backward-data with padding wider
 * than the filter), vectorised by splitting each plane into its stride phases, so that every tap
 * reads unit-stride runs as {@link FastDepthwise}'s stride-1 loops do.
 *
 * <p>Pad a plane into xp [Hp, Wp] and split it by row and column phase: X(a, b)[i][j] = xp[i * sh +
 * a][j * sw + b], each phase [Hs, Ws] = [ceil(Hp / sh), ceil(Wp / sw)]. Output (p, q) under tap (r,
 * s) reads xp[p * sh + r][q * sw + s] = X(r % sh, s % sw)[p + r / sh][q + s / sw]: in extended
 * positions j = p * Ws + q, tap (r, s) is the run of X(r % sh, s % sw) from (r / sh) * Ws + s / sw.
 * With the phases side by side in one buffer, forward is {@link FastDepthwise#planeConv} and
 * backward-weight {@link FastDepthwise#planeDots}, unchanged, on those offsets. Backward-data is
 * the transpose: phase (a, b) of the padded input gradient is a stride-1 correlation of gy (padded)
 * with the taps of that phase, one planeConv per phase, interleaved back into gx.
 *
 * <p>The split is one pass over the input plane (at stride 2 across, whole vectors of each column
 * phase picked from two with one-vector rearranges and a blend: the two-vector rearrange of JDK 17
 * rebuilds its shuffle on every call, which took a quarter of the time in a JFR profile), and the
 * taps then do a quarter of the stride-1 work on full vectors; backward-data zips the phases back
 * the same way. Measured on the MobileNet V2 stride-2 layer (144 channels, 32x32, batch 128, one
 * thread, while a training ran beside it): forward 15 ms, backward-data 11 ms, backward-weight 22
 * ms, where the plain strided loops this replaced took 148 ms for the three (JMH, same conditions).
 * Forward and backward-data split the N*C planes over threads; backward-weight splits the channels,
 * so every thread owns its gradients. Tested in CpuBackendConvParityTest (depthwise at strides 2
 * and 3, row and column strides apart, pad 0 and pads wider than the filter).
 */
final class FastDepthwiseStrided {
  private static final int V = FastDepthwise.V;

  /** Multiply-adds per task. */
  private static final int GRAIN = 1 << 15;

  // Stride-2 column phases with one-vector rearranges (the two-vector form rebuilds its shuffle on
  // every call in JDK 17): lane i of EVEN is lane 2i mod V, so EVEN of the first vector holds the
  // even columns in its low half and EVEN of the second in its high half; ZIP_LOW and ZIP_HIGH
  // spread the low or high half of a phase over every other lane.
  private static final VectorShuffle<Float> EVEN =
      VectorShuffle.fromOp(FastDepthwise.F, i -> (2 * i) % V);
  private static final VectorShuffle<Float> ODD =
      VectorShuffle.fromOp(FastDepthwise.F, i -> (2 * i + 1) % V);
  private static final VectorShuffle<Float> ZIP_LOW =
      VectorShuffle.fromOp(FastDepthwise.F, i -> i / 2);
  private static final VectorShuffle<Float> ZIP_HIGH =
      VectorShuffle.fromOp(FastDepthwise.F, i -> V / 2 + i / 2);
  private static final VectorMask<Float> HIGH_HALF = lanes(i -> i >= V / 2);
  private static final VectorMask<Float> ODD_LANES = lanes(i -> i % 2 == 1);

  private static VectorMask<Float> lanes(java.util.function.IntPredicate p) {
    boolean[] bits = new boolean[V];
    for (int i = 0; i < V; i++) {
      bits[i] = p.test(i);
    }
    return VectorMask.fromArray(FastDepthwise.F, bits, 0);
  }

  private FastDepthwiseStrided() {}

  private static int minPlanes(FastIm2col.Geom g, int planesPerUnit) {
    return Math.max(1, GRAIN / Math.max(1, g.pq * g.r * g.s * planesPerUnit));
  }

  /** A plane's phase geometry: phases of [hs, ws] side by side, extended outputs of width ws. */
  private record Phases(FastIm2col.Geom g, int hs, int ws) {
    static Phases of(FastIm2col.Geom g) {
      int hp = g.h + 2 * g.padH;
      int wp = g.w + 2 * g.padW;
      return new Phases(g, ceilDiv(hp, g.strideH), ceilDiv(wp, g.strideW));
    }

    int phaseSize() {
      return hs * ws;
    }

    /** All phases plus slack for the reads of the last vectors (whose lanes are discarded). */
    int size() {
      return g.strideH * g.strideW * phaseSize() + ws + g.s + 4 * V;
    }

    /** Extended output positions p * ws + q, rounded up to whole vectors. */
    int jp() {
      return roundUp(g.p * ws, V);
    }

    /** Where tap (r, s) starts in the phase buffer. */
    int[] offsets() {
      int[] off = new int[g.r * g.s];
      for (int r = 0; r < g.r; r++) {
        for (int s = 0; s < g.s; s++) {
          int phase = (r % g.strideH) * g.strideW + s % g.strideW;
          off[r * g.s + s] = phase * phaseSize() + (r / g.strideH) * ws + s / g.strideW;
        }
      }
      return off;
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static int roundUp(int a, int v) {
    return ceilDiv(a, v) * v;
  }

  /**
   * Scatters plane x[xo, xo + H*W) into the phase buffer (whose padding positions stay zero: no
   * plane writes them). Each input row goes out one column phase at a time: a strided read and a
   * unit-stride write, with no index table in the loop.
   */
  private static void split(FastIm2col.Geom g, Phases ph, float[] x, int xo, float[] phases) {
    int sw = g.strideW;
    for (int h = 0; h < g.h; h++) {
      int hp = h + g.padH;
      int rowBase = (hp % g.strideH) * sw * ph.phaseSize() + (hp / g.strideH) * ph.ws();
      int src = xo + h * g.w;
      for (int b = 0; b < sw; b++) {
        int w0 = Math.floorMod(b - g.padW, sw); // first w with (w + padW) % sw == b
        if (w0 >= g.w) {
          continue;
        }
        int dst = rowBase + b * ph.phaseSize() + (w0 + g.padW) / sw;
        int count = (g.w - w0 + sw - 1) / sw;
        int k = 0;
        if (sw == 2) { // whole vectors of this phase from the 2V values that hold them
          k =
              w0 == 0
                  ? pickPhase(x, src, g.w, EVEN, phases, dst)
                  : pickPhase(x, src, g.w, ODD, phases, dst);
        }
        for (; k < count; k++) {
          phases[dst + k] = x[src + w0 + k * sw];
        }
      }
    }
  }

  /**
   * phases[dst + k] = x[src + 2k] (pick EVEN) or x[src + 2k + 1] (pick ODD) for whole vectors of k
   * while 2(k + V) <= w; returns the first k left to do.
   */
  private static int pickPhase(
      float[] x, int src, int w, VectorShuffle<Float> pick, float[] phases, int dst) {
    int k = 0;
    for (; 2 * (k + V) <= w; k += V) {
      FloatVector lo = FloatVector.fromArray(FastDepthwise.F, x, src + 2 * k).rearrange(pick);
      FloatVector hi = FloatVector.fromArray(FastDepthwise.F, x, src + 2 * k + V).rearrange(pick);
      lo.blend(hi, HIGH_HALF).intoArray(phases, dst + k);
    }
    return k;
  }

  /** y [N, C, P, Q] from x [N, C, H, W], w [C, 1, R, S] and bias [C] or null. */
  static void forward(
      Parallel par, FastIm2col.Geom g, float[] x, float[] w, float[] bias, float[] y) {
    Phases ph = Phases.of(g);
    int[] off = ph.offsets();
    int rs = g.r * g.s;
    par.forRange(
        g.n * g.c,
        minPlanes(g, 1),
        (from, to) -> {
          float[] phases = FastDepthwise.buffer(0, ph.size());
          float[] yext = FastDepthwise.buffer(1, ph.jp());
          Arrays.fill(phases, 0, ph.size(), 0f);
          float[] taps = new float[rs];
          for (int pl = from; pl < to; pl++) {
            int c = pl % g.c;
            split(g, ph, x, pl * g.hw, phases);
            System.arraycopy(w, c * rs, taps, 0, rs);
            FastDepthwise.planeConv(phases, off, taps, yext, 0, ph.jp());
            float b = bias == null ? 0f : bias[c];
            for (int p = 0; p < g.p; p++) {
              FastDirectConv.copyPlus(yext, p * ph.ws(), b, y, pl * g.pq + p * g.q, g.q);
            }
          }
        });
  }

  /**
   * gw [C, 1, R, S] (overwritten) from x and gy: per channel and image, split the x plane, spread
   * the gy plane over extended positions (zero where q >= Q) and add the R*S lane-wise dot
   * products; lanes are reduced once per channel.
   */
  static void backwardWeight(Parallel par, FastIm2col.Geom g, float[] x, float[] gy, float[] gw) {
    Phases ph = Phases.of(g);
    int[] off = ph.offsets();
    int rs = off.length;
    par.forRange(
        g.c,
        minPlanes(g, g.n),
        (from, to) -> {
          float[] phases = FastDepthwise.buffer(0, ph.size());
          float[] gext = FastDepthwise.buffer(1, ph.jp()); // [P * Ws], zero where q >= Q
          Arrays.fill(phases, 0, ph.size(), 0f);
          Arrays.fill(gext, 0, ph.jp(), 0f);
          float[] lanes = new float[rs * V];
          for (int c = from; c < to; c++) {
            Arrays.fill(lanes, 0f);
            for (int n = 0; n < g.n; n++) {
              int plane = n * g.c + c;
              split(g, ph, x, plane * g.hw, phases);
              for (int p = 0; p < g.p; p++) {
                System.arraycopy(gy, plane * g.pq + p * g.q, gext, p * ph.ws(), g.q);
              }
              FastDepthwise.planeDots(phases, off, gext, ph.jp(), lanes);
            }
            for (int t = 0; t < rs; t++) {
              gw[c * rs + t] =
                  FloatVector.fromArray(FastDepthwise.F, lanes, t * V)
                      .reduceLanes(VectorOperators.ADD);
            }
          }
        });
  }

  /**
   * The backward-data plan of one phase (a, b) of the padded input gradient: X(a, b)[i][j] = sum
   * over its taps (r, s) of w[r, s] * gy[i - r / sh][j - s / sw], with gy padded by (ar, as) = (max
   * r / sh, max s / sw) rows and columns in front into gp [Hg, Wg]: tap (r, s) reads gp from (ar -
   * r / sh) * Wg + as - s / sw in extended positions i * Wg + j.
   */
  private record DataPhase(int[] taps, int[] off) {}

  /** gx [N, C, H, W] (overwritten) from gy [N, C, P, Q] and w [C, 1, R, S]. */
  static void backwardData(Parallel par, FastIm2col.Geom g, float[] gy, float[] w, float[] gx) {
    Phases ph = Phases.of(g);
    int ar = (g.r - 1) / g.strideH;
    int as = (g.s - 1) / g.strideW;
    int wg = Math.max(ph.ws(), g.q) + as; // row width of padded gy and of the extended outputs
    int hg = Math.max(ph.hs(), g.p) + ar;
    int gpSize = hg * wg + wg + 4 * V;
    int jp = roundUp(ph.hs() * wg, V);
    int phaseCount = g.strideH * g.strideW;
    DataPhase[] plan = new DataPhase[phaseCount];
    for (int a = 0; a < g.strideH; a++) {
      for (int b = 0; b < g.strideW; b++) {
        int count = ceilDiv(g.r - a, g.strideH) * ceilDiv(g.s - b, g.strideW);
        int[] taps = new int[Math.max(0, count)];
        int[] off = new int[taps.length];
        int k = 0;
        for (int r = a; r < g.r; r += g.strideH) {
          for (int s = b; s < g.s; s += g.strideW) {
            taps[k] = r * g.s + s;
            off[k++] = (ar - r / g.strideH) * wg + as - s / g.strideW;
          }
        }
        plan[a * g.strideW + b] = new DataPhase(taps, off);
      }
    }
    int rs = g.r * g.s;
    par.forRange(
        g.n * g.c,
        minPlanes(g, 1),
        (from, to) -> {
          float[] gp = FastDepthwise.buffer(0, gpSize);
          float[] out = FastDepthwise.buffer(1, phaseCount * jp); // the phases' extended outputs
          Arrays.fill(gp, 0, gpSize, 0f);
          Arrays.fill(out, 0, phaseCount * jp, 0f); // phases without taps stay zero
          float[][] tapValues = new float[phaseCount][];
          for (int k = 0; k < phaseCount; k++) {
            tapValues[k] = new float[plan[k].taps().length];
          }
          for (int pl = from; pl < to; pl++) {
            int c = pl % g.c;
            for (int p = 0; p < g.p; p++) {
              System.arraycopy(gy, pl * g.pq + p * g.q, gp, (p + ar) * wg + as, g.q);
            }
            for (int k = 0; k < phaseCount; k++) {
              DataPhase d = plan[k];
              if (d.taps().length == 0) {
                continue;
              }
              for (int t = 0; t < d.taps().length; t++) {
                tapValues[k][t] = w[c * rs + d.taps()[t]];
              }
              FastDepthwise.planeConv(gp, d.off(), tapValues[k], out, k * jp, jp);
            }
            interleave(g, out, jp, wg, gx, pl * g.hw);
          }
        });
  }

  /** gx plane [H, W] at xo from the phases' extended outputs (phase k at k * jp, rows of wg). */
  private static void interleave(
      FastIm2col.Geom g, float[] out, int jp, int wg, float[] gx, int xo) {
    int sw = g.strideW;
    for (int h = 0; h < g.h; h++) {
      int hp = h + g.padH;
      int row = (hp % g.strideH) * sw * jp + (hp / g.strideH) * wg;
      int dst = xo + h * g.w;
      int done = 0; // phase values already written, in every phase
      if (sw == 2 && g.w >= 2 * V) { // zip V values of each phase into 2V columns
        int even = row + (g.padW % 2) * jp + g.padW / 2; // the phase holding columns 0, 2, ...
        int odd = row + ((1 + g.padW) % 2) * jp + (1 + g.padW) / 2; // columns 1, 3, ...
        for (; 2 * (done + V) <= g.w; done += V) {
          FloatVector e = FloatVector.fromArray(FastDepthwise.F, out, even + done);
          FloatVector o = FloatVector.fromArray(FastDepthwise.F, out, odd + done);
          e.rearrange(ZIP_LOW).blend(o.rearrange(ZIP_LOW), ODD_LANES).intoArray(gx, dst + 2 * done);
          e.rearrange(ZIP_HIGH)
              .blend(o.rearrange(ZIP_HIGH), ODD_LANES)
              .intoArray(gx, dst + 2 * done + V);
        }
      }
      for (int b = 0; b < sw; b++) {
        int w0 = Math.floorMod(b - g.padW, sw);
        if (w0 >= g.w) {
          continue;
        }
        int src = row + b * jp + (w0 + g.padW) / sw;
        int count = (g.w - w0 + sw - 1) / sw;
        for (int k = done; k < count; k++) {
          gx[dst + w0 + k * sw] = out[src + k];
        }
      }
    }
  }
}
