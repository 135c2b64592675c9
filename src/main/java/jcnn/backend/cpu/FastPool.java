package jcnn.backend.cpu;

import java.util.Arrays;
import jcnn.backend.Checks;
import jcnn.backend.PoolSpec;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max and average pooling, forward and backward, threads splitting the N*C planes (each plane is
 * independent, so backward passes accumulate race-free). Windows are clipped to the input once per
 * output position, so the inner loops carry no padding tests; average pooling divides by the
 * clipped window size (padding not counted). Max-pool argmax holds h * W + w within the input
 * plane; the first maximum in row-major window order wins. Tested in CpuBackendPoolParityTest.
 */
final class FastPool {
  /** Multiply-adds per task. */
  private static final int GRAIN = 1 << 14;

  /** The float lanes of the 2x2 kernel, and int lanes of the same count for its argmax. */
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

  private FastPool() {}

  /** [N, C, H, W] geometry of one pooling call. */
  private record Planes(int planes, int h, int w, int p, int q) {
    /** Checks that every window holds a real position (padding smaller than the window). */
    static Planes of(String op, PoolSpec s, Shape x, Shape y) {
      if (s.padH() >= s.kernelH() || s.padW() >= s.kernelW()) {
        throw new IllegalArgumentException(
            op + ": padding of " + s + " must be smaller than the window, for input " + x);
      }
      return new Planes(x.dim(0) * x.dim(1), x.dim(2), x.dim(3), y.dim(2), y.dim(3));
    }

    int minChunk(PoolSpec s) {
      return Math.max(1, GRAIN / Math.max(1, p * q * s.kernelH() * s.kernelW() + h * w));
    }
  }

  static void maxForward(Parallel par, Tensor x, PoolSpec s, Tensor y, IntTensor argmax) {
    Shape ys = s.outputShape("maxPool2dForward", x.shape());
    Checks.shape("maxPool2dForward", "y", y, ys);
    Checks.shape("maxPool2dForward", "argmax", argmax, ys);
    Planes g = Planes.of("maxPool2dForward", s, x.shape(), ys);
    float[] xd = x.data();
    float[] yd = y.data();
    int[] am = argmax.data();
    boolean pairs = s.equals(PoolSpec.of(2, 2));
    int[] corners = pairs ? corners(g) : null;
    par.forRange(
        g.planes(),
        g.minChunk(s),
        (from, to) -> {
          for (int pl = from; pl < to; pl++) {
            if (pairs) {
              maxPlane2x2(xd, pl * g.h() * g.w(), yd, am, pl * g.p() * g.q(), g, corners);
            } else {
              maxPlane(xd, pl * g.h() * g.w(), yd, am, pl * g.p() * g.q(), g, s);
            }
          }
        });
  }

