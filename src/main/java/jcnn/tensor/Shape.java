package jcnn.tensor;

import java.util.Arrays;

/**
 * An immutable tensor shape of rank 0 to 4, in the (N, C, H, W) convention.
 *
 * <p>Shapes print as {@code [64, 20, 12, 12]}; every shape error in jcnn prints both shapes this
 * way.
 */
public final class Shape {
  public static final int MAX_RANK = 4;

  private final int[] dims;
  private final int numel;

  private Shape(int[] dims) {
    if (dims.length > MAX_RANK) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(dims) + " has rank " + dims.length + " > " + MAX_RANK);
    }
    long n = 1;
    for (int d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(dims) + " has a negative dim");
      }
      n *= d;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " is too large");
    }
    this.dims = dims;
    this.numel = (int) n;
  }

  public static Shape of(int... dims) {
    return new Shape(dims.clone());
  }

  public int rank() {
    return dims.length;
  }

  /** Size of dimension {@code i}; negative {@code i} counts from the end. */
  public int dim(int i) {
    return dims[i < 0 ? dims.length + i : i];
  }

  public int[] dims() {
    return dims.clone();
  }

  public int numel() {
    return numel;
  }

  /**
   * Product of the dims from {@code from} (inclusive) to the end; the row length of a flattening.
   */
  public int sizeFrom(int from) {
    int n = 1;
    for (int i = from; i < dims.length; i++) {
      n *= dims[i];
    }
    return n;
  }

  /** Row-major strides, in elements. */
  public int[] strides() {
    int[] s = new int[dims.length];
    int acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= dims[i];
    }
    return s;
  }

  /**
   * The NumPy broadcast of two shapes: dims are aligned from the right; each pair must be equal or
   * contain a 1.
   */
  public static Shape broadcast(String op, Shape a, Shape b) {
    int r = Math.max(a.rank(), b.rank());
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
      int db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(
            op + ": shapes " + a + " and " + b + " cannot be broadcast together");
      }
      out[i] = da == 1 ? db : da;
    }
    return new Shape(out);
  }

  /** This shape left-padded with 1s to {@code rank} dims. */
  public int[] padTo(int rank) {
    int[] out = new int[rank];
    Arrays.fill(out, 1);
    System.arraycopy(dims, 0, out, rank - dims.length, dims.length);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
