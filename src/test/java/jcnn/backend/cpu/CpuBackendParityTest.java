package jcnn.backend.cpu;

import static jcnn.backend.cpu.Parity.REF;
import static jcnn.backend.cpu.Parity.assertClose;
import static jcnn.backend.cpu.Parity.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jcnn.backend.Backend;
import jcnn.backend.BinaryOp;
import jcnn.backend.UnaryOp;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast CPU backend equals the reference backend within |x - ref| <= atol + rtol*|ref| for the
 * elementwise, reduction, matmul, indexing, loss and optimizer primitives, on odd shapes (dims from
 * 1, 7, 33, 127) and with sizes large enough to split over threads, with 1 and 2 threads.
 * Convolution: CpuBackendConvParityTest; pooling and batch norm: CpuBackendPoolParityTest.
 */
public class CpuBackendParityTest {
  /** The backend under test: the fast CPU backend here; the CUDA parity tests override it. */
  protected Backend under(int threads) {
    return Parity.fast(threads);
  }

  private static final int[][][] BROADCAST_PAIRS = {
    {{7, 33}, {7, 33}},
    {{7, 33}, {33}},
    {{127}, {7, 1}},
    {{2, 7, 1, 33}, {7, 33, 1}},
    {{}, {7, 33}},
    {{33, 7}, {1}},
    {{1, 7, 1, 127}, {33, 1, 1, 1}},
    {{2, 33, 127, 7}, {2, 33, 127, 7}}, // 59k elements: split over threads
    {{4, 33, 33, 33}, {1, 33, 1, 1}} // a per-channel bias over 4 planes of 33 x 33
  };

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void binaryBroadcasts(int threads) {
    long seed = 1;
    for (int[][] pair : BROADCAST_PAIRS) {
      Tensor a = randn(seed++, pair[0]);
      Tensor b = Tensor.uniform(seed++, 0.5f, 2f, pair[1]); // away from 0 for DIV
      for (BinaryOp op : BinaryOp.values()) {
        Tensor ref = Tensor.zeros(jcnn.tensor.Shape.broadcast("t", a.shape(), b.shape()));
        Tensor got = Tensor.zeros(ref.shape());
        REF.binary(op, a, b, ref);
        under(threads).binary(op, a, b, got);
        assertClose(op + " " + a.shape() + " " + b.shape(), ref, got, 0, 1e-6);
        REF.binary(op, b, a, ref.fill(0));
        under(threads).binary(op, b, a, got.fill(0));
        assertClose(op + " " + b.shape() + " " + a.shape(), ref, got, 0, 1e-6);
      }
    }
  }