  /**
   * One plane of 2x2 windows at stride 2 without padding (every max-pool layer of our networks).
   *
   * <p>Napkin math, lenet5.pool1 [64, 20, 24, 24]: 737k inputs read (2.9 MB) and 184k outputs
   * written twice (y and argmax, 1.5 MB); at L2/L3 bandwidth about 0.1 ms per core, so the op is
   * bound by instructions, not memory. A scalar scan with a {@code v > best} branch took 2.5 ms on
   * 2 threads (the branch goes either way at random on real data). A branch-free scalar tournament
   * ({@link #after} as a 0/1 index offset) took 0.9 ms on one thread, ~12 cycles per window, and
   * was still the largest non-GEMM item of a LeNet-5 training profile (8.6% of samples). So windows
   * now go {@link #F} at a time: four gathers fetch the top-left, top-right, bottom-left and
   * bottom-right values of F windows through the {@link #corners} table, and the same tournament
   * runs on lanes with masks and blends; the windows left over (fewer than F) take the scalar path.
   * In that scalar path, selecting with {@code c ? i : j} (on floats or ints) compiled to jumps
   * again and ran at 2.3 ms, and so did a NaN check on a branch never taken (C2 then gave up the
   * conditional moves around it): hence the 0/1 offsets.
   *
   * <p>Ties go to the left, which always holds the earlier positions in row-major order, and {@link
   * #after} lets a NaN win unless the left one is already NaN, so this picks exactly what the scan
   * of {@link #maxPlane} picks.
   */
  private static void maxPlane2x2(
      float[] x, int xo, float[] y, int[] am, int yo, Planes g, int[] corners) {
    int w = g.w();
    int pq = g.p() * g.q();
    int o = 0;
    for (; o <= pq - F.length(); o += F.length()) {
      IntVector at = IntVector.fromArray(I, corners, o);
      FloatVector a = FloatVector.fromArray(F, x, xo, corners, o);
      FloatVector b = FloatVector.fromArray(F, x, xo + 1, corners, o);
      FloatVector c = FloatVector.fromArray(F, x, xo + w, corners, o);
      FloatVector d = FloatVector.fromArray(F, x, xo + w + 1, corners, o);
      VectorMask<Float> right = after(a, b);
      FloatVector upper = a.blend(b, right);
      IntVector upperAt = at.add(1, right.cast(I));
      VectorMask<Float> lowerRight = after(c, d);
      FloatVector lower = c.blend(d, lowerRight);
      IntVector lowerAt = at.add(w).add(1, lowerRight.cast(I));
      VectorMask<Float> down = after(upper, lower);
      upper.blend(lower, down).intoArray(y, yo + o);
      upperAt.blend(lowerAt, down.cast(I)).intoArray(am, yo + o);
    }
    for (; o < pq; o++) {
      int i = xo + corners[o];
      int upper = i + after(x[i], x[i + 1]);
      int lower = i + w + after(x[i + w], x[i + w + 1]);
      int at = upper + (lower - upper) * after(x[upper], x[lower]);
      y[yo + o] = x[at];
      am[yo + o] = at - xo;
    }
  }

  /** Per output position p * Q + q of a plane, its window's top-left input: 2p * W + 2q. */
  private static int[] corners(Planes g) {
    int[] c = new int[g.p() * g.q()];
    for (int p = 0; p < g.p(); p++) {
      for (int q = 0; q < g.q(); q++) {
        c[p * g.q() + q] = 2 * p * g.w() + 2 * q;
      }
    }
    return c;
  }

  /** Lanes where b, the later value, replaces a: the lane form of {@link #after(float, float)}. */
  private static VectorMask<Float> after(FloatVector a, FloatVector b) {
    return a.compare(VectorOperators.EQ, a).andNot(b.compare(VectorOperators.LE, a));
  }

  /** 1 if b, the later value, replaces a (b > a, or b is NaN and a is not), else 0. */
  private static int after(float a, float b) {
    return (a == a ? 1 : 0) & (b <= a ? 0 : 1);
  }

  private static void maxPlane(
      float[] x, int xo, float[] y, int[] am, int yo, Planes g, PoolSpec s) {
    for (int p = 0; p < g.p(); p++) {
      int h0 = p * s.strideH() - s.padH();
      int hs = Math.max(h0, 0);
      int he = Math.min(h0 + s.kernelH(), g.h());
      for (int q = 0; q < g.q(); q++) {
        int w0 = q * s.strideW() - s.padW();
        int ws = Math.max(w0, 0);
        int we = Math.min(w0 + s.kernelW(), g.w());
        float best = Float.NEGATIVE_INFINITY;
        int arg = hs * g.w() + ws;
        for (int h = hs; h < he; h++) {
          for (int w = ws; w < we; w++) {
            float v = x[xo + h * g.w() + w];
            // Strictly greater, or the first NaN: a NaN input shows in the output.
            if (v > best || (v != v && best == best)) {
              best = v;
              arg = h * g.w() + w;
            }
          }
        }
        y[yo + p * g.q() + q] = best;
        am[yo + p * g.q() + q] = arg;
      }
    }
  }

