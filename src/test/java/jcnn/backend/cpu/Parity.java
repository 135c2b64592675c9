package jcnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import jcnn.backend.Backend;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Shared pieces of the fast-CPU parity tests: the reference oracle, one fast backend per thread
 * count (thread pools are reused across tests), and closeness assertions that print the first
 * mismatches with their coordinates.
 */
final class Parity {
  static final Backend REF = new ReferenceBackend();
  private static final CpuBackend[] FAST = {new CpuBackend(1), new CpuBackend(2)};

  private Parity() {}

  /** The fast backend with {@code threads} threads (1 or 2). */
  static CpuBackend fast(int threads) {
    return FAST[threads - 1];
  }

  static Tensor randn(long seed, int... dims) {
    return Tensor.randn(seed, 1f, dims);
  }

  /** |got - ref| <= atol + rtol * |ref| everywhere (NaN matches NaN), else fails listing 8. */
  static void assertClose(String what, Tensor ref, Tensor got, double atol, double rtol) {
    assertClose(what, ref, got, i -> atol, rtol, String.format("%.1g", atol));
  }

  /** The same with an absolute tolerance per element, {@code atol.applyAsDouble(flat index)}. */
  static void assertClose(
      String what, Tensor ref, Tensor got, IntToDoubleFunction atol, double rtol, String atolText) {
    assertEquals(ref.shape(), got.shape(), what + ": shape");
    float[] r = ref.data();
    float[] g = got.data();
    StringBuilder bad = new StringBuilder();
    int count = 0;
    double worst = 0;
    for (int i = 0; i < ref.numel(); i++) {
      double err = Math.abs((double) g[i] - r[i]);
      boolean same = Float.compare(r[i], g[i]) == 0 || (Float.isNaN(r[i]) && Float.isNaN(g[i]));
      if (!same && !(err <= atol.applyAsDouble(i) + rtol * Math.abs(r[i]))) {
        if (++count <= 8) {
          bad.append(String.format("%n  at %s ref %.8g got %.8g", at(ref.shape(), i), r[i], g[i]));
        }
        worst = Math.max(worst, err);
      }
    }
    if (count > 0) {
      fail(
          String.format(
              "%s: %d of %d values of %s differ beyond %s + %.1g*|ref| (worst error %.3g):%s",
              what, count, ref.numel(), ref.shape(), atolText, rtol, worst, bad));
    }
  }

  static void assertSame(String what, IntTensor ref, IntTensor got) {
    assertEquals(ref.shape(), got.shape(), what + ": shape");
    for (int i = 0; i < ref.numel(); i++) {
      if (ref.data()[i] != got.data()[i]) {
        fail(
            what
                + ": first difference at "
                + i
                + " of "
                + ref.shape()
                + ": ref "
                + ref.data()[i]
                + " got "
                + got.data()[i]);
      }
    }
  }

  /** The coordinate of flat index i in shape s, e.g. [0, 3, 1, 2]. */
  private static String at(Shape s, int i) {
    int[] c = new int[s.rank()];
    for (int d = s.rank() - 1; d >= 0; d--) {
      c[d] = i % s.dim(d);
      i /= s.dim(d);
    }
    return Arrays.toString(c);
  }
}