  /** Inputs over the interesting range of every op, with its kinks hit exactly. */
  private static Tensor unaryInput(UnaryOp op, int... dims) {
    Tensor x = Tensor.uniform(7, -8f, 8f, dims);
    if (op == UnaryOp.LOG) {
      return Tensor.uniform(7, 0.01f, 8f, dims);
    }
    float[] kinks = {0f, 6f, -1f, 1f, -0f};
    System.arraycopy(kinks, 0, x.data(), 0, Math.min(kinks.length, x.numel()));
    return x;
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void unaryAndBackward(int threads) {
    for (int[] dims : new int[][] {{7, 33}, {1}, {2, 33, 127, 7}}) {
      for (UnaryOp op : UnaryOp.values()) {
        Tensor x = unaryInput(op, dims);
        Tensor ref = Tensor.zeros(dims);
        Tensor got = Tensor.zeros(dims);
        REF.unary(op, x, ref);
        under(threads).unary(op, x, got);
        assertClose(op.opName() + " " + x.shape(), ref, got, 1e-7, 1e-6);
        Tensor gy = randn(8, dims);
        Tensor gxRef = Tensor.zeros(dims);
        Tensor gxGot = Tensor.zeros(dims);
        REF.unaryBackward(op, x, ref, gy, gxRef);
        under(threads).unaryBackward(op, x, ref, gy, gxGot);
        assertClose(op.opName() + " backward " + x.shape(), gxRef, gxGot, 1e-6, 1e-5);
      }
    }
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void unaryInPlaceAndAxpby(int threads) {
    Tensor x = randn(3, 33, 127);
    Tensor ref = x.copy();
    REF.unary(UnaryOp.RELU, ref, ref);
    Tensor got = x.copy();
    under(threads).unary(UnaryOp.RELU, got, got);
    assertClose("relu in place", ref, got, 0, 0);
    for (float beta : new float[] {0f, 0.5f}) {
      Tensor yRef = Tensor.full(Float.NaN, 2, 33, 127, 7);
      if (beta != 0) {
        yRef = randn(4, 2, 33, 127, 7);
      }
      Tensor yGot = yRef.copy();
      Tensor xs = randn(5, 2, 33, 127, 7);
      REF.axpby(-1.5f, xs, beta, yRef);
      under(threads).axpby(-1.5f, xs, beta, yGot);
      assertClose("axpby beta=" + beta, yRef, yGot, 1e-6, 1e-6);
    }
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void sumToReversesBroadcasting(int threads) {
    int[][][] cases = {
      {{7, 33}, {33}},
      {{7, 33}, {7, 1}},
      {{2, 7, 33, 127}, {1, 7, 1, 1}},
      {{127, 33}, {}},
      {{127, 33}, {1, 1}},
      {{2, 7, 33, 1}, {7, 1, 1}},
      {{7, 33, 127}, {7, 1, 127}},
      {{7, 33, 127}, {1, 33, 1}},
      {{7, 33}, {7, 33}},
      {{33, 2, 7, 127}, {33, 1, 7, 1}},
      {{64, 50, 8, 8}, {1, 50, 1, 1}}, // lenet5.conv2 bias gradient
      {{128, 500}, {500}}, // a dense layer's bias gradient
      {{300_000}, {1}}
    };
    long seed = 10;
    for (int[][] c : cases) {
      Tensor x = randn(seed++, c[0]);
      Tensor ref = Tensor.zeros(c[1]);
      Tensor got = Tensor.full(Float.NaN, c[1]);
      REF.sumTo(x, ref);
      under(threads).sumTo(x, got);
      assertClose("sumTo " + x.shape() + " -> " + ref.shape(), ref, got, 1e-4, 1e-5);
    }
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void matmulAllTranspositions(int threads) {
    int[][] mnk = {{7, 33, 127}, {127, 1, 33}, {33, 127, 7}, {1, 1, 1}, {127, 127, 127}};
    long seed = 20;
    for (int[] s : mnk) {
      for (int t = 0; t < 4; t++) {
        boolean ta = (t & 1) != 0;
        boolean tb = (t & 2) != 0;
        Tensor a = ta ? randn(seed++, s[2], s[0]) : randn(seed++, s[0], s[2]);
        Tensor b = tb ? randn(seed++, s[1], s[2]) : randn(seed++, s[2], s[1]);
        for (float beta : new float[] {0f, 1.5f}) {
          Tensor ref = beta == 0 ? Tensor.full(Float.NaN, s[0], s[1]) : randn(seed++, s[0], s[1]);
          Tensor got = ref.copy();
          REF.matmul(a, ta, b, tb, ref, 0.5f, beta);
          under(threads).matmul(a, ta, b, tb, got, 0.5f, beta);
          String what = "matmul " + a.shape() + (ta ? "^T" : "") + " x " + b.shape();
          assertClose(what + (tb ? "^T" : "") + " beta=" + beta, ref, got, 1e-4, 1e-5);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void dropoutMaskIsTheReferenceMaskBitForBit(int threads) {
    for (float p : new float[] {0f, 0.3f, 0.5f, 1f}) {
      Tensor ref = Tensor.zeros(7, 33, 127);
      Tensor got = Tensor.zeros(7, 33, 127);
      REF.dropoutMask(42, p, ref);
      under(threads).dropoutMask(42, p, got);
      assertArrayEquals(ref.data(), got.data(), "dropout p=" + p);
    }
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void concatAndSplit(int threads) {
    for (int axis = 0; axis < 4; axis++) {
      int[] d0 = {2, 7, 3, 5};
      int[] d1 = d0.clone();
      int[] d2 = d0.clone();
      int[] dOut = d0.clone();
      d1[axis] = 1;
      d2[axis] = 33;
      dOut[axis] = d0[axis] + 1 + 33;
      Tensor[] xs = {randn(30, d0), randn(31, d1), randn(32, d2)};
      Tensor ref = Tensor.zeros(dOut);
      Tensor got = Tensor.zeros(dOut);
      REF.concat(xs, axis, ref);
      under(threads).concat(xs, axis, got);
      assertClose("concat axis " + axis, ref, got, 0, 0);
      Tensor[] back = {Tensor.zeros(d0), Tensor.zeros(d1), Tensor.zeros(d2)};
      under(threads).split(got, axis, back);
      for (int i = 0; i < 3; i++) {
        assertClose("split axis " + axis + " piece " + i, xs[i], back[i], 0, 0);
      }
    }
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void gatherAndScatterAdd(int threads) {
    SplittableRandom r = new SplittableRandom(5);
    for (int[] sizes : new int[][] {{127, 7 * 33}, {33, 200_000}, {100_000, 7}}) {
      int[] ix = new int[sizes[1]];
      for (int i = 0; i < ix.length; i++) {
        ix[i] = r.nextInt(sizes[0]);
      }
      IntTensor idx = IntTensor.of(ix, sizes[1]);
      Tensor table = randn(40, sizes[0]);
      Tensor ref = Tensor.zeros(sizes[1]);
      Tensor got = Tensor.zeros(sizes[1]);
      REF.gather(table, idx, ref);
      under(threads).gather(table, idx, got);
      assertClose("gather " + table.shape(), ref, got, 0, 0);
      Tensor src = randn(41, sizes[1]);
      Tensor tRef = table.copy();
      Tensor tGot = table.copy();
      REF.scatterAdd(src, idx, tRef);
      under(threads).scatterAdd(src, idx, tGot);
      // The CPU adds in index order, like the reference; the GPU's atomics add in no fixed order,
      // and a float sum of n terms in another order is off by about eps * sqrt(n) * ||terms||
      // (partial sums of random-sign terms grow like sqrt(k)): allow twice that per row.
      double[] sumSq = new double[sizes[0]];
      int[] count = new int[sizes[0]];
      for (int i = 0; i < ix.length; i++) {
        sumSq[ix[i]] += (double) src.data()[i] * src.data()[i];
        count[ix[i]]++;
      }
      assertClose(
          "scatterAdd into " + table.shape(),
          tRef,
          tGot,
          i -> 1e-5 + 2 * Math.ulp(1f) * Math.sqrt(count[i] * sumSq[i]),
          1e-6,
          "1e-5 + 2 eps sqrt(n sum x^2)");
    }
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void softmaxCrossEntropy(int threads) {
    for (int[] nk : new int[][] {{7, 33}, {1, 1}, {127, 10}, {33, 1000}}) {
      for (float scale : new float[] {1f, 50f}) { // 50: logits in the hundreds, stability
        Tensor logits = Tensor.randn(50, scale, nk[0], nk[1]);
        int[] lab = new int[nk[0]];
        for (int i = 0; i < lab.length; i++) {
          lab[i] = (i * 7) % nk[1];
        }
        IntTensor labels = IntTensor.of(lab, nk[0]);
        Tensor pRef = Tensor.zeros(nk);
        Tensor pGot = Tensor.zeros(nk);
        double lRef = REF.softmaxCrossEntropy(logits, labels, pRef);
        double lGot = under(threads).softmaxCrossEntropy(logits, labels, pGot);
        assertEquals(lRef, lGot, 1e-5 + 1e-5 * Math.abs(lRef), "loss " + logits.shape());
        assertClose("softmax " + logits.shape(), pRef, pGot, 1e-7, 1e-5);
        Tensor gRef = Tensor.zeros(nk);
        Tensor gGot = Tensor.zeros(nk);
        REF.softmaxCrossEntropyBackward(pRef, labels, 1f / nk[0], gRef);
        under(threads).softmaxCrossEntropyBackward(pRef, labels, 1f / nk[0], gGot);
        assertClose("softmax backward " + logits.shape(), gRef, gGot, 1e-7, 1e-6);
      }
    }
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void sgdAndAdamSteps(int threads) {
    int[] dims = {2, 33, 127, 7};
    float[][] sgd = {{0f, 0f, 0f}, {0.9f, 1e-2f, 0f}, {0.9f, 5e-4f, 1f}}; // momentum, wd, nesterov
    for (float[] h : sgd) {
      Tensor wRef = randn(60, dims);
      Tensor wGot = wRef.copy();
      Tensor vRef = h[0] == 0 ? null : Tensor.zeros(dims);
      Tensor vGot = h[0] == 0 ? null : Tensor.zeros(dims);
      for (int step = 0; step < 3; step++) {
        Tensor g = randn(61 + step, dims);
        REF.sgdStep(wRef, g, vRef, 0.1f, h[0], h[1], h[2] != 0);
        under(threads).sgdStep(wGot, g, vGot, 0.1f, h[0], h[1], h[2] != 0);
      }
      assertClose("sgd w " + java.util.Arrays.toString(h), wRef, wGot, 1e-6, 1e-5);
      if (vRef != null) {
        assertClose("sgd velocity", vRef, vGot, 1e-6, 1e-5);
      }
    }
    for (float wd : new float[] {0f, 1e-2f}) {
      Tensor wRef = randn(70, dims);
      Tensor wGot = wRef.copy();
      Tensor[] mv = {
        Tensor.zeros(dims), Tensor.zeros(dims), Tensor.zeros(dims), Tensor.zeros(dims)
      };
      for (int step = 1; step <= 3; step++) {
        Tensor g = randn(71 + step, dims);
        REF.adamStep(wRef, g, mv[0], mv[1], 1e-3f, 0.9f, 0.999f, 1e-8f, wd, step);
        under(threads).adamStep(wGot, g, mv[2], mv[3], 1e-3f, 0.9f, 0.999f, 1e-8f, wd, step);
      }
      assertClose("adam w wd=" + wd, wRef, wGot, 1e-6, 1e-5);
      assertClose("adam m", mv[0], mv[2], 1e-6, 1e-5);
      assertClose("adam v", mv[1], mv[3], 1e-7, 1e-5);
    }
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void badShapesAreRejectedNamingOpAndShapes(int threads) {
    Backend b = under(threads);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                b.binary(BinaryOp.ADD, Tensor.zeros(7, 33), Tensor.zeros(7), Tensor.zeros(7, 33)));
    assertTrue(
        e.getMessage().contains("[7, 33]") && e.getMessage().contains("[7]"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> b.sumTo(Tensor.zeros(7, 33), Tensor.zeros(7)));
    assertTrue(e.getMessage().startsWith("sumTo"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                b.matmul(
                    Tensor.zeros(7, 33),
                    false,
                    Tensor.zeros(7, 33),
                    false,
                    Tensor.zeros(7, 33),
                    1,
                    0));
    assertTrue(e.getMessage().startsWith("matmul"), e.getMessage());
    IntTensor bad = IntTensor.of(new int[] {0, 127}, 2);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> b.gather(Tensor.zeros(127), bad, Tensor.zeros(2)));
    assertTrue(e.getMessage().startsWith("gather") && e.getMessage().contains("127"));
  }

  /**
   * allFinite agrees with the scalar check: a NaN or an infinity anywhere (vector body or tail, any
   * length) is found, and large finite values whose sum overflows are not taken for infinities.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void allFiniteFindsEveryNonFiniteValue(int threads) {
    Backend be = under(threads);
    for (int n : new int[] {1, 7, 33, 127, 1000}) {
      Tensor t = Tensor.zeros(n);
      java.util.Arrays.fill(t.data(), Float.MAX_VALUE);
      t.data()[0] = -0f;
      assertTrue(be.allFinite(t), "n=" + n + " all finite, sum overflows");
      for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
        for (int at : new int[] {0, n / 2, n - 1}) {
          Tensor u = t.copy();
          u.data()[at] = bad;
          assertTrue(!be.allFinite(u), "n=" + n + " " + bad + " at " + at);
          assertEquals(u.allFinite(), be.allFinite(u));
        }
      }
    }
  }
}
