package jcnn.backend.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 convolution straight from a zero-padded copy of each input image, with no im2col: an
 * implicit GEMM whose B operand is read in place.
 *
 * <p>Pad an image x [Cin, H, W] into xp [Cin, Hp, Wp] and number the output positions along the
 * padded rows ("extended" positions j = p * Wp + q). Then for every filter tap (c, r, s) the inputs
 * that output positions j need are the contiguous run xp[c*Hp*Wp + r*Wp + s + j], so
 *
 * <pre>
 *   yext[k, j] = sum over taps t = (c, r, s) of wt[t, k] * xp[off[t] + j]     // [Kout, P*Wp]
 * </pre>
 *
 * is a GEMM with M = Kout, N = P*Wp, K = Cin*R*S whose B rows are the runs at off[t]: the {@link
 * #tile} micro-kernel (8 output channels x 32 positions, 16 vector accumulators, the register
 * blocking of {@link Sgemm}'s kernel) loads them directly. Positions q >= Q of each row are wasted
 * work (Wp - Q = R - 1 + 2 * pad of every Wp) and are dropped when the valid part is copied out.
 * Compared with im2col + GEMM this skips writing and re-reading R*S copies of the input, which cost
 * as much as the GEMM itself on the CIFAR layers (measurements in ConvBenchmark's comment).
 *
 * <p>The same code runs the backward-data pass of a stride-1 convolution, a "full" convolution of
 * gy padded by R-1-padH, S-1-padW with the weights transposed (K <-> C) and rotated by 180 degrees.
 * {@link #cost} tells {@link FastConv} when the wasted work makes im2col + GEMM the better choice.
 * Tested in CpuBackendConvParityTest (odd shapes, groups, all real stride-1 layers).
 */
final class FastDirectConv {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int V = F.length();

  /** Output channels per micro-tile. */
  static final int MR = 8;

  /** Extended output positions per micro-tile: two vectors. */
  static final int NR = 2 * V;

  private FastDirectConv() {}

  /**
   * One stride-1 convolution in direct form: input [N, cin, hin, win] zero-padded by (padH, padW),
   * filter R x S, groups, output [N, kout, pout, qout].
   */
  static final class Problem {
    final int n, cin, hin, win, kout, r, s, padH, padW, groups;
    final int cg, kg, kgp, hp, wp, pout, qout, jp, taps;

    /** Tap offsets into xp within one group's input channels: off[(c*R + r)*S + s]. */
    final int[] off;

    Problem(int n, int cin, int hin, int win, int kout, int r, int s, int padH, int padW, int g) {
      this.n = n;
      this.cin = cin;
      this.hin = hin;
      this.win = win;
      this.kout = kout;
      this.r = r;
      this.s = s;
      this.padH = padH;
      this.padW = padW;
      this.groups = g;
      cg = cin / g;
      kg = kout / g;
      kgp = (kg + MR - 1) / MR * MR;
      hp = hin + 2 * padH;
      wp = win + 2 * padW;
      pout = hp - r + 1;
      qout = wp - s + 1;
      jp = (pout * wp + NR - 1) / NR * NR;
      taps = cg * r * s;
      off = new int[taps];
      for (int c = 0; c < cg; c++) {
        for (int i = 0; i < r; i++) {
          for (int j = 0; j < s; j++) {
            off[(c * r + i) * s + j] = c * hp * wp + i * wp + j;
          }
        }
      }
    }

    /** Floats of the padded image, with slack so the last tile's loads stay in bounds. */
    int paddedSize() {
      return cin * hp * wp + s + NR;
    }

    /** Multiply-adds computed per useful multiply-add of a conv with {@code usefulMacs}. */
    double cost(double usefulMacs) {
      return (double) groups * kgp * jp * taps / usefulMacs;
    }
  }

  /**
   * out [N, kout, pout, qout] (overwritten) = conv of in with packed weights wt [groups, taps, kgp]
   * (see {@link #packForward}, {@link #packBackwardData}) plus bias [kout] or null.
   */
  static void run(Parallel par, Problem pb, float[] in, float[] wt, float[] bias, float[] out) {
    // Work items are (image, band of output rows); split images only when they are too few.
    int bands = pb.n >= par.threads() ? 1 : Math.min(pb.pout, (par.threads() + pb.n - 1) / pb.n);
    int items = pb.n * bands;
    int tasks = Math.max(1, Math.min(par.threads(), items));
    ThreadLocal<float[][]> scratch = SCRATCH;
    FastReduce.forTasks(
        par,
        tasks,
        t -> {
          float[][] buf = scratch.get();
          float[] xp = grow(buf, 0, pb.paddedSize()); // [Cin, Hp, Wp] plus slack
          float[] yext =
              grow(buf, 1, pb.groups * pb.kgp * pb.jp); // [groups * Kgp, P * Wp rounded up]
          Arrays.fill(xp, 0, pb.paddedSize(), 0f); // borders and slack stay zero
          int last = -1;
          int to = (int) ((long) items * (t + 1) / tasks);
          for (int item = (int) ((long) items * t / tasks); item < to; item++) {
            int img = item / bands;
            int band = item % bands;
            if (img != last) {
              pad(pb, in, img, xp);
              last = img;
            }
            int p0 = (int) ((long) pb.pout * band / bands);
            int p1 = (int) ((long) pb.pout * (band + 1) / bands);
            compute(pb, xp, wt, yext, p0, p1);
            extract(pb, yext, bias, out, img, p0, p1);
          }
        });
  }

  private static final ThreadLocal<float[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new float[2][0]);

  private static float[] grow(float[][] buf, int which, int size) {
    if (buf[which].length < size) {
      buf[which] = new float[size];
    }
    return buf[which];
  }

  /** Copies image img of in [N, cin, hin, win] into the interior of xp [cin, hp, wp]. */
  private static void pad(Problem pb, float[] in, int img, float[] xp) {
    for (int c = 0; c < pb.cin; c++) {
      int src = (img * pb.cin + c) * pb.hin * pb.win;
      int dst = c * pb.hp * pb.wp + pb.padH * pb.wp + pb.padW;
      for (int h = 0; h < pb.hin; h++) {
        System.arraycopy(in, src + h * pb.win, xp, dst + h * pb.wp, pb.win);
      }
    }
  }

  /** yext [groups * kgp, jp] for the tiles covering output rows [p0, p1). */
  private static void compute(Problem pb, float[] xp, float[] wt, float[] yext, int p0, int p1) {
    int j0 = p0 * pb.wp / NR * NR;
    int j1 = Math.min(pb.jp, (p1 * pb.wp + NR - 1) / NR * NR);
    for (int g = 0; g < pb.groups; g++) {
      int xBase = g * pb.cg * pb.hp * pb.wp;
      int wBase = g * pb.taps * pb.kgp;
      int yBase = g * pb.kgp * pb.jp;
      for (int j = j0; j < j1; j += NR) {
        for (int k = 0; k < pb.kgp; k += MR) {
          tile(
              pb.taps,
              pb.off,
              xp,
              xBase + j,
              wt,
              wBase + k,
              pb.kgp,
              yext,
              yBase + k * pb.jp + j,
              pb.jp);
        }
      }
    }
  }

  /** out rows [p0, p1) of image img = the valid positions of yext, plus bias. */
  private static void extract(
      Problem pb, float[] yext, float[] bias, float[] out, int img, int p0, int p1) {
    for (int k = 0; k < pb.kout; k++) {
      int src = ((k / pb.kg) * pb.kgp + k % pb.kg) * pb.jp;
      int dst = (img * pb.kout + k) * pb.pout * pb.qout;
      float b = bias == null ? 0f : bias[k];
      for (int p = p0; p < p1; p++) {
        copyPlus(yext, src + p * pb.wp, b, out, dst + p * pb.qout, pb.qout);
      }
    }
  }

  /**
   * out[d, d + len) = src[s, s + len) + b, in vectors (C2 leaves this loop scalar: the runs might
   * overlap); a run that is not a whole number of vectors ends with a vector aligned to its end,
   * rewriting a few lanes with the same values rather than writing past the run (the next row may
   * belong to another task). Measured on lenet5.conv1 forward (24-float rows, 2.9 MB of output),
   * one thread: the scalar loop took 45% of the samples of the pass, which went from 0.88 to 0.75
   * ms with vectors; what is left here is mostly writing the output to memory.
   */
  static void copyPlus(float[] src, int s, float b, float[] out, int d, int len) {
    if (len < V) {
      for (int q = 0; q < len; q++) {
        out[d + q] = src[s + q] + b;
      }
      return;
    }
    for (int q = 0; q < len; q += V) {
      int at = Math.min(q, len - V);
      FloatVector.fromArray(F, src, s + at).add(b).intoArray(out, d + at);
    }
  }

  /**
   * The micro-kernel: out[MR rows at oi, stride ldo][NR] = sum over taps t of wt[wi + t*ldw + i] *
   * xp[xi + off[t] .. + NR). Each accumulator is its own local so the JIT keeps all 16 in vector
   * registers; per tap, 2 vector loads and 8 broadcasts feed 16 FMAs.
   */
  static void tile(
      int taps,
      int[] off,
      float[] xp,
      int xi,
      float[] wt,
      int wi,
      int ldw,
      float[] out,
      int oi,
      int ldo) {
    FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00;
    FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    FloatVector c60 = c00, c61 = c00, c70 = c00, c71 = c00;
    for (int t = 0; t < taps; t++, wi += ldw) {
      int bi = xi + off[t];
      FloatVector b0 = FloatVector.fromArray(F, xp, bi);
      FloatVector b1 = FloatVector.fromArray(F, xp, bi + V);
      FloatVector a = FloatVector.broadcast(F, wt[wi]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(F, wt[wi + 1]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(F, wt[wi + 2]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(F, wt[wi + 3]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = FloatVector.broadcast(F, wt[wi + 4]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(F, wt[wi + 5]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      a = FloatVector.broadcast(F, wt[wi + 6]);
      c60 = a.fma(b0, c60);
      c61 = a.fma(b1, c61);
      a = FloatVector.broadcast(F, wt[wi + 7]);
      c70 = a.fma(b0, c70);
      c71 = a.fma(b1, c71);
    }
    c00.intoArray(out, oi);
    c01.intoArray(out, oi + V);
    c10.intoArray(out, oi += ldo);
    c11.intoArray(out, oi + V);
    c20.intoArray(out, oi += ldo);
    c21.intoArray(out, oi + V);
    c30.intoArray(out, oi += ldo);
    c31.intoArray(out, oi + V);
    c40.intoArray(out, oi += ldo);
    c41.intoArray(out, oi + V);
    c50.intoArray(out, oi += ldo);
    c51.intoArray(out, oi + V);
    c60.intoArray(out, oi += ldo);
    c61.intoArray(out, oi + V);
    c70.intoArray(out, oi += ldo);
    c71.intoArray(out, oi + V);
  }

  /** wt [groups, Cg*R*S, kgp] from w [K, Cg, R, S]: tap-major, zero past Kg. */
  static float[] packForward(Problem pb, float[] w) {
    float[] wt = new float[pb.groups * pb.taps * pb.kgp];
    for (int k = 0; k < pb.kout; k++) {
      int g = k / pb.kg;
      for (int t = 0; t < pb.taps; t++) {
        wt[(g * pb.taps + t) * pb.kgp + k % pb.kg] = w[k * pb.taps + t];
      }
    }
    return wt;
  }

  /**
   * Weights of the backward-data pass of a conv with w [K, Cg, R, S]: pb's input channels are the
   * conv's K (taps (k', r', s')) and its outputs the conv's C, so wt [groups, Kg*R*S, Cgp] holds
   * w[g*Kg + k', c', R-1-r', S-1-s'] at tap (k', r', s') and column c'.
   */
  static float[] packBackwardData(Problem pb, float[] w) {
    int rs = pb.r * pb.s;
    int cgConv = pb.kg; // the conv's C / groups is pb's output channels per group
    float[] wt = new float[pb.groups * pb.taps * pb.kgp];
    for (int g = 0; g < pb.groups; g++) {
      for (int kk = 0; kk < pb.cg; kk++) { // the conv's output channel within the group
        int kConv = g * pb.cg + kk;
        for (int c = 0; c < cgConv; c++) {
          for (int i = 0; i < rs; i++) {
            int tap = kk * rs + (rs - 1 - i); // rotated by 180 degrees: (r, s) -> (R-1-r, S-1-s)
            wt[(g * pb.taps + tap) * pb.kgp + c] = w[(kConv * cgConv + c) * rs + i];
          }
        }
      }
    }
    return wt;
  }
}
