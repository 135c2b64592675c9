package jcnn.backend.cpu;

import java.util.Arrays;
import jcnn.backend.Checks;
import jcnn.backend.ConvSpec;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * 2-D convolution, the three passes of training, each routed to the fastest of three strategies
 * (measured per layer of ConvShapes, numbers in jcnn.bench.ConvBenchmark's comment):
 *
 * <ul>
 *   <li>Depthwise (groups == C == K): direct loops, {@link FastDepthwise}.
 *   <li>Stride 1, filter larger than 1x1: the direct kernels of {@link FastDirectConv} (forward,
 *       and backward-data as a full convolution of gy) and {@link FastDirectWeight}, which read a
 *       zero-padded copy of the input in place instead of building R*S shifted copies of it. They
 *       compute some wasted positions; where that waste passes {@link #DIRECT_MAX_COST} (e.g. the
 *       backward-data of an unpadded 5x5 layer) the pass falls back to:
 *   <li>im2col + GEMM ({@link Sgemm}) for everything else (strided layers, 1x1 layers, which need
 *       no im2col at all at stride 1, unpadded 5x5 layers), with {@link FastIm2col} and {@link
 *       FastCol2im}:
 *       <pre>
 *   forward          Y[g]  [Kg, cols]       = W[g] [Kg, Cg*R*S] x col[g] [Cg*R*S, cols]
 *   backward-data    gcol[g] [Cg*R*S, cols] = W[g]^T x gY[g] [Kg, cols], then col2im
 *   backward-weight  gW[g] [Kg, Cg*R*S]    += gY[g] x colT[:, g] [cols, Cg*R*S]
 * </pre>
 *       Backward-weight builds the column matrix transposed (colT) for wide filters (see {@link
 *       #COLT_MIN_S}), so the GEMM reads B row by row: with col^T as a transposed operand Sgemm
 *       packs it element by element (lenet5.conv2, one thread, 64 images: GEMM 3.44 ms transposed,
 *       2.46 ms on colT).
 * </ul>
 *
 * <p>In the GEMM path the batch is cut into blocks of nb consecutive images, cols = nb*P*Q GEMM
 * columns each, and threads take contiguous runs of blocks, each GEMM running single-threaded
 * inside its task (images are independent, so this parallelism needs no synchronisation). nb gives
 * a block about {@link #TARGET_COLS} columns: measured on lenet5.conv2, 64 columns (one image) run
 * at 31-40 GFLOP/s, 512 or 1024 at 38-44, and one GEMM over the whole batch (4096 columns, an 8 MB
 * column buffer far outside L2) at 21-28. With one image per block, Y and gY are addressed in place
 * (ldc = P*Q); otherwise the [K, nb, P*Q] block is copied to and from [nb, K, P*Q]. When there are
 * fewer blocks than threads, the GEMM itself gets the thread pool. Backward-weight sums per-task
 * partial gradients in task order (deterministic for a given thread count). Scratch buffers live
 * per thread and grow on demand. Tested against the reference in CpuBackendConvParityTest; timed by
 * jcnn.bench.ConvBenchmark.
 */
final class FastConv {
  /** GEMM columns per image block (see the class comment). */
  static final int TARGET_COLS = 512;

  /**
   * The most work (per useful multiply-add) for which the direct kernel still beats im2col + GEMM;
   * measured: resnet20.stage3 at 1.5 is faster direct, lenet5.conv2 forward at 1.68 faster by
   * im2col + GEMM (one thread, 64 images: 3.06 ms against 3.5 ms direct) since im2col copies its
   * 8-float runs in vectors (it was 1.3x slower with array copies).
   */
  static final double DIRECT_MAX_COST = 1.6;

  /**
   * The same for backward-weight: resnet20.stage3 (1.56) runs as fast either way, lenet5.conv1
   * (1.52) 3x faster direct.
   */
  static final double DIRECT_WEIGHT_MAX_COST = 1.6;

  /**
   * The narrowest filter whose backward-weight builds colT rather than col: colT is copied in runs
   * of S floats, one vector store each. Measured, one thread: lenet5.conv2 (S = 5) 5.05 -> 3.38 ms
   * with colT; resnet20.down2 (S = 3, stride 2) 12.1 -> 17.5 ms and mobilenet.pw (S = 1) 5.9 -> 6.8
   * ms, so those keep col and Sgemm's transposed packing.
   */
  static final int COLT_MIN_S = 5;

  private static final int COL = 0;
  private static final int BLK = 1;

  private final Parallel par;
  private final Parallel serial = new Parallel(1);
  private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[2][0]);

  FastConv(Parallel par) {
    this.par = par;
  }

  /** How a call splits the batch: nb images per block, blocks over tasks. */
  private record Plan(int nb, int blocks, int tasks, Parallel gemm) {
    int firstBlock(int task) {
      return (int) ((long) blocks * task / tasks);
    }
  }

  private Plan plan(FastIm2col.Geom g) {
    int threads = par.threads();
    int perThread = (g.n + threads - 1) / threads;
    int nb = Math.max(1, Math.min((TARGET_COLS + g.pq - 1) / g.pq, perThread));
    int blocks = (g.n + nb - 1) / nb;
    int tasks = Math.max(1, Math.min(threads, blocks));
    return new Plan(nb, blocks, tasks, tasks == 1 ? par : serial);
  }

  /** A per-thread scratch array of at least {@code size} floats (contents undefined). */
  private float[] buffer(int which, int size) {
    float[][] s = scratch.get();
    if (s[which].length < size) {
      s[which] = new float[size];
    }
    return s[which];
  }

  void forward(Tensor x, Tensor w, Tensor bias, ConvSpec spec, Tensor y) {
    FastIm2col.Geom g = FastIm2col.Geom.of(x.shape(), w.shape(), spec);
    Checks.shape("conv2dForward", "y", y, Shape.of(g.n, g.k, g.p, g.q));
    if (bias != null) {
      Checks.shape("conv2dForward", "bias", bias, Shape.of(g.k));
    }
    float[] b = bias == null ? null : bias.data();
    if (g.depthwise()) {
      FastDepthwise.forward(par, g, x.data(), w.data(), b, y.data());
      return;
    }
    FastDirectConv.Problem direct = directForward(g);
    if (direct != null) {
      FastDirectConv.run(
          par, direct, x.data(), FastDirectConv.packForward(direct, w.data()), b, y.data());
      return;
    }
    Plan pl = plan(g);
    FastReduce.forTasks(
        par,
        pl.tasks(),
        t -> {
          for (int blk = pl.firstBlock(t); blk < pl.firstBlock(t + 1); blk++) {
            int n0 = blk * pl.nb();
            forwardBlock(g, pl.gemm(), x.data(), w.data(), b, y.data(), n0, imagesIn(g, pl, n0));
          }
        });
  }

  /**
   * The direct form of a stride-1 forward pass, or null where im2col + GEMM is better: 1x1 filters
   * (a plain GEMM already) and layers whose padded rows waste more than {@link #DIRECT_MAX_COST} of
   * the direct kernel's work.
   */
  private static FastDirectConv.Problem directForward(FastIm2col.Geom g) {
    if (g.strideH != 1 || g.strideW != 1 || g.pointwise()) {
      return null;
    }
    FastDirectConv.Problem pb =
        new FastDirectConv.Problem(g.n, g.c, g.h, g.w, g.k, g.r, g.s, g.padH, g.padW, g.groups);
    return pb.cost(usefulMacs(g)) <= DIRECT_MAX_COST ? pb : null;
  }

  /**
   * The backward-data pass of a stride-1 conv as a direct "full" conv of gy [N, K, P, Q] padded by
   * (R-1-padH, S-1-padW), giving gx [N, C, H, W]; null where that padding would be negative or the
   * wasted work too large (unpadded 5x5 layers compute 2.25x their useful work this way).
   */
  private static FastDirectConv.Problem directBackwardData(FastIm2col.Geom g) {
    if (g.strideH != 1 || g.strideW != 1 || g.pointwise() || g.padH > g.r - 1 || g.padW > g.s - 1) {
      return null;
    }
    FastDirectConv.Problem pb =
        new FastDirectConv.Problem(
            g.n, g.k, g.p, g.q, g.c, g.r, g.s, g.r - 1 - g.padH, g.s - 1 - g.padW, g.groups);
    return pb.cost(usefulMacs(g)) <= DIRECT_MAX_COST ? pb : null;
  }

  /** Multiply-adds of one image's pass: K * P * Q * Cg * R * S. */
  private static double usefulMacs(FastIm2col.Geom g) {
    return (double) g.k * g.pq * g.cgrs;
  }

  private static int imagesIn(FastIm2col.Geom g, Plan pl, int n0) {
    return Math.min(pl.nb(), g.n - n0);
  }

  private void forwardBlock(
      FastIm2col.Geom g,
      Parallel gp,
      float[] x,
      float[] w,
      float[] bias,
      float[] y,
      int n0,
      int nb) {
    int cols = nb * g.pq;
    boolean direct = g.pointwise() && nb == 1;
    float[] col = direct ? x : buffer(COL, g.c * g.r * g.s * cols + FastIm2col.V); // [CRS, cols]
    int colOff = direct ? n0 * g.c * g.hw : 0;
    if (!direct) {
      FastIm2col.im2col(x, g, n0, nb, col, 0);
    }
    float[] out = nb == 1 ? y : buffer(BLK, g.k * cols); // [K, cols]
    int outOff = nb == 1 ? n0 * g.k * g.pq : 0;
    for (int gi = 0; gi < g.groups; gi++) {
      Sgemm.sgemm(
          gp,
          false,
          false,
          g.kg,
          cols,
          g.cgrs,
          1f,
          w,
          gi * g.kg * g.cgrs,
          g.cgrs,
          col,
          colOff + gi * g.cgrs * cols,
          cols,
          0f,
          out,
          outOff + gi * g.kg * cols,
          cols);
    }
    if (nb == 1) {
      if (bias != null) {
        for (int k = 0; k < g.k; k++) {
          int row = outOff + k * g.pq;
          for (int j = row; j < row + g.pq; j++) {
            y[j] += bias[k];
          }
        }
      }
    } else {
      unpackBlock(out, g, n0, nb, bias, y);
    }
  }

  /** y[n0 + i, k, :] = blk[k, i*PQ : (i+1)*PQ] + bias[k]. */
  private static void unpackBlock(
      float[] blk, FastIm2col.Geom g, int n0, int nb, float[] bias, float[] y) {
    int cols = nb * g.pq;
    for (int i = 0; i < nb; i++) {
      for (int k = 0; k < g.k; k++) {
        int src = k * cols + i * g.pq;
        int dst = ((n0 + i) * g.k + k) * g.pq;
        FastDirectConv.copyPlus(blk, src, bias == null ? 0f : bias[k], y, dst, g.pq);
      }
    }
  }

  /** blk [K, nb*PQ] = gy[n0 : n0 + nb] viewed as [K, nb, PQ]. */
  private static void packBlock(float[] gy, FastIm2col.Geom g, int n0, int nb, float[] blk) {
    int cols = nb * g.pq;
    for (int i = 0; i < nb; i++) {
      for (int k = 0; k < g.k; k++) {
        System.arraycopy(gy, ((n0 + i) * g.k + k) * g.pq, blk, k * cols + i * g.pq, g.pq);
      }
    }
  }

  void backwardData(Tensor gy, Tensor w, ConvSpec spec, Tensor gx) {
    FastIm2col.Geom g = FastIm2col.Geom.of(gx.shape(), w.shape(), spec);
    Checks.shape("conv2dBackwardData", "gy", gy, Shape.of(g.n, g.k, g.p, g.q));
    if (g.depthwise()) {
      FastDepthwise.backwardData(par, g, gy.data(), w.data(), gx.data());
      return;
    }
    FastDirectConv.Problem direct = directBackwardData(g);
    if (direct != null) {
      float[] wt = FastDirectConv.packBackwardData(direct, w.data());
      FastDirectConv.run(par, direct, gy.data(), wt, null, gx.data());
      return;
    }
    Plan pl = plan(g);
    FastReduce.forTasks(
        par,
        pl.tasks(),
        t -> {
          for (int blk = pl.firstBlock(t); blk < pl.firstBlock(t + 1); blk++) {
            int n0 = blk * pl.nb();
            backwardDataBlock(
                g, pl.gemm(), gy.data(), w.data(), gx.data(), n0, imagesIn(g, pl, n0));
          }
        });
  }

  private void backwardDataBlock(
      FastIm2col.Geom g, Parallel gp, float[] gy, float[] w, float[] gx, int n0, int nb) {
    int cols = nb * g.pq;
    float[] gyb = nb == 1 ? gy : buffer(BLK, g.k * cols); // [K, cols]
    int gyOff = nb == 1 ? n0 * g.k * g.pq : 0;
    if (nb > 1) {
      packBlock(gy, g, n0, nb, gyb);
    }
    boolean direct = g.pointwise() && nb == 1;
    int lead = FastCol2im.lead(g);
    float[] col =
        direct
            ? gx
            : buffer(COL, lead + g.c * g.r * g.s * cols + FastCol2im.trail(g)); // [CRS, cols]
    int colOff = direct ? n0 * g.c * g.hw : lead;
    for (int gi = 0; gi < g.groups; gi++) {
      Sgemm.sgemm(
          gp,
          true,
          false,
          g.cgrs,
          cols,
          g.kg,
          1f,
          w,
          gi * g.kg * g.cgrs,
          g.cgrs,
          gyb,
          gyOff + gi * g.kg * cols,
          cols,
          0f,
          col,
          colOff + gi * g.cgrs * cols,
          cols);
    }
    if (!direct) {
      FastCol2im.col2im(col, colOff, g, n0, nb, gx);
    }
  }

  void backwardWeight(Tensor x, Tensor gy, ConvSpec spec, Tensor gw) {
    FastIm2col.Geom g = FastIm2col.Geom.of(x.shape(), gw.shape(), spec);
    Checks.shape("conv2dBackwardWeight", "gy", gy, Shape.of(g.n, g.k, g.p, g.q));
    if (g.depthwise()) {
      FastDepthwise.backwardWeight(par, g, x.data(), gy.data(), gw.data());
      return;
    }
    if (g.strideH == 1 && g.strideW == 1 && !g.pointwise()) {
      FastDirectWeight.Plan direct = new FastDirectWeight.Plan(g, par.threads());
      if (direct.cost() <= DIRECT_WEIGHT_MAX_COST) {
        FastDirectWeight.run(par, direct, x.data(), gy.data(), gw.data());
        return;
      }
    }
    Plan pl = plan(g);
    int size = g.k * g.cgrs;
    // Task 0 accumulates straight into gw; the others into their slice of partial.
    float[] partial = new float[(pl.tasks() - 1) * size];
    FastReduce.forTasks(
        par,
        pl.tasks(),
        t -> {
          float[] acc = t == 0 ? gw.data() : partial;
          int accOff = t == 0 ? 0 : (t - 1) * size;
          Arrays.fill(acc, accOff, accOff + size, 0f);
          for (int blk = pl.firstBlock(t); blk < pl.firstBlock(t + 1); blk++) {
            int n0 = blk * pl.nb();
            int nb = imagesIn(g, pl, n0);
            backwardWeightBlock(g, pl.gemm(), x.data(), gy.data(), acc, accOff, n0, nb);
          }
        });
    float[] gwd = gw.data();
    for (int t = 1; t < pl.tasks(); t++) {
      for (int i = 0; i < size; i++) {
        gwd[i] += partial[(t - 1) * size + i];
      }
    }
  }

  private void backwardWeightBlock(
      FastIm2col.Geom g,
      Parallel gp,
      float[] x,
      float[] gy,
      float[] acc,
      int accOff,
      int n0,
      int nb) {
    int cols = nb * g.pq;
    float[] gyb = nb == 1 ? gy : buffer(BLK, g.k * cols); // [K, cols]
    int gyOff = nb == 1 ? n0 * g.k * g.pq : 0;
    if (nb > 1) {
      packBlock(gy, g, n0, nb, gyb);
    }
    if (g.pointwise() && nb == 1) {
      // The image [C, H*W] is its own column matrix; the GEMM reads it transposed.
      gemmWeight(g, gp, gyb, gyOff, cols, x, n0 * g.c * g.hw, true, cols, acc, accOff);
    } else if (g.s >= COLT_MIN_S) {
      int ldt = FastIm2col.transposedLd(g);
      float[] colT = buffer(COL, cols * ldt); // [cols, C*R*S] plus slack per row
      FastIm2col.im2colT(x, g, n0, nb, colT);
      gemmWeight(g, gp, gyb, gyOff, cols, colT, 0, false, ldt, acc, accOff);
    } else {
      float[] col = buffer(COL, g.c * g.r * g.s * cols + FastIm2col.V); // [C*R*S, cols]
      FastIm2col.im2col(x, g, n0, nb, col, 0);
      gemmWeight(g, gp, gyb, gyOff, cols, col, 0, true, cols, acc, accOff);
    }
  }

  /**
   * acc[group rows] += gy [Kg, cols] x op(B) [cols, Cg*R*S] per group, op(B) the column matrix
   * stored transposed ([cols, CRS], row length ldb) or not ([CRS, cols]).
   */
  private static void gemmWeight(
      FastIm2col.Geom g,
      Parallel gp,
      float[] gy,
      int gyOff,
      int cols,
      float[] b,
      int bOff,
      boolean transB,
      int ldb,
      float[] acc,
      int accOff) {
    for (int gi = 0; gi < g.groups; gi++) {
      Sgemm.sgemm(
          gp,
          false,
          transB,
          g.kg,
          g.cgrs,
          cols,
          1f,
          gy,
          gyOff + gi * g.kg * cols,
          cols,
          b,
          bOff + (transB ? gi * g.cgrs * ldb : gi * g.cgrs),
          ldb,
          1f,
          acc,
          accOff + gi * g.kg * g.cgrs,
          g.cgrs);
    }
  }
}
