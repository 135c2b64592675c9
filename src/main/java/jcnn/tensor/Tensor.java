package jcnn.tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A dense float32 tensor of rank 0 to 4 with contiguous row-major storage.
 *
 * <p>Tensors are plain data: they know nothing of gradients (that is {@code jcnn.autograd}) or of
 * how ops run (that is {@code jcnn.backend}). {@link #reshape} returns a view sharing the storage.
 */
public final class Tensor {
  private final Shape shape;
  private final Storage storage;

  private Tensor(Shape shape, Storage storage) {
    if (storage.isInt() || storage.length() < shape.numel()) {
      throw new IllegalArgumentException(
          "storage of " + storage.length() + " values is too small for shape " + shape);
    }
    this.shape = shape;
    this.storage = storage;
  }

  /** Zeros; no host memory is allocated until the values are first touched on the host. */
  public static Tensor zeros(Shape shape) {
    return new Tensor(shape, Storage.ofFloats(shape.numel()));
  }

  public static Tensor zeros(int... dims) {
    return zeros(Shape.of(dims));
  }

  /** A tensor over {@code data} (not copied); {@code data.length} must equal the shape's size. */
  public static Tensor of(float[] data, int... dims) {
    Shape s = Shape.of(dims);
    if (data.length != s.numel()) {
      throw new IllegalArgumentException(
          "Tensor.of: " + data.length + " values do not fill shape " + s);
    }
    return new Tensor(s, Storage.wrap(data));
  }

  public static Tensor scalar(float v) {
    return new Tensor(Shape.of(), Storage.wrap(new float[] {v}));
  }

  public static Tensor full(float value, int... dims) {
    return zeros(dims).fill(value);
  }

  /** Standard normal values times {@code std}, reproducible from {@code seed}. */
  public static Tensor randn(long seed, float std, int... dims) {
    Tensor t = zeros(dims);
    float[] d = t.data();
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (gaussian(r) * std);
    }
    return t;
  }

  /** Uniform values in [lo, hi), reproducible from {@code seed}. */
  public static Tensor uniform(long seed, float lo, float hi, int... dims) {
    Tensor t = zeros(dims);
    float[] d = t.data();
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (lo + (hi - lo) * r.nextDouble());
    }
    return t;
  }

  private static double gaussian(SplittableRandom r) {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
    double u1 = 1.0 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  public Shape shape() {
    return shape;
  }

  public int numel() {
    return shape.numel();
  }

  public int rank() {
    return shape.rank();
  }

  public int dim(int i) {
    return shape.dim(i);
  }

  /**
   * The backing array, row-major, for reading and writing; views returned by {@link #reshape} share
   * it. If a device backend holds a newer copy it is downloaded first, and the device copy counts
   * as stale afterwards (see {@link Storage}).
   */
  public float[] data() {
    return storage.floats();
  }

  /** The backing array for reading only: a device copy stays valid. Never write into it. */
  public float[] dataForRead() {
    return storage.floatsForRead();
  }

  /** The storage shared with this tensor's views; device backends keep their copy there. */
  public Storage storage() {
    return storage;
  }

  /** A view with another shape of the same size, sharing storage. */
  public Tensor reshape(int... dims) {
    Shape s = Shape.of(dims);
    if (s.numel() != shape.numel()) {
      throw new IllegalArgumentException("reshape: cannot view " + shape + " as " + s);
    }
    return new Tensor(s, storage);
  }

  public Tensor copy() {
    return new Tensor(shape, Storage.wrap(Arrays.copyOf(dataForRead(), shape.numel())));
  }

  /** Copies {@code src}'s values into this tensor; sizes must match. */
  public Tensor copyFrom(Tensor src) {
    if (src.numel() != numel()) {
      throw new IllegalArgumentException("copyFrom: " + src.shape + " into " + shape);
    }
    System.arraycopy(src.dataForRead(), 0, data(), 0, numel());
    return this;
  }

  public Tensor fill(float v) {
    if (v == 0 && numel() == storage.length()) {
      storage.zero(); // with a device copy: no host write and no upload (Storage#zero)
    } else {
      Arrays.fill(data(), 0, numel(), v);
    }
    return this;
  }

  public float get(int... idx) {
    return dataForRead()[offset(idx)];
  }

  public void set(float v, int... idx) {
    data()[offset(idx)] = v;
  }

  /** The single value of a one-element tensor. */
  public float item() {
    if (numel() != 1) {
      throw new IllegalStateException(
          "item: tensor of shape " + shape + " has " + numel() + " values");
    }
    return dataForRead()[0];
  }

  private int offset(int[] idx) {
    if (idx.length != shape.rank()) {
      throw new IllegalArgumentException(
          "index " + Arrays.toString(idx) + " does not match shape " + shape);
    }
    int off = 0;
    for (int i = 0; i < idx.length; i++) {
      if (idx[i] < 0 || idx[i] >= shape.dim(i)) {
        throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " out of " + shape);
      }
      off = off * shape.dim(i) + idx[i];
    }
    return off;
  }

  /** True when every value is finite (no NaN, no infinity). */
  public boolean allFinite() {
    float[] data = dataForRead();
    for (int i = 0, n = numel(); i < n; i++) {
      if (!Float.isFinite(data[i])) {
        return false;
      }
    }
    return true;
  }

  /** Prints small tensors in full (nested brackets) and large ones as shape plus a few values. */
  @Override
  public String toString() {
    float[] data = dataForRead();
    StringBuilder sb = new StringBuilder("Tensor").append(shape).append(' ');
    if (numel() > 256) {
      sb.append("[");
      for (int i = 0; i < 6; i++) {
        sb.append(fmt(data[i])).append(", ");
      }
      return sb.append("... ").append(numel() - 6).append(" more]").toString();
    }
    if (rank() == 0) {
      return sb.append(fmt(data[0])).toString();
    }
    appendNested(sb, data, 0, 0);
    return sb.toString();
  }

  private int appendNested(StringBuilder sb, float[] data, int d, int off) {
    sb.append('[');
    for (int i = 0; i < shape.dim(d); i++) {
      if (i > 0) {
        sb.append(d == rank() - 1 ? ", " : ",\n" + " ".repeat(8 + shape.toString().length() + d));
      }
      if (d == rank() - 1) {
        sb.append(fmt(data[off++]));
      } else {
        off = appendNested(sb, data, d + 1, off);
      }
    }
    sb.append(']');
    return off;
  }

  private static String fmt(float v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
