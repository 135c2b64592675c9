package jcnn.backend;

import jcnn.tensor.IntTensor;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Precondition checks shared by the backends. Every failure is an {@link IllegalArgumentException}
 * whose message starts with the op name and prints the shapes involved.
 */
public final class Checks {
  private Checks() {}

  /** Requires {@code t} to have exactly {@code expected}. */
  public static void shape(String op, String what, Tensor t, Shape expected) {
    if (!t.shape().equals(expected)) {
      throw new IllegalArgumentException(
          op + ": " + what + " has shape " + t.shape() + ", expected " + expected);
    }
  }

  public static void shape(String op, String what, IntTensor t, Shape expected) {
    if (!t.shape().equals(expected)) {
      throw new IllegalArgumentException(
          op + ": " + what + " has shape " + t.shape() + ", expected " + expected);
    }
  }

  /**
   * The activations batch norm fuses with: RELU and RELU6, whose derivative is read from y, or null
   * (none).
   */
  public static void batchNormActivation(String op, UnaryOp act) {
    if (act != null && act != UnaryOp.RELU && act != UnaryOp.RELU6) {
      throw new IllegalArgumentException(op + ": activation must be relu or relu6, got " + act);
    }
  }

  /**
   * The clamp bounds {lo, hi} of a batch-norm activation (relu: [0, +inf), relu6: [0, 6]), or null
   * for none.
   */
  public static float[] activationBounds(UnaryOp act) {
    if (act == null) {
      return null;
    }
    return new float[] {0f, act == UnaryOp.RELU6 ? 6f : Float.POSITIVE_INFINITY};
  }

  /** Requires two tensors to have the same shape. */
  public static void sameShape(String op, Tensor a, Tensor b) {
    if (!a.shape().equals(b.shape())) {
      throw new IllegalArgumentException(
          op + ": shapes " + a.shape() + " and " + b.shape() + " must be equal");
    }
  }

  public static void sameSize(String op, Tensor a, Tensor b) {
    if (a.numel() != b.numel()) {
      throw new IllegalArgumentException(
          op + ": shapes " + a.shape() + " and " + b.shape() + " must have the same size");
    }
  }

  public static void rank(String op, String what, Tensor t, int rank) {
    if (t.rank() != rank) {
      throw new IllegalArgumentException(
          op + ": " + what + " has shape " + t.shape() + ", expected rank " + rank);
    }
  }

  /**
   * Checks that {@code out} can receive {@code x} summed down by broadcasting's reverse and returns
   * out's dims left-padded to x's rank.
   */
  public static int[] sumToDims(Tensor x, Tensor out) {
    if (out.rank() > x.rank()) {
      throw new IllegalArgumentException(
          "sumTo: cannot reduce " + x.shape() + " to higher-rank " + out.shape());
    }
    int[] od = out.shape().padTo(x.rank());
    for (int i = 0; i < od.length; i++) {
      if (od[i] != 1 && od[i] != x.dim(i)) {
        throw new IllegalArgumentException(
            "sumTo: cannot reduce " + x.shape() + " to " + out.shape());
      }
    }
    return od;
  }

  /** Checks the operands and output of matmul and returns {M, N, K}. */
  public static int[] matmulDims(Tensor a, boolean ta, Tensor b, boolean tb, Tensor c) {
    int[] mnk = matmulDims(a, ta, b, tb);
    if (c.rank() != 2 || c.dim(0) != mnk[0] || c.dim(1) != mnk[1]) {
      throw new IllegalArgumentException(
          "matmul: "
              + a.shape()
              + (ta ? "^T" : "")
              + " x "
              + b.shape()
              + (tb ? "^T" : "")
              + " does not fit output "
              + c.shape());
    }
    return mnk;
  }

  /** Checks the two operands of matmul and returns {M, N, K}. */
  public static int[] matmulDims(Tensor a, boolean ta, Tensor b, boolean tb) {
    if (a.rank() != 2 || b.rank() != 2) {
      throw new IllegalArgumentException(
          "matmul: operands " + a.shape() + " and " + b.shape() + " must be 2-D");
    }
    int m = ta ? a.dim(1) : a.dim(0);
    int k = ta ? a.dim(0) : a.dim(1);
    int kb = tb ? b.dim(1) : b.dim(0);
    int n = tb ? b.dim(0) : b.dim(1);
    if (k != kb) {
      throw new IllegalArgumentException(
          "matmul: inner dims differ in "
              + a.shape()
              + (ta ? "^T" : "")
              + " x "
              + b.shape()
              + (tb ? "^T" : ""));
    }
    return new int[] {m, n, k};
  }

