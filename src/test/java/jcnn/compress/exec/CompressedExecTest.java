package jcnn.compress.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jcnn.autograd.GradMode;
import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.backend.ConvSpec;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every execution form against the dense product of its own decoded weights: CSR (float values and
 * byte codes), dense codebook indices (8- and 4-bit), binary and ternary bit planes at M = 1 and M
 * &gt; 1 on odd shapes (tails of the 64-bit words and of the vectors), XNOR bit-exact on +-1
 * inputs, and the compressed conv and linear layers against F.conv2d / F.linear, with stride,
 * padding and groups. Tolerance |x - ref| &lt;= 4e-5 (1 + |ref|) for float sums in another order.
 */
class CompressedExecTest {
  private static final SplittableRandom RNG = new SplittableRandom(7);

  private static float[] gaussian(int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) RNG.nextGaussian();
    }
    return a;
  }

  /** Codes in [0, k) with a share {@code pruned} of -1. */
  private static int[] codes(int n, int k, double pruned) {
    int[] c = new int[n];
    for (int i = 0; i < n; i++) {
      c[i] = RNG.nextDouble() < pruned ? -1 : RNG.nextInt(k);
    }
    return c;
  }

  private static float[] signs(int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = RNG.nextBoolean() ? 1f : -1f;
    }
    return a;
  }

  /** Y [K, M] = W [K, C] B [C, M] in double. */
  private static float[] reference(float[] w, int k, int c, float[] b, int m) {
    float[] y = new float[k * m];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < m; j++) {
        double s = 0;
        for (int t = 0; t < c; t++) {
          s += (double) w[i * c + t] * b[t * m + j];
        }
        y[i * m + j] = (float) s;
      }
    }
    return y;
  }

  /**
   * got within 1e-5 of ref relative to the size of the sum: |got - ref| &lt;= 1e-5 (|ref| + mag),
   * mag the same sum over absolute values, sum |w| |x|. A tolerance relative to |ref| alone would
   * fail on any sum that cancels to near zero, whichever order it adds in.
   */
  private static void assertClose(float[] ref, float[] mag, float[] got, String what) {
    assertEquals(ref.length, got.length, what + ": lengths");
    for (int i = 0; i < ref.length; i++) {
      float tol = 1e-5f * (Math.abs(ref[i]) + mag[i]);
      assertTrue(
          Math.abs(ref[i] - got[i]) <= tol,
          what
              + ": at "
              + i
              + " ref "
              + ref[i]
              + " got "
              + got[i]
              + " (sum of |terms| "
              + mag[i]
              + ")");
    }
  }

  private static float[] abs(float[] a) {
    float[] b = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = Math.abs(a[i]);
    }
    return b;
  }

  /** W B through the form, rows split in two ranges as two threads would split them. */
  private static float[] product(WeightRows w, float[] b, int m) {
    float[] y = new float[w.rows() * m];
    int half = w.rows() / 2;
    w.multiply(0, half, b, 0, m, y, 0);
    w.multiply(half, w.rows(), b, 0, m, y, 0);
    return y;
  }

  private static void checkForm(WeightRows w, String what) {
    // 70 reaches the four-register blocks of 64 columns (16 lanes), 33 the one-register ones
    for (int m : new int[] {1, 7, 33, 70}) {
      float[] b = gaussian(w.cols() * m);
      assertClose(
          reference(w.dense(), w.rows(), w.cols(), b, m),
          reference(abs(w.dense()), w.rows(), w.cols(), abs(b), m),
          product(w, b, m),
          what + " m=" + m);
    }
  }

  @Test
  void sparseRowsMatchTheirDenseWeights() {
    int k = 7;
    int c = 127;
    float[] w = gaussian(k * c);
    for (int i = 0; i < w.length; i++) {
      w[i] = RNG.nextDouble() < 0.9 ? 0f : w[i];
    }
    java.util.Arrays.fill(w, 3 * c, 4 * c, 0f); // an empty row
    SparseRows f = SparseRows.of(w, k, c);
    assertArrayEquals(w, f.dense());
    checkForm(f, "csr float");
    float[] cb = gaussian(64);
    SparseRows coded = SparseRows.coded(codes(k * c, 64, 0.9), cb, k, c);
    checkForm(coded, "csr coded");
    assertTrue(coded.bytes() < 4L * k * c / 4, coded.bytes() + " bytes");
  }

  @Test
  void codedRowsMatchTheirDenseWeights() {
    for (int clusters : new int[] {15, 64}) {
      for (int c : new int[] {33, 64}) {
        CodedRows f = CodedRows.of(codes(5 * c, clusters, 0.3), gaussian(clusters), 5, c);
        checkForm(f, clusters + " clusters, " + c + " columns");
      }
    }
    assertThrows(
        IllegalArgumentException.class, () -> CodedRows.of(new int[4], new float[256], 2, 2));
  }

  @Test
  void bitRowsMatchTheirDenseWeights() {
    for (int c : new int[] {1, 63, 127, 256}) {
      float[] scales = {0.5f, 1.5f, 2f};
      float[] w = new float[3 * c];
      for (int i = 0; i < w.length; i++) {
        w[i] = (RNG.nextBoolean() ? 1 : -1) * scales[i / c];
      }
      BitRows b = BitRows.binary(w, scales, 3, c, 1);
      assertArrayEquals(w, b.dense());
      checkForm(b, "binary c=" + c);
      float[] t = new float[3 * c];
      for (int i = 0; i < t.length; i++) {
        int r = RNG.nextInt(3);
        t[i] = r == 0 ? 0f : r == 1 ? 0.75f : -0.25f;
      }
      BitRows tern = BitRows.ternary(t, 0.75f, 0.25f, 3, c, 1);
      assertArrayEquals(t, tern.dense());
      checkForm(tern, "ternary c=" + c);
    }
    float[] blocky = new float[2 * 9 * 70]; // 2 rows of 3x3 taps x 70 channels
    for (int i = 0; i < blocky.length; i++) {
      blocky[i] = RNG.nextBoolean() ? 1f : -1f;
    }
    checkForm(BitRows.binary(blocky, new float[] {1f}, 2, 70, 9), "binary, 9 blocks of 70");
    assertThrows(
        IllegalArgumentException.class,
        () -> BitRows.binary(new float[] {1f, 0.5f}, new float[] {1f}, 1, 2, 1));
  }

  @Test
  void xnorLinearIsBitExact() {
    int k = 9;
    int c = 200;
    float[] w = signs(k * c);
    BitRows b = BitRows.binary(w, new float[] {1f}, k, c, 1);
    float[] x = signs(3 * c);
    try (var g = GradMode.noGrad()) {
      CompressedLinear layer = new CompressedLinear(b, null);
      layer.eval();
      float[] got = layer.forward(Variable.constant(Tensor.of(x, 3, c))).value().data();
      float[] want =
          F.linear(
                  Variable.constant(Tensor.of(x, 3, c)),
                  Variable.constant(Tensor.of(w, k, c)),
                  null)
              .value()
              .data();
      assertArrayEquals(want, got); // integers: exact
    }
    assertTrue(Xnor.allSigns(x, 0, x.length));
    x[5] = 0.5f;
    assertTrue(!Xnor.allSigns(x, 0, x.length));
  }

  /** A conv weight [K, Cg, R, R] made of the given values, and its (r, s, c) form. */
  private static Variable convWeight(float[] w, int k, int cg, int r) {
    return Variable.constant(Tensor.of(w, k, cg, r, r));
  }

  private static float[] denseConv(
      float[] x, int[] xd, float[] w, int k, int r, ConvSpec s, float[] bias) {
    int cg = xd[1] / s.groups();
    Variable y =
        F.conv2d(
            Variable.constant(Tensor.of(x, xd)),
            convWeight(w, k, cg, r),
            bias == null ? null : Variable.constant(Tensor.of(bias, k)),
            s);
    return y.value().data();
  }

  private static float[] compressedConv(
      WeightRows rows, float[] x, int[] xd, int r, ConvSpec s, float[] bias) {
    CompressedConv2d layer =
        new CompressedConv2d(rows, bias, xd[1], r, s.strideH(), s.padH(), s.groups());
    layer.eval();
    return layer.forward(Variable.constant(Tensor.of(x, xd))).value().data();
  }

  @Test
  void compressedConvMatchesDenseConv() {
    int[] xd = {3, 4, 9, 7};
    int k = 8;
    for (int r : new int[] {1, 3, 5}) {
      for (int groups : new int[] {1, 2, 4}) { // 4: depthwise, one channel a group
        // strides 2 and 3 have 4 and 9 polyphase planes; pads 0-2 cut none, one, two columns off
        for (int stride : new int[] {1, 2, 3}) {
          for (int pad : new int[] {0, 1, 2}) {
            ConvSpec s = ConvSpec.of(stride, pad, groups);
            int cg = xd[1] / groups;
            float[] x = gaussian(xd[0] * xd[1] * xd[2] * xd[3]);
            float[] bias = gaussian(k);
            int[] cd = codes(k * cg * r * r, 16, 0.7);
            float[] cb = gaussian(16);
            float[] w = new float[cd.length];
            for (int i = 0; i < w.length; i++) {
              w[i] = cd[i] < 0 ? 0f : cb[cd[i]];
            }
            int[] rsc = Im2col.reorder(cd, k, cg, r * r);
            try (var g = GradMode.noGrad()) {
              float[] want = denseConv(x, xd, w, k, r, s, bias);
              float[] mag = denseConv(abs(x), xd, abs(w), k, r, s, abs(bias));
              String what = r + "x" + r + " groups " + groups + " stride " + stride + " pad " + pad;
              assertClose(
                  want,
                  mag,
                  compressedConv(SparseRows.coded(rsc, cb, k, cg * r * r), x, xd, r, s, bias),
                  "csr " + what);
              assertClose(
                  want,
                  mag,
                  compressedConv(CodedRows.of(rsc, cb, k, cg * r * r), x, xd, r, s, bias),
                  "coded " + what);
            }
          }
        }
      }
    }
  }

  @Test
  void binaryConvOnSignsIsXnorAndBitExact() {
    int[] xd = {2, 70, 5, 6}; // 70 channels: two words per pixel, the second partly used
    int k = 5;
    int r = 3;
    float[] w = signs(k * 70 * r * r);
    float[] x = signs(xd[0] * xd[1] * xd[2] * xd[3]);
    BitRows b = BitRows.binary(Im2col.reorder(w, k, 70, r * r), new float[] {1f}, k, 70, r * r);
    for (int stride : new int[] {1, 2}) {
      ConvSpec s = ConvSpec.of(stride, 1, 1);
      try (var g = GradMode.noGrad()) {
        assertArrayEquals(denseConv(x, xd, w, k, r, s, null), compressedConv(b, x, xd, r, s, null));
        float[] real = gaussian(x.length); // not +-1: the real-input path
        assertClose(
            denseConv(real, xd, w, k, r, s, null),
            denseConv(abs(real), xd, abs(w), k, r, s, null),
            compressedConv(b, real, xd, r, s, null),
            "binary real input");
      }
    }
  }

  @Test
  void ternaryLinearMatchesDense() {
    int k = 11;
    int c = 300;
    float[] t = new float[k * c];
    for (int i = 0; i < t.length; i++) {
      int v = RNG.nextInt(3);
      t[i] = v == 0 ? 0f : v == 1 ? 0.3f : -0.4f;
    }
    BitRows tern = BitRows.ternary(t, 0.3f, 0.4f, k, c, 1);
    float[] bias = gaussian(k);
    for (int n : new int[] {1, 4, 37}) { // 37 x 300: transposed in 32 x 32 tiles and their ends
      float[] x = gaussian(n * c);
      try (var g = GradMode.noGrad()) {
        CompressedLinear layer = new CompressedLinear(tern, bias);
        layer.eval();
        float[] got = layer.forward(Variable.constant(Tensor.of(x, n, c))).value().data();
        float[] want =
            F.linear(
                    Variable.constant(Tensor.of(x, n, c)),
                    Variable.constant(Tensor.of(t, k, c)),
                    Variable.constant(Tensor.of(bias, k)))
                .value()
                .data();
        float[] mag =
            F.linear(
                    Variable.constant(Tensor.of(abs(x), n, c)),
                    Variable.constant(Tensor.of(abs(t), k, c)),
                    Variable.constant(Tensor.of(abs(bias), k)))
                .value()
                .data();
        assertClose(want, mag, got, "ternary linear n=" + n);
      }
    }
  }

  @Test
  void layersRefuseTrainingModeAndBadShapes() {
    CompressedLinear layer =
        new CompressedLinear(SparseRows.of(new float[] {1, 0, 0, 2}, 2, 2), null);
    Variable x = Variable.constant(Tensor.zeros(1, 2));
    assertThrows(IllegalStateException.class, () -> layer.forward(x)); // a new module trains
    layer.eval();
    assertThrows(
        IllegalArgumentException.class, () -> layer.forward(Variable.constant(Tensor.zeros(1, 3))));
    assertThrows(
        IllegalArgumentException.class,
        () -> new CompressedLinear(SparseRows.of(new float[4], 2, 2), new float[3]));
  }
}