  static void maxBackward(Parallel par, Tensor gy, IntTensor argmax, Tensor gx) {
    Checks.shape("maxPool2dBackward", "argmax", argmax, gy.shape());
    if (gy.rank() != 4 || gx.rank() != 4 || gy.dim(0) != gx.dim(0) || gy.dim(1) != gx.dim(1)) {
      throw new IllegalArgumentException(
          "maxPool2dBackward: gy " + gy.shape() + " does not fit gx " + gx.shape());
    }
    int planes = gx.dim(0) * gx.dim(1);
    int hw = gx.dim(2) * gx.dim(3);
    int pq = gy.dim(2) * gy.dim(3);
    float[] g = gy.data();
    float[] out = gx.data();
    int[] am = argmax.data();
    for (int a : am) {
      if (a < 0 || a >= hw) {
        throw new IllegalArgumentException(
            "maxPool2dBackward: argmax " + a + " outside the input plane of gx " + gx.shape());
      }
    }
    par.forRange(
        planes,
        Math.max(1, GRAIN / Math.max(1, pq + hw)),
        (from, to) -> {
          for (int pl = from; pl < to; pl++) {
            // Cleared plane by plane, so the scatter finds the plane in L1 (lenet5.pool1: 2.3 KB a
            // plane; clearing the task's 1.4 MB first left the scatter to L3: 0.30 -> 0.17 ms).
            Arrays.fill(out, pl * hw, (pl + 1) * hw, 0f);
            for (int i = pl * pq; i < (pl + 1) * pq; i++) {
              out[pl * hw + am[i]] += g[i];
            }
          }
        });
  }

  static void avgForward(Parallel par, Tensor x, PoolSpec s, Tensor y) {
    Shape ys = s.outputShape("avgPool2dForward", x.shape());
    Checks.shape("avgPool2dForward", "y", y, ys);
    Planes g = Planes.of("avgPool2dForward", s, x.shape(), ys);
    float[] xd = x.data();
    float[] yd = y.data();
    par.forRange(
        g.planes(),
        g.minChunk(s),
        (from, to) -> {
          for (int pl = from; pl < to; pl++) {
            avgPlane(xd, pl * g.h() * g.w(), yd, pl * g.p() * g.q(), g, s);
          }
        });
  }

  private static void avgPlane(float[] x, int xo, float[] y, int yo, Planes g, PoolSpec s) {
    for (int p = 0; p < g.p(); p++) {
      int h0 = p * s.strideH() - s.padH();
      int hs = Math.max(h0, 0);
      int he = Math.min(h0 + s.kernelH(), g.h());
      for (int q = 0; q < g.q(); q++) {
        int w0 = q * s.strideW() - s.padW();
        int ws = Math.max(w0, 0);
        int we = Math.min(w0 + s.kernelW(), g.w());
        float sum = 0;
        for (int h = hs; h < he; h++) {
          for (int w = ws; w < we; w++) {
            sum += x[xo + h * g.w() + w];
          }
        }
        y[yo + p * g.q() + q] = sum / ((he - hs) * (we - ws));
      }
    }
  }

  static void avgBackward(Parallel par, Tensor gy, PoolSpec s, Tensor gx) {
    Shape ys = s.outputShape("avgPool2dBackward", gx.shape());
    Checks.shape("avgPool2dBackward", "gy", gy, ys);
    Planes g = Planes.of("avgPool2dBackward", s, gx.shape(), ys);
    float[] gyd = gy.data();
    float[] gxd = gx.data();
    par.forRange(
        g.planes(),
        g.minChunk(s),
        (from, to) -> {
          for (int pl = from; pl < to; pl++) {
            Arrays.fill(gxd, pl * g.h() * g.w(), (pl + 1) * g.h() * g.w(), 0f); // as in maxBackward
            avgPlaneBackward(gyd, pl * g.p() * g.q(), gxd, pl * g.h() * g.w(), g, s);
          }
        });
  }

  private static void avgPlaneBackward(
      float[] gy, int yo, float[] gx, int xo, Planes g, PoolSpec s) {
    for (int p = 0; p < g.p(); p++) {
      int h0 = p * s.strideH() - s.padH();
      int hs = Math.max(h0, 0);
      int he = Math.min(h0 + s.kernelH(), g.h());
      for (int q = 0; q < g.q(); q++) {
        int w0 = q * s.strideW() - s.padW();
        int ws = Math.max(w0, 0);
        int we = Math.min(w0 + s.kernelW(), g.w());
        float v = gy[yo + p * g.q() + q] / ((he - hs) * (we - ws));
        for (int h = hs; h < he; h++) {
          for (int w = ws; w < we; w++) {
            gx[xo + h * g.w() + w] += v;
          }
        }
      }
    }
  }
}
