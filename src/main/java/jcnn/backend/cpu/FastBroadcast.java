package jcnn.backend.cpu;

import jcnn.tensor.Shape;

/**
 * The loop nest of a NumPy-broadcast binary op, simplified so the innermost loop is as long as
 * possible: output dims of size 1 are dropped and neighbouring dims are merged wherever both
 * operands stay contiguous across them (or stay broadcast across both). [N, C, H, W] + [1, C, 1, 1]
 * becomes the three dims [N, C, H*W] with b's strides [0, 1, 0], so the inner loop adds one scalar
 * to a whole plane. Used by {@link FastElementwise#binary}; tested through CpuBackendParityTest.
 */
final class FastBroadcast {
  /** Merged output dims, outermost first; never empty, no dim of size 1 unless the only one. */
  final int[] dims;

  /** Element strides of a and b along each merged dim; 0 where that operand is broadcast. */
  final int[] strideA;

  final int[] strideB;

  private FastBroadcast(int[] dims, int[] strideA, int[] strideB) {
    this.dims = dims;
    this.strideA = strideA;
    this.strideB = strideB;
  }

  /** The merged loop nest for out = a (op) b; out must already be the broadcast of a and b. */
  static FastBroadcast of(Shape out, Shape a, Shape b) {
    int rank = out.rank();
    int[] od = out.dims();
    int[] sa = broadcastStrides(a.padTo(rank), od);
    int[] sb = broadcastStrides(b.padTo(rank), od);
    int[] dims = new int[Math.max(1, rank)];
    int[] ma = new int[dims.length];
    int[] mb = new int[dims.length];
    int m = 0;
    for (int i = 0; i < rank; i++) {
      if (od[i] == 1) {
        continue;
      }
      boolean merge = m > 0 && ma[m - 1] == sa[i] * od[i] && mb[m - 1] == sb[i] * od[i];
      if (merge) {
        dims[m - 1] *= od[i];
        ma[m - 1] = sa[i];
        mb[m - 1] = sb[i];
      } else {
        dims[m] = od[i];
        ma[m] = sa[i];
        mb[m] = sb[i];
        m++;
      }
    }
    if (m == 0) {
      // Every dim is 1: one element, both operands read at offset 0.
      return new FastBroadcast(new int[] {1}, new int[] {0}, new int[] {0});
    }
    return new FastBroadcast(
        java.util.Arrays.copyOf(dims, m),
        java.util.Arrays.copyOf(ma, m),
        java.util.Arrays.copyOf(mb, m));
  }

  /** Row-major strides of an operand with dims {@code d}, 0 where it is broadcast along out. */
  private static int[] broadcastStrides(int[] d, int[] od) {
    int[] s = new int[d.length];
    int acc = 1;
    for (int i = d.length - 1; i >= 0; i--) {
      s[i] = d[i] == 1 && od[i] != 1 ? 0 : acc;
      acc *= d[i];
    }
    return s;
  }

  /** Offset into a of the start of output row {@code row} (a row = the innermost merged dim). */
  int rowOffsetA(int row) {
    return rowOffset(row, strideA);
  }

  int rowOffsetB(int row) {
    return rowOffset(row, strideB);
  }

  private int rowOffset(int row, int[] strides) {
    int off = 0;
    for (int d = dims.length - 2; d >= 0; d--) {
      int idx = row % dims[d];
      row /= dims[d];
      off += idx * strides[d];
    }
    return off;
  }
}
