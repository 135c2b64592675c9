package jcnn.backend.cpu;

import static jcnn.backend.cpu.RefAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcnn.backend.Backend;
import jcnn.backend.BinaryOp;
import jcnn.backend.UnaryOp;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases for the reference backend's elementwise ops, broadcasting, sumTo, matmul,
 * gather / scatter-add, concat / split and the dropout mask. Convolution, pooling, batch norm, the
 * loss and the optimizers have their own test classes; shape rejections are in {@code
 * ReferenceBackendRejectsTest}.
 */
class ReferenceBackendTest {
  private final Backend ref = new ReferenceBackend();

  @Test
  void nameIsReference() {
    assertEquals("reference", ref.name());
  }

  @Test
  void addBroadcastsRowVector() {
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor b = Tensor.of(new float[] {10, 20, 30}, 3);
    Tensor out = Tensor.zeros(2, 3);
    ref.binary(BinaryOp.ADD, a, b, out);
    assertClose(new double[] {11, 22, 33, 14, 25, 36}, out.data());
  }

  @Test
  void addBroadcastsBothOperands() {
    // [2, 1, 4] + [3, 1] -> [2, 3, 4]: out[i, j, l] = a[i, 0, l] + b[j, 0]
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 1, 4);
    Tensor b = Tensor.of(new float[] {100, 200, 300}, 3, 1);
    Tensor out = Tensor.zeros(2, 3, 4);
    ref.binary(BinaryOp.ADD, a, b, out);
    double[] expected = new double[24];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int l = 0; l < 4; l++) {
          expected[(i * 3 + j) * 4 + l] = (i * 4 + l + 1) + 100 * (j + 1);
        }
      }
    }
    assertClose(expected, out.data());
  }

  @Test
  void subMulDivWithColumnAndScalar() {
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor col = Tensor.of(new float[] {1, 2}, 2, 1);
    Tensor out = Tensor.zeros(2, 3);
    ref.binary(BinaryOp.SUB, a, col, out);
    assertClose(new double[] {0, 1, 2, 2, 3, 4}, out.data());
    ref.binary(BinaryOp.MUL, Tensor.scalar(3), a, out);
    assertClose(new double[] {3, 6, 9, 12, 15, 18}, out.data());
    ref.binary(BinaryOp.DIV, a, col, out);
    assertClose(new double[] {1, 2, 3, 2, 2.5, 3}, out.data());
  }

  @Test
  void unaryOpsAndInPlace() {
    Tensor x = Tensor.of(new float[] {-2, -0.5f, 0, 3, 7}, 5);
    Tensor out = Tensor.zeros(5);
    ref.unary(UnaryOp.RELU6, x, out);
    assertClose(new double[] {0, 0, 0, 3, 6}, out.data());
    ref.unary(UnaryOp.SIGN, x, out);
    assertClose(new double[] {-1, -1, 1, 1, 1}, out.data());
    ref.unary(UnaryOp.SQUARE, x, x); // out may be x itself
    assertClose(new double[] {4, 0.25, 0, 9, 49}, x.data());
  }

  @Test
  void unaryBackwardUsesInputOrOutput() {
    Tensor x = Tensor.of(new float[] {-2, -0.5f, 0.5f, 3}, 4);
    Tensor gy = Tensor.of(new float[] {1, 2, 3, 4}, 4);
    Tensor y = Tensor.zeros(4);
    Tensor gx = Tensor.zeros(4);
    ref.unary(UnaryOp.RELU, x, y);
    ref.unaryBackward(UnaryOp.RELU, x, y, gy, gx);
    assertClose(new double[] {0, 0, 3, 4}, gx.data());
    ref.unary(UnaryOp.SIGN, x, y);
    ref.unaryBackward(UnaryOp.SIGN, x, y, gy, gx); // straight-through where |x| <= 1
    assertClose(new double[] {0, 2, 3, 0}, gx.data());
    ref.unary(UnaryOp.SIGMOID, x, y);
    ref.unaryBackward(UnaryOp.SIGMOID, x, y, gy, gx);
    double[] expected = new double[4];
    for (int i = 0; i < 4; i++) {
      double s = 1 / (1 + Math.exp(-x.data()[i]));
      expected[i] = gy.data()[i] * s * (1 - s);
    }
    assertClose(expected, gx.data(), 1e-6, 1e-5);
  }

  @Test
  void axpbyWithBetaZeroIgnoresOldValues() {
    Tensor x = Tensor.of(new float[] {1, 2, 3}, 3);
    Tensor y = Tensor.of(new float[] {Float.NaN, 1, 1}, 3);
    ref.axpby(2, x, 0, y);
    assertClose(new double[] {2, 4, 6}, y.data());
    ref.axpby(1, x, 0.5f, y);
    assertClose(new double[] {2, 4, 6}, y.data());
  }

  @Test
  void sumToReversesBroadcasting() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor cols = Tensor.zeros(3);
    ref.sumTo(x, cols);
    assertClose(new double[] {5, 7, 9}, cols.data());
    Tensor rows = Tensor.zeros(2, 1);
    ref.sumTo(x, rows);
    assertClose(new double[] {6, 15}, rows.data());
    Tensor total = Tensor.scalar(-1);
    ref.sumTo(x, total);
    assertClose(new double[] {21}, total.data());
    Tensor oneOne = Tensor.zeros(1, 1);
    ref.sumTo(Tensor.of(new float[] {1, 2, 3}, 3), oneOne); // higher rank, one element
    assertClose(new double[] {6}, oneOne.data());
  }

  @Test
  void sumToMiddleAxisOfRank3() {
    // [2, 3, 4] -> [3, 1]: out[j] = sum over i, l of x[i, j, l], with x[i, j, l] = i*12 + j*4 + l
    Tensor x = Tensor.zeros(2, 3, 4);
    for (int i = 0; i < 24; i++) {
      x.data()[i] = i;
    }
    Tensor out = Tensor.zeros(3, 1);
    ref.sumTo(x, out);
    double[] expected = new double[3];
    for (int j = 0; j < 3; j++) {
      for (int i = 0; i < 2; i++) {
        for (int l = 0; l < 4; l++) {
          expected[j] += i * 12 + j * 4 + l;
        }
      }
    }
    assertClose(expected, out.data());
  }

  @Test
  void matmulAllTransposes() {
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor aT = Tensor.of(new float[] {1, 4, 2, 5, 3, 6}, 3, 2);
    Tensor b = Tensor.of(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
    Tensor bT = Tensor.of(new float[] {7, 9, 11, 8, 10, 12}, 2, 3);
    double[] ab = {58, 64, 139, 154};
    Tensor c = Tensor.full(Float.NaN, 2, 2);
    ref.matmul(a, false, b, false, c, 1, 0);
    assertClose(ab, c.data());
    ref.matmul(aT, true, bT, true, c, 1, 0);
    assertClose(ab, c.data());
    ref.matmul(aT, true, b, false, c, 1, 0);
    assertClose(ab, c.data());
    c.fill(1);
    ref.matmul(a, false, bT, true, c, 2, 3); // 2 * ab + 3 * 1
    assertClose(new double[] {119, 131, 281, 311}, c.data());
  }

  @Test
  void gatherAndScatterAddWithRepeatedIndices() {
    Tensor table = Tensor.of(new float[] {10, 20, 30, 40}, 4);
    IntTensor idx = IntTensor.of(new int[] {3, 0, 3, 1}, 2, 2);
    Tensor out = Tensor.zeros(2, 2);
    ref.gather(table, idx, out);
    assertClose(new double[] {40, 10, 40, 20}, out.data());
    Tensor src = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    Tensor acc = Tensor.full(1, 4);
    ref.scatterAdd(src, idx, acc); // accumulates: index 3 receives 1 + 3
    assertClose(new double[] {1 + 2, 1 + 4, 1, 1 + 1 + 3}, acc.data());
  }

  @Test
  void concatAndSplitAlongEachAxis() {
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 1, 2);
    Tensor b = Tensor.of(new float[] {5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 2);
    Tensor mid = Tensor.zeros(2, 3, 2);
    ref.concat(new Tensor[] {a, b}, 1, mid);
    assertClose(new double[] {1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12}, mid.data());
    Tensor first = Tensor.zeros(4, 1, 2);
    ref.concat(new Tensor[] {a, a}, 0, first);
    assertClose(new double[] {1, 2, 3, 4, 1, 2, 3, 4}, first.data());
    Tensor last = Tensor.zeros(2, 1, 4);
    ref.concat(new Tensor[] {a, a}, 2, last);
    assertClose(new double[] {1, 2, 1, 2, 3, 4, 3, 4}, last.data());

    Tensor a2 = Tensor.zeros(2, 1, 2);
    Tensor b2 = Tensor.zeros(2, 2, 2);
    ref.split(mid, 1, new Tensor[] {a2, b2});
    assertArrayEquals(a.data(), a2.data());
    assertArrayEquals(b.data(), b2.data());
  }

  @Test
  void dropoutHashIsSplitMix64() {
    // The first two outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
    assertEquals(0xE220A8397B1DCDAFL, DropoutHash.mix64(0x9E3779B97F4A7C15L));
    assertEquals(0x6E789E6AA1B965F4L, DropoutHash.mix64(2 * 0x9E3779B97F4A7C15L));
    // u_i for seed 42, from an independent Python implementation of the same formula.
    assertEquals(0.6537157297134399, DropoutHash.uniform(42, 0), 0);
    assertEquals(0.1599103808403015, DropoutHash.uniform(42, 2), 0);
  }

  @Test
  void dropoutMaskFollowsTheHash() {
    // u = 0.654, 0.742, 0.160, 0.279, 0.344, 0.038 for seed 42: kept iff u >= 0.3
    Tensor mask = Tensor.zeros(6);
    ref.dropoutMask(42, 0.3f, mask);
    float k = (float) (1 / 0.7);
    assertArrayEquals(new float[] {k, k, 0, 0, k, 0}, mask.data());
  }

  @Test
  void dropoutMaskFractionAndDeterminism() {
    float p = 0.3f;
    Tensor mask = Tensor.zeros(100, 100);
    ref.dropoutMask(7, p, mask);
    int dropped = 0;
    double sum = 0;
    for (float v : mask.data()) {
      assertTrue(v == 0 || v == (float) (1 / (1 - (double) p)), "mask value " + v);
      dropped += v == 0 ? 1 : 0;
      sum += v;
    }
    // Binomial(10000, 0.3): standard deviation 0.0046, so 0.02 is more than 4 sigma.
    assertEquals(p, dropped / 1e4, 0.02);
    assertEquals(1.0, sum / 1e4, 0.03); // inverted dropout keeps the mean
    Tensor again = Tensor.zeros(100, 100);
    ref.dropoutMask(7, p, again);
    assertArrayEquals(mask.data(), again.data());
    Tensor prefix = Tensor.zeros(10); // element i depends on (seed, i) only, not on the shape
    ref.dropoutMask(7, p, prefix);
    for (int i = 0; i < 10; i++) {
      assertEquals(mask.data()[i], prefix.data()[i]);
    }
    ref.dropoutMask(8, p, again);
    assertFalse(java.util.Arrays.equals(mask.data(), again.data()));
  }

  @Test
  void dropoutMaskExtremes() {
    Tensor mask = Tensor.zeros(50);
    ref.dropoutMask(1, 0, mask);
    for (float v : mask.data()) {
      assertEquals(1f, v);
    }
    ref.dropoutMask(1, 1, mask);
    for (float v : mask.data()) {
      assertEquals(0f, v);
    }
  }
}
