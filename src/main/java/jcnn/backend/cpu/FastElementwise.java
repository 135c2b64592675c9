package jcnn.backend.cpu;

import static jcnn.backend.cpu.FastReduce.F;

import java.util.Arrays;
import jcnn.backend.BinaryOp;
import jcnn.backend.Checks;
import jcnn.backend.UnaryOp;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Fast elementwise ops: broadcast binary, unary and its backward, axpby. Each op switches on its
 * operator once per run of elements, and the run is a plain indexed loop that C2's superword pass
 * turns into AVX code; only the compare-and-select ops (relu, sign and the clipped derivatives) use
 * explicit {@link FloatVector} masks, because C2 does not vectorise a float conditional. All are
 * memory-bound, so threads split the flat index range in chunks of {@link #CHEAP} elements (the
 * transcendental ones in smaller chunks). Tested against the reference in CpuBackendParityTest.
 */
final class FastElementwise {
  /** Elements per task for loops that cost a few cycles per element. */
  static final int CHEAP = 1 << 15;

  /** Elements per task for loops calling exp, log or tanh. */
  static final int COSTLY = 1 << 11;

  private FastElementwise() {}

  static void binary(Parallel par, BinaryOp op, Tensor a, Tensor b, Tensor out) {
    String name = "binary " + op.name().toLowerCase(java.util.Locale.ROOT);
    Shape s = Shape.broadcast(name, a.shape(), b.shape());
    Checks.shape(name, "out", out, s);
    FastBroadcast loop = FastBroadcast.of(s, a.shape(), b.shape());
    float[] ad = a.data();
    float[] bd = b.data();
    float[] od = out.data();
    par.forRange(s.numel(), CHEAP, (from, to) -> binaryRange(op, loop, ad, bd, od, from, to));
  }

  /** out[from, to) of the broadcast op, split into pieces of the innermost merged dim. */
  private static void binaryRange(
      BinaryOp op, FastBroadcast loop, float[] a, float[] b, float[] out, int from, int to) {
    int last = loop.dims.length - 1;
    int inner = loop.dims[last];
    int sa = loop.strideA[last];
    int sb = loop.strideB[last];
    for (int pos = from; pos < to; ) {
      int row = pos / inner;
      int j = pos - row * inner;
      int len = Math.min(inner - j, to - pos);
      int ao = loop.rowOffsetA(row) + j * sa;
      int bo = loop.rowOffsetB(row) + j * sb;
      if (sa == 1 && sb == 1) {
        binaryRun(op, a, ao, b, bo, out, pos, len);
      } else if (sa == 1) {
        binaryRunScalarB(op, a, ao, b[bo], out, pos, len);
      } else if (sb == 1) {
        binaryRunScalarA(op, a[ao], b, bo, out, pos, len);
      } else {
        Arrays.fill(out, pos, pos + len, op.apply(a[ao], b[bo]));
      }
      pos += len;
    }
  }

