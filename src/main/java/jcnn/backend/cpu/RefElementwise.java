package jcnn.backend.cpu;

import jcnn.backend.BinaryOp;
import jcnn.backend.Checks;
import jcnn.backend.UnaryOp;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Reference elementwise ops, broadcasting, its reverse (sumTo) and the plain triple-loop matmul.
 * Every value is computed in double and rounded to float once, on store.
 *
 * <p>Broadcasting (NumPy rules): shapes are aligned from the right and a dim of 1 repeats. We walk
 * the output (or, for sumTo, the input) in row-major order and find the matching element of the
 * other tensor through "broadcast strides": its usual row-major strides, with 0 wherever its dim is
 * 1 or missing, so the same element is read (or written) again along that dim.
 *
 * <p>Tested by {@code ReferenceBackendTest} against hand-computed values.
 */
final class RefElementwise {
  private RefElementwise() {}

  static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
    String name = op.name().toLowerCase(java.util.Locale.ROOT);
    Shape expected = Shape.broadcast(name, a.shape(), b.shape());
    RefChecks.shape(name, "out", out, expected, "for " + a.shape() + " and " + b.shape());
    int rank = expected.rank();
    int[] dims = expected.dims();
    int[] aStrides = broadcastStrides(a.shape(), rank);
    int[] bStrides = broadcastStrides(b.shape(), rank);
    float[] ad = a.data();
    float[] bd = b.data();
    float[] od = out.data();
    int[] coord = new int[rank]; // row-major position in out
    for (int o = 0; o < out.numel(); o++) {
      double va = ad[offset(coord, aStrides)];
      double vb = bd[offset(coord, bStrides)];
      od[o] = (float) op.apply(va, vb);
      increment(coord, dims);
    }
  }

  static void unary(UnaryOp op, Tensor x, Tensor out) {
    Checks.sameShape(op.opName(), x, out);
    float[] xd = x.data();
    float[] od = out.data();
    for (int i = 0; i < x.numel(); i++) {
      od[i] = (float) op.apply(xd[i]);
    }
  }

  static void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
    String name = op.opName() + "Backward";
    RefChecks.shape(name, "y", y, x.shape(), "like x " + x.shape());
    RefChecks.shape(name, "gy", gy, x.shape(), "like x " + x.shape());
    RefChecks.shape(name, "gx", gx, x.shape(), "like x " + x.shape());
    float[] xd = x.data();
    float[] yd = y.data();
    float[] gyd = gy.data();
    float[] gxd = gx.data();
    for (int i = 0; i < x.numel(); i++) {
      gxd[i] = (float) (gyd[i] * op.derivative(xd[i], yd[i]));
    }
  }

  static void axpby(float alpha, Tensor x, float beta, Tensor y) {
    Checks.sameSize("axpby", x, y);
    float[] xd = x.data();
    float[] yd = y.data();
    for (int i = 0; i < y.numel(); i++) {
      // beta == 0 must ignore y entirely: 0 * NaN would be NaN.
      double old = beta == 0 ? 0 : (double) beta * yd[i];
      yd[i] = (float) ((double) alpha * xd[i] + old);
    }
  }

  static void sumTo(Tensor x, Tensor out) {
    double[] acc = new double[out.numel()];
    if (out.numel() == 1) {
      // The total; also covers an out of higher rank than x such as [1, 1].
      for (int i = 0; i < x.numel(); i++) {
        acc[0] += x.data()[i];
      }
    } else {
      Checks.sumToDims(x, out);
      int rank = x.rank();
      int[] dims = x.shape().dims();
      int[] outStrides = broadcastStrides(out.shape(), rank);
      int[] coord = new int[rank]; // row-major position in x
      for (int i = 0; i < x.numel(); i++) {
        acc[offset(coord, outStrides)] += x.data()[i];
        increment(coord, dims);
      }
    }
    for (int o = 0; o < acc.length; o++) {
      out.data()[o] = (float) acc[o];
    }
  }

  /** c = alpha * op(a) * op(b) + beta * c, one double dot product per element of c. */
  static void matmul(
      Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, float alpha, float beta) {
    int[] mnk = Checks.matmulDims(a, transA, b, transB, c);
    int m = mnk[0];
    int n = mnk[1];
    int k = mnk[2];
    int aCols = a.dim(1);
    int bCols = b.dim(1);
    float[] ad = a.data();
    float[] bd = b.data();
    float[] cd = c.data();
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double dot = 0;
        for (int l = 0; l < k; l++) {
          float aij = transA ? ad[l * aCols + i] : ad[i * aCols + l]; // op(a)[i, l]
          float blj = transB ? bd[j * bCols + l] : bd[l * bCols + j]; // op(b)[l, j]
          dot += (double) aij * blj;
        }
        double old = beta == 0 ? 0 : (double) beta * cd[i * n + j];
        cd[i * n + j] = (float) (alpha * dot + old);
      }
    }
  }

  /** Row-major strides of {@code s} left-padded to {@code rank}, 0 where a dim is 1 (repeated). */
  static int[] broadcastStrides(Shape s, int rank) {
    int[] dims = s.padTo(rank);
    int[] strides = new int[rank];
    int acc = 1;
    for (int i = rank - 1; i >= 0; i--) {
      strides[i] = dims[i] == 1 ? 0 : acc;
      acc *= dims[i];
    }
    return strides;
  }

  private static int offset(int[] coord, int[] strides) {
    int off = 0;
    for (int i = 0; i < coord.length; i++) {
      off += coord[i] * strides[i];
    }
    return off;
  }

  /** Advances a row-major coordinate by one element (an odometer: the last dim turns fastest). */
  private static void increment(int[] coord, int[] dims) {
    for (int i = coord.length - 1; i >= 0; i--) {
      if (++coord[i] < dims[i]) {
        return;
      }
      coord[i] = 0;
    }
  }
}
