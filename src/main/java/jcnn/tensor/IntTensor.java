package jcnn.tensor;

/**
 * A dense int32 tensor: class labels, max-pool argmax positions and weight-sharing cluster indices.
 * Row-major, contiguous, like {@link Tensor}.
 */
public final class IntTensor {
  private final Shape shape;
  private final int[] data;

  private IntTensor(Shape shape, int[] data) {
    this.shape = shape;
    this.data = data;
  }

  public static IntTensor zeros(int... dims) {
    Shape s = Shape.of(dims);
    return new IntTensor(s, new int[s.numel()]);
  }

  /** A tensor over {@code data} (not copied). */
  public static IntTensor of(int[] data, int... dims) {
    Shape s = Shape.of(dims);
    if (data.length != s.numel()) {
      throw new IllegalArgumentException(
          "IntTensor.of: " + data.length + " values do not fill shape " + s);
    }
    return new IntTensor(s, data);
  }

  public Shape shape() {
    return shape;
  }

  public int numel() {
    return shape.numel();
  }

  public int[] data() {
    return data;
  }

  @Override
  public String toString() {
    return "IntTensor" + shape;
  }
}