  private static void binaryRun(
      BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i];
      }
      case SUB -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i];
      }
      case MUL -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i];
      }
      case DIV -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i];
      }
    }
  }

  private static void binaryRunScalarB(
      BinaryOp op, float[] a, int ao, float bv, float[] o, int oo, int n) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + bv;
      }
      case SUB -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - bv;
      }
      case MUL -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * bv;
      }
      case DIV -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / bv;
      }
    }
  }

  private static void binaryRunScalarA(
      BinaryOp op, float av, float[] b, int bo, float[] o, int oo, int n) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) o[oo + i] = av + b[bo + i];
      }
      case SUB -> {
        for (int i = 0; i < n; i++) o[oo + i] = av - b[bo + i];
      }
      case MUL -> {
        for (int i = 0; i < n; i++) o[oo + i] = av * b[bo + i];
      }
      case DIV -> {
        for (int i = 0; i < n; i++) o[oo + i] = av / b[bo + i];
      }
    }
  }

  static void unary(Parallel par, UnaryOp op, Tensor x, Tensor out) {
    Checks.sameShape("unary " + op.opName(), x, out);
    float[] xd = x.data();
    float[] od = out.data();
    par.forRange(x.numel(), chunk(op), (from, to) -> unaryRange(op, xd, od, from, to));
  }

  private static int chunk(UnaryOp op) {
    return switch (op) {
      case SIGMOID, TANH, EXP, LOG -> COSTLY;
      default -> CHEAP;
    };
  }

  private static void unaryRange(UnaryOp op, float[] x, float[] o, int from, int to) {
    switch (op) {
      case RELU -> relu(x, o, from, to);
      case RELU6 -> clamp(x, o, from, to, 0f, 6f);
      case HARDTANH -> clamp(x, o, from, to, -1f, 1f);
      case SIGN -> sign(x, o, from, to);
      case SIGMOID -> {
        for (int i = from; i < to; i++) o[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
      }
      case TANH -> {
        for (int i = from; i < to; i++) o[i] = (float) Math.tanh(x[i]);
      }
      case EXP -> {
        for (int i = from; i < to; i++) o[i] = (float) Math.exp(x[i]);
      }
      case LOG -> {
        for (int i = from; i < to; i++) o[i] = (float) Math.log(x[i]);
      }
      case NEG -> {
        for (int i = from; i < to; i++) o[i] = -x[i];
      }
      case SQUARE -> {
        for (int i = from; i < to; i++) o[i] = x[i] * x[i];
      }
    }
  }

  /** x > 0 ? x : 0, NaN giving 0 like the reference. */
  private static void relu(float[] x, float[] o, int from, int to) {
    int i = from;
    FloatVector zero = FloatVector.zero(F);
    for (; i <= to - F.length(); i += F.length()) {
      FloatVector v = FloatVector.fromArray(F, x, i);
      zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(o, i);
    }
    for (; i < to; i++) {
      o[i] = x[i] > 0 ? x[i] : 0f;
    }
  }

  /** min(max(x, lo), hi); Math.max and Math.min keep NaN, as the reference does. */
  private static void clamp(float[] x, float[] o, int from, int to, float lo, float hi) {
    for (int i = from; i < to; i++) {
      o[i] = Math.min(Math.max(x[i], lo), hi);
    }
  }

  /** +1 where x >= 0, else -1 (NaN included). */
  private static void sign(float[] x, float[] o, int from, int to) {
    int i = from;
    FloatVector minus = FloatVector.broadcast(F, -1f);
    for (; i <= to - F.length(); i += F.length()) {
      FloatVector v = FloatVector.fromArray(F, x, i);
      minus.blend(1f, v.compare(VectorOperators.GE, 0f)).intoArray(o, i);
    }
    for (; i < to; i++) {
      o[i] = x[i] >= 0 ? 1f : -1f;
    }
  }

  static void unaryBackward(Parallel par, UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
    String name = "unaryBackward " + op.opName();
    Checks.sameShape(name, x, y);
    Checks.sameShape(name, x, gy);
    Checks.sameShape(name, x, gx);
    float[] xd = x.data();
    float[] yd = y.data();
    float[] gyd = gy.data();
    float[] gxd = gx.data();
    par.forRange(x.numel(), CHEAP, (from, to) -> backwardRange(op, xd, yd, gyd, gxd, from, to));
  }

  private static void backwardRange(
      UnaryOp op, float[] x, float[] y, float[] gy, float[] gx, int from, int to) {
    switch (op) {
      case RELU -> passWhere(x, gy, gx, from, to, 0f, Float.POSITIVE_INFINITY, false);
      case RELU6 -> passWhere(x, gy, gx, from, to, 0f, 6f, false);
      case HARDTANH -> passWhere(x, gy, gx, from, to, -1f, 1f, false);
      case SIGN -> passWhere(x, gy, gx, from, to, -1f, 1f, true);
      case SIGMOID -> {
        for (int i = from; i < to; i++) gx[i] = gy[i] * (y[i] * (1f - y[i]));
      }
      case TANH -> {
        for (int i = from; i < to; i++) gx[i] = gy[i] * (1f - y[i] * y[i]);
      }
      case EXP -> {
        for (int i = from; i < to; i++) gx[i] = gy[i] * y[i];
      }
      case LOG -> {
        for (int i = from; i < to; i++) gx[i] = gy[i] / x[i];
      }
      case NEG -> {
        for (int i = from; i < to; i++) gx[i] = -gy[i];
      }
      case SQUARE -> {
        for (int i = from; i < to; i++) gx[i] = gy[i] * (2f * x[i]);
      }
    }
  }

  /**
   * gx = gy where x lies in (lo, hi), or [lo, hi] when closed, else 0: the derivative of the
   * clipped ops (relu, relu6, hardtanh) and the straight-through estimator of sign.
   */
  private static void passWhere(
      float[] x, float[] gy, float[] gx, int from, int to, float lo, float hi, boolean closed) {
    FloatVector zero = FloatVector.zero(F);
    int i = from;
    if (closed) {
      for (; i <= to - F.length(); i += F.length()) {
        FloatVector v = FloatVector.fromArray(F, x, i);
        VectorMask<Float> in =
            v.compare(VectorOperators.GE, lo).and(v.compare(VectorOperators.LE, hi));
        zero.blend(FloatVector.fromArray(F, gy, i), in).intoArray(gx, i);
      }
    } else {
      for (; i <= to - F.length(); i += F.length()) {
        FloatVector v = FloatVector.fromArray(F, x, i);
        VectorMask<Float> in =
            v.compare(VectorOperators.GT, lo).and(v.compare(VectorOperators.LT, hi));
        zero.blend(FloatVector.fromArray(F, gy, i), in).intoArray(gx, i);
      }
    }
    for (; i < to; i++) {
      boolean in = closed ? x[i] >= lo && x[i] <= hi : x[i] > lo && x[i] < hi;
      gx[i] = in ? gy[i] : 0f;
    }
  }

  static void axpby(Parallel par, float alpha, Tensor x, float beta, Tensor y) {
    Checks.sameSize("axpby", x, y);
    float[] xd = x.data();
    float[] yd = y.data();
    par.forRange(
        x.numel(),
        CHEAP,
        (from, to) -> {
          if (beta == 0) {
            for (int i = from; i < to; i++) yd[i] = alpha * xd[i];
          } else {
            for (int i = from; i < to; i++) yd[i] = alpha * xd[i] + beta * yd[i];
          }
        });
  }
}