  /** Checks labels against logits [N, classes]. */
  public static void labels(String op, Tensor logits, IntTensor labels) {
    rank(op, "logits", logits, 2);
    if (!labels.shape().equals(Shape.of(logits.dim(0)))) {
      throw new IllegalArgumentException(
          op
              + ": labels "
              + labels.shape()
              + " do not match logits "
              + logits.shape()
              + ": expected "
              + Shape.of(logits.dim(0))
              + " (one label per row)");
    }
    int classes = logits.dim(1);
    for (int l : labels.dataForRead()) {
      if (l < 0 || l >= classes) {
        throw new IllegalArgumentException(
            op + ": label " + l + " out of range for logits " + logits.shape());
      }
    }
  }

  /** Checks gather/scatter indices against the table size. */
  public static void indices(String op, IntTensor idx, Tensor table) {
    int n = table.numel();
    for (int i : idx.dataForRead()) {
      if (i < 0 || i >= n) {
        throw new IllegalArgumentException(
            op + ": index " + i + " out of range for table " + table.shape());
      }
    }
  }

  /** The pieces must match the whole in rank and in every dim but {@code axis}, which adds up. */
  public static void concatPieces(String op, Tensor[] parts, int axis, Tensor whole) {
    if (parts.length == 0 || axis < 0 || axis >= whole.rank()) {
      throw new IllegalArgumentException(
          op + ": " + parts.length + " pieces along axis " + axis + " of " + whole.shape());
    }
    int total = 0;
    for (Tensor p : parts) {
      boolean fits = p.rank() == whole.rank();
      for (int d = 0; fits && d < p.rank(); d++) {
        fits = d == axis || p.dim(d) == whole.dim(d);
      }
      if (!fits) {
        throw new IllegalArgumentException(
            op + ": piece " + p.shape() + " does not fit " + whole.shape() + " along axis " + axis);
      }
      total += p.dim(axis);
    }
    if (total != whole.dim(axis)) {
      throw new IllegalArgumentException(
          op + ": pieces add up to " + total + " along axis " + axis + ", not " + whole.shape());
    }
  }

  /** Checks the operands and hyperparameters of {@link Backend#sgdStep}. */
  public static void sgdStep(
      Tensor w,
      Tensor g,
      Tensor velocity,
      float lr,
      float momentum,
      float weightDecay,
      boolean nesterov) {
    sameShape("sgdStep", w, g);
    range("sgdStep", "lr", lr, 0, Double.MAX_VALUE, w);
    range("sgdStep", "momentum", momentum, 0, Double.MAX_VALUE, w);
    range("sgdStep", "weightDecay", weightDecay, 0, Double.MAX_VALUE, w);
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException(
          "sgdStep: Nesterov needs momentum > 0, for weight " + w.shape());
    }
    if (momentum != 0) {
      if (velocity == null) {
        throw new IllegalArgumentException(
            "sgdStep: momentum " + momentum + " needs a velocity for weight " + w.shape());
      }
      sameShape("sgdStep", w, velocity);
    }
  }

  /** Checks the operands and hyperparameters of {@link Backend#adamStep}. */
  public static void adamStep(
      Tensor w,
      Tensor g,
      Tensor m,
      Tensor v,
      float lr,
      float beta1,
      float beta2,
      float eps,
      float weightDecay,
      int step) {
    sameShape("adamStep", w, g);
    sameShape("adamStep", w, m);
    sameShape("adamStep", w, v);
    range("adamStep", "lr", lr, 0, Double.MAX_VALUE, w);
    range("adamStep", "beta1", beta1, 0, Math.nextDown(1.0), w);
    range("adamStep", "beta2", beta2, 0, Math.nextDown(1.0), w);
    range("adamStep", "eps", eps, 0, Double.MAX_VALUE, w);
    range("adamStep", "weightDecay", weightDecay, 0, Double.MAX_VALUE, w);
    range("adamStep", "step", step, 1, Integer.MAX_VALUE, w);
  }

  /** Requires lo <= v <= hi (NaN fails), naming the hyperparameter and the weight's shape. */
  private static void range(String op, String what, double v, double lo, double hi, Tensor w) {
    if (!(v >= lo && v <= hi)) {
      throw new IllegalArgumentException(
          op
              + ": "
              + what
              + " = "
              + v
              + " is outside ["
              + lo
              + ", "
              + hi
              + "], for weight "
              + w.shape());
    }
  }
}
