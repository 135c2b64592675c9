package jcnn.backend.cpu;

import jcnn.backend.Checks;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;

/**
 * Reference data-movement ops: concat and split along any axis, gather and scatter-add over
 * flattened tensors. Gather is how weight sharing reads a layer's weights from its codebook (Han et
 * al., "Deep Compression", ICLR 2016); scatter-add, its backward, sums the gradients of all weights
 * sharing a centroid, which is exactly that paper's codebook gradient.
 *
 * <p>Concat views every tensor as [outer, dim(axis) * inner] with outer the product of the dims
 * before the axis and inner the product of those after: concatenating is then copying, for each
 * outer row, each input's row segment one after the other. Tested by {@code ReferenceBackendTest}.
 */
final class RefIndexing {
  private RefIndexing() {}

  static void concat(Tensor[] xs, int axis, Tensor out) {
    checkParts("concat", xs, "inputs", axis, out, "out");
    int outer = outer(out, axis);
    int inner = out.shape().sizeFrom(axis + 1);
    int outRow = out.dim(axis) * inner;
    int at = 0; // where the current input's segment starts in each out row
    for (Tensor x : xs) {
      int seg = x.dim(axis) * inner;
      for (int o = 0; o < outer; o++) {
        System.arraycopy(x.data(), o * seg, out.data(), o * outRow + at, seg);
      }
      at += seg;
    }
  }

  static void split(Tensor g, int axis, Tensor[] outs) {
    checkParts("split", outs, "outs", axis, g, "g");
    int outer = outer(g, axis);
    int inner = g.shape().sizeFrom(axis + 1);
    int gRow = g.dim(axis) * inner;
    int at = 0;
    for (Tensor part : outs) {
      int seg = part.dim(axis) * inner;
      for (int o = 0; o < outer; o++) {
        System.arraycopy(g.data(), o * gRow + at, part.data(), o * seg, seg);
      }
      at += seg;
    }
  }

  static void gather(Tensor table, IntTensor idx, Tensor out) {
    sameSize("gather", idx, out, "out");
    Checks.indices("gather", idx, table);
    for (int i = 0; i < idx.numel(); i++) {
      out.data()[i] = table.data()[idx.data()[i]];
    }
  }

  static void scatterAdd(Tensor src, IntTensor idx, Tensor table) {
    sameSize("scatterAdd", idx, src, "src");
    Checks.indices("scatterAdd", idx, table);
    // Sum in double, starting from the table's values, so repeated indices round only once.
    double[] acc = new double[table.numel()];
    for (int t = 0; t < acc.length; t++) {
      acc[t] = table.data()[t];
    }
    for (int i = 0; i < idx.numel(); i++) {
      acc[idx.data()[i]] += src.data()[i];
    }
    for (int t = 0; t < acc.length; t++) {
      table.data()[t] = (float) acc[t];
    }
  }

  /**
   * Checks that {@code parts} concatenated along {@code axis} give {@code whole}: same rank, equal
   * dims off the axis, axis dims summing to whole's.
   */
  private static void checkParts(
      String op, Tensor[] parts, String partsName, int axis, Tensor whole, String wholeName) {
    if (parts == null || parts.length == 0) {
      throw new IllegalArgumentException(
          op + ": no " + partsName + " for " + wholeName + " " + whole.shape());
    }
    int rank = whole.rank();
    if (axis < 0 || axis >= rank) {
      throw new IllegalArgumentException(
          op + ": axis " + axis + " is out of range for " + wholeName + " " + whole.shape());
    }
    int axisSum = 0;
    for (Tensor p : parts) {
      boolean fits = p.rank() == rank;
      for (int d = 0; fits && d < rank; d++) {
        fits = d == axis || p.dim(d) == whole.dim(d);
      }
      if (!fits) {
        throw new IllegalArgumentException(
            op
                + ": "
                + partsName
                + " "
                + p.shape()
                + " and "
                + wholeName
                + " "
                + whole.shape()
                + " must agree on every dim but axis "
                + axis);
      }
      axisSum += p.dim(axis);
    }
    if (axisSum != whole.dim(axis)) {
      throw new IllegalArgumentException(
          op
              + ": "
              + partsName
              + " "
              + shapes(parts)
              + " sum to "
              + axisSum
              + " along axis "
              + axis
              + " but "
              + wholeName
              + " "
              + whole.shape()
              + " has "
              + whole.dim(axis));
    }
  }

  /** The product of the dims before {@code axis}: how many rows the flattened view has. */
  private static int outer(Tensor t, int axis) {
    int n = 1;
    for (int d = 0; d < axis; d++) {
      n *= t.dim(d);
    }
    return n;
  }

  private static String shapes(Tensor[] ts) {
    StringBuilder sb = new StringBuilder();
    for (Tensor t : ts) {
      sb.append(sb.length() == 0 ? "" : " ").append(t.shape());
    }
    return sb.toString();
  }

  private static void sameSize(String op, IntTensor idx, Tensor t, String what) {
    if (idx.numel() != t.numel()) {
      throw new IllegalArgumentException(
          op
              + ": idx "
              + idx.shape()
              + " and "
              + what
              + " "
              + t.shape()
              + " must have the same size");
    }
  }
}
