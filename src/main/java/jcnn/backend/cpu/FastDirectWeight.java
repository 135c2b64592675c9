package jcnn.backend.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The backward-weight pass of a stride-1 convolution as long dot products over zero-padded input,
 * with no im2col (the companion of {@link FastDirectConv}).
 *
 * <p>A chunk of nb images is padded into xp [C, nb, Hp, Wp] (the images of one channel side by
 * side) and gy into gyext [K, nb, Hp, Wp], zero wherever p >= P or q >= Q. Numbering positions j =
 * i*Hp*Wp + p*Wp + q, the input under filter tap t = (c, r, s) is the contiguous run xp[off[t] + j]
 * with off[t] = c*nb*Hp*Wp + r*Wp + s, so
 *
 * <pre>
 *   gw[k, t] = sum over j of gyext[k, j] * xp[off[t] + j]      // [K, Cg*R*S]
 * </pre>
 *
 * a dot product of two contiguous runs of about {@link #TARGET_RUN} floats. The {@link #block}
 * kernel does 4 output channels x 4 taps at once (16 vector accumulators, 8 loads per 16 FMAs) and
 * reduces the lanes once per chunk. Positions outside the valid output carry gyext = 0 and add
 * nothing; they are the wasted work that {@link Plan#cost} weighs against im2col + GEMM. Per-task
 * partial gradients are added in task order. Tested in CpuBackendConvParityTest.
 */
final class FastDirectWeight {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int V = F.length();

  /**
   * Positions per dot product. Long runs amortise the lane reductions and let the hardware
   * prefetchers stream; measured on resnet20.stage1, 1 image (1156 positions) runs at 40 GFLOP/s, 7
   * images (8092) at 80.
   */
  static final int TARGET_RUN = 8192;

  private static final ThreadLocal<float[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new float[2][0]);

  private FastDirectWeight() {}

  /** Sizes of one backward-weight pass (legend of {@link FastIm2col.Geom}) and its chunking. */
  static final class Plan {
    final FastIm2col.Geom g;
    final int hp, wp, hw, taps4, kg4, nb, run;

    /** Tap offsets within one group's channels of xp, padded to taps4 with 0. */
    final int[] off;

    Plan(FastIm2col.Geom g, int threads) {
      this.g = g;
      hp = g.h + 2 * g.padH;
      wp = g.w + 2 * g.padW;
      hw = hp * wp;
      taps4 = (g.cgrs + 3) / 4 * 4;
      kg4 = (g.kg + 3) / 4 * 4;
      int perTask = (g.n + threads - 1) / threads;
      // As many images per chunk as fit TARGET_RUN, evened out so every task gets as many chunks
      // (lenet5.conv1, 2 threads: 10 images per chunk gave one task 4 chunks and the other 3).
      int chunksPerTask =
          (perTask + Math.max(1, TARGET_RUN / hw) - 1) / Math.max(1, TARGET_RUN / hw);
      nb = (perTask + chunksPerTask - 1) / chunksPerTask;
      run = (nb * hw + V - 1) / V * V;
      off = new int[taps4];
      for (int c = 0; c < g.cg; c++) {
        for (int r = 0; r < g.r; r++) {
          for (int s = 0; s < g.s; s++) {
            off[(c * g.r + r) * g.s + s] = c * nb * hw + r * wp + s;
          }
        }
      }
    }

    /** Multiply-adds computed per useful one: the padding positions and the rounding to 4. */
    double cost() {
      return (double) kg4 * taps4 * hw / ((double) g.kg * g.cgrs * g.pq);
    }

    private int xpSize() {
      return g.c * nb * hw + g.r * wp + g.s + V;
    }
  }

  /** gw [K, Cg, R, S] (overwritten) from x [N, C, H, W] and gy [N, K, P, Q]. */
  static void run(Parallel par, Plan pl, float[] x, float[] gy, float[] gw) {
    FastIm2col.Geom g = pl.g;
    int chunks = (g.n + pl.nb - 1) / pl.nb;
    int tasks = Math.max(1, Math.min(par.threads(), chunks));
    int accSize = g.groups * pl.kg4 * pl.taps4;
    float[][] acc = new float[tasks][accSize]; // [groups * kg4, taps4] per task
    FastReduce.forTasks(
        par,
        tasks,
        t -> {
          float[][] buf = SCRATCH.get();
          float[] xp = grow(buf, 0, pl.xpSize()); // [C, nb, Hp, Wp] plus slack
          float[] gyext =
              grow(buf, 1, g.groups * pl.kg4 * pl.run); // [groups * Kg4, nb * Hp * Wp rounded up]
          Arrays.fill(xp, 0, pl.xpSize(), 0f); // padding and slack stay zero
          Arrays.fill(gyext, 0, g.groups * pl.kg4 * pl.run, 0f);
          int to = (int) ((long) chunks * (t + 1) / tasks);
          for (int ch = (int) ((long) chunks * t / tasks); ch < to; ch++) {
            int n0 = ch * pl.nb;
            int cnt = Math.min(pl.nb, g.n - n0);
            pack(pl, x, gy, n0, cnt, xp, gyext);
            accumulate(pl, xp, gyext, (cnt * pl.hw + V - 1) / V * V, acc[t]);
          }
        });
    for (int k = 0; k < g.k; k++) {
      int row = ((k / g.kg) * pl.kg4 + k % g.kg) * pl.taps4;
      for (int tap = 0; tap < g.cgrs; tap++) {
        float sum = 0;
        for (float[] a : acc) {
          sum += a[row + tap];
        }
        gw[k * g.cgrs + tap] = sum;
      }
    }
  }

  private static float[] grow(float[][] buf, int which, int size) {
    if (buf[which].length < size) {
      buf[which] = new float[size];
    }
    return buf[which];
  }

  /**
   * Copies images [n0, n0 + cnt) of x into the interior of xp [C, nb, Hp, Wp] and of gy into gyext
   * [groups * kg4, run], rows p < P and columns q < Q of each image's Hp x Wp slot. The rest of
   * gyext stays zero; so do xp's borders. Slots past cnt keep older images, which meet only zeros
   * of gyext.
   */
  private static void pack(
      Plan pl, float[] x, float[] gy, int n0, int cnt, float[] xp, float[] gyext) {
    FastIm2col.Geom g = pl.g;
    for (int i = 0; i < cnt; i++) {
      for (int c = 0; c < g.c; c++) {
        int src = ((n0 + i) * g.c + c) * g.hw;
        int dst = (c * pl.nb + i) * pl.hw + g.padH * pl.wp + g.padW;
        for (int h = 0; h < g.h; h++) {
          System.arraycopy(x, src + h * g.w, xp, dst + h * pl.wp, g.w);
        }
      }
      for (int k = 0; k < g.k; k++) {
        int src = ((n0 + i) * g.k + k) * g.pq;
        int dst = ((k / g.kg) * pl.kg4 + k % g.kg) * pl.run + i * pl.hw;
        for (int p = 0; p < g.p; p++) {
          System.arraycopy(gy, src + p * g.q, gyext, dst + p * pl.wp, g.q);
        }
      }
    }
    if (cnt < pl.nb) {
      // A short last chunk: clear the gy of slots that still hold an earlier chunk's images.
      for (int row = 0; row < g.groups * pl.kg4; row++) {
        Arrays.fill(gyext, row * pl.run + cnt * pl.hw, (row + 1) * pl.run, 0f);
      }
    }
  }

  private static void accumulate(Plan pl, float[] xp, float[] gyext, int len, float[] acc) {
    FastIm2col.Geom g = pl.g;
    for (int gi = 0; gi < g.groups; gi++) {
      int xBase = gi * g.cg * pl.nb * pl.hw;
      for (int k = 0; k < pl.kg4; k += 4) {
        int row = gi * pl.kg4 + k;
        for (int t = 0; t < pl.taps4; t += 4) {
          block(
              len,
              gyext,
              row * pl.run,
              pl.run,
              xp,
              xBase + pl.off[t],
              xBase + pl.off[t + 1],
              xBase + pl.off[t + 2],
              xBase + pl.off[t + 3],
              acc,
              row * pl.taps4 + t,
              pl.taps4);
        }
      }
    }
  }

  /**
   * acc[4 rows at ai, stride lda][4] += dot products over [0, len) of the gy rows at g0 (stride
   * ldg) with the xp runs at x0..x3. Accumulators are separate locals so they stay in registers.
   */
  static void block(
      int len,
      float[] gy,
      int g0,
      int ldg,
      float[] xp,
      int x0,
      int x1,
      int x2,
      int x3,
      float[] acc,
      int ai,
      int lda) {
    FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00;
    FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
    FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
    int g1 = g0 + ldg;
    int g2 = g1 + ldg;
    int g3 = g2 + ldg;
    for (int j = 0; j < len; j += V) {
      FloatVector b0 = FloatVector.fromArray(F, xp, x0 + j);
      FloatVector b1 = FloatVector.fromArray(F, xp, x1 + j);
      FloatVector b2 = FloatVector.fromArray(F, xp, x2 + j);
      FloatVector b3 = FloatVector.fromArray(F, xp, x3 + j);
      FloatVector a = FloatVector.fromArray(F, gy, g0 + j);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      c02 = a.fma(b2, c02);
      c03 = a.fma(b3, c03);
      a = FloatVector.fromArray(F, gy, g1 + j);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      c12 = a.fma(b2, c12);
      c13 = a.fma(b3, c13);
      a = FloatVector.fromArray(F, gy, g2 + j);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      c22 = a.fma(b2, c22);
      c23 = a.fma(b3, c23);
      a = FloatVector.fromArray(F, gy, g3 + j);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      c32 = a.fma(b2, c32);
      c33 = a.fma(b3, c33);
    }
    addRow(acc, ai, c00, c01, c02, c03);
    addRow(acc, ai + lda, c10, c11, c12, c13);
    addRow(acc, ai + 2 * lda, c20, c21, c22, c23);
    addRow(acc, ai + 3 * lda, c30, c31, c32, c33);
  }

  private static void addRow(
      float[] acc, int i, FloatVector a, FloatVector b, FloatVector c, FloatVector d) {
    acc[i] += a.reduceLanes(VectorOperators.ADD);
    acc[i + 1] += b.reduceLanes(VectorOperators.ADD);
    acc[i + 2] += c.reduceLanes(VectorOperators.ADD);
    acc[i + 3] += d.reduceLanes(VectorOperators.ADD);
  }
}
