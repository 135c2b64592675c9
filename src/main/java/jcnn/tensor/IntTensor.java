package jcnn.tensor;

/**
 * A dense int32 tensor: class labels, max-pool argmax positions and weight-sharing cluster indices.
 * Row-major, contiguous, like {@link Tensor}.
 */
public final class IntTensor {
  private final Shape shape;
  private final Storage storage;

  private IntTensor(Shape shape, Storage storage) {
    this.shape = shape;
    this.storage = storage;
  }

  public static IntTensor zeros(int... dims) {
    Shape s = Shape.of(dims);
    return new IntTensor(s, Storage.ofInts(s.numel()));
  }

  /** A tensor over {@code data} (not copied). */
  public static IntTensor of(int[] data, int... dims) {
    Shape s = Shape.of(dims);
    if (data.length != s.numel()) {
      throw new IllegalArgumentException(
          "IntTensor.of: " + data.length + " values do not fill shape " + s);
    }
    return new IntTensor(s, Storage.wrap(data));
  }

  public Shape shape() {
    return shape;
  }

  public int numel() {
    return shape.numel();
  }

  /** The values for reading and writing (a device copy, if any, becomes stale: see Storage). */
  public int[] data() {
    return storage.ints();
  }

  /** The values for reading only: a device copy stays valid. Never write into them. */
  public int[] dataForRead() {
    return storage.intsForRead();
  }

  /** The storage; device backends keep their copy there. */
  public Storage storage() {
    return storage;
  }

  @Override
  public String toString() {
    return "IntTensor" + shape;
  }
}
