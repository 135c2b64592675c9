package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Concatenation along one axis (channels, axis 1, in Fire modules and Inception-style blocks).
 *
 * <p>Gradient: g split back along the same axis into pieces of each input's size.
 */
public final class Concat extends Function {
  private final int axis;
  private Shape[] shapes;

  private Concat(int axis) {
    this.axis = axis;
  }

  public static Variable apply(int axis, Variable... xs) {
    if (xs.length == 0) {
      throw new IllegalArgumentException("concat: no inputs");
    }
    Concat f = new Concat(axis);
    Shape first = xs[0].shape();
    if (axis < 0 || axis >= first.rank()) {
      throw new IllegalArgumentException("concat: axis " + axis + " out of range for " + first);
    }
    int[] dims = first.dims();
    dims[axis] = 0;
    f.shapes = new Shape[xs.length];
    Tensor[] values = new Tensor[xs.length];
    for (int i = 0; i < xs.length; i++) {
      Shape s = xs[i].shape();
      checkCompatible(first, s, axis);
      dims[axis] += s.dim(axis);
      f.shapes[i] = s;
      values[i] = xs[i].value();
    }
    Tensor y = Tensor.zeros(dims);
    f.backend.concat(values, axis, y);
    return f.record(y, xs);
  }

  private static void checkCompatible(Shape a, Shape b, int axis) {
    boolean ok = a.rank() == b.rank();
    for (int d = 0; ok && d < a.rank(); d++) {
      ok = d == axis || a.dim(d) == b.dim(d);
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "concat: shapes " + a + " and " + b + " differ outside axis " + axis);
    }
  }

  @Override
  public String name() {
    return "concat";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor[] parts = new Tensor[shapes.length];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = Tensor.zeros(shapes[i]);
    }
    backend.split(g, axis, parts);
    return parts;
  }
}
