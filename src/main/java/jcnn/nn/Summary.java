package jcnn.nn;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jcnn.autograd.GradMode;
import jcnn.autograd.OpTrace;
import jcnn.autograd.Variable;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * What a network is made of, layer by layer, like torchinfo's {@code summary}: each layer's output
 * shape, its parameters and its multiply-adds for one image, with totals. It runs one forward pass
 * of a zero image in eval mode with an {@link OpTrace} on and reads the layers from the ops.
 *
 * <p>A row is a module that owns parameters (its ops merged: a {@code Linear} is a matmul and a
 * bias add), or one parameter-free op (relu, pooling, a residual add, a concat). Multiply-adds are
 * those of the convolutions and matrix products, as the MobileNet and SqueezeNet papers count them:
 * conv {@code K*P*Q*(C/groups)*R*S} per image, fc {@code in*out}; batch norm, activations and
 * pooling count none. Activation bytes are the float32 outputs of every row for one image, what a
 * forward pass in training keeps for the backward.
 *
 * <p>Tested by {@code SummaryTest} (totals against {@link Module#numParameters}, the papers'
 * multiply-adds for MobileNet V1 and V2 at 224x224).
 */
public final class Summary {
  /** One row: its name (module path or op), what it is, its output per image, params, MACs. */
  public record Row(String name, String kind, Shape output, long params, long macs) {}

  private final List<Row> rows;
  private final Shape input;
  private final long params;
  private final long macs;
  private final long activationBytes;

  private Summary(List<Row> rows, Shape input) {
    this.rows = List.copyOf(rows);
    this.input = input;
    long p = 0;
    long m = 0;
    long a = 0;
    for (Row r : rows) {
      p += r.params();
      m += r.macs();
      a += 4L * r.output().numel();
    }
    this.params = p;
    this.macs = m;
    this.activationBytes = a;
  }

  /**
   * The summary of {@code model} for one input image of shape {@code chw} ([C, H, W]). The model is
   * left in eval mode. A layer that cannot take the input throws its own shape error.
   */
  public static Summary of(Module model, Shape chw) {
    if (chw.rank() != 3) {
      throw new IllegalArgumentException("Summary: input " + chw + " must be [C, H, W]");
    }
    Map<Parameter, String> owner = new IdentityHashMap<>();
    Map<String, Module> modules = model.namedModules();
    model
        .namedParameters()
        .forEach(
            (path, p) ->
                owner.putIfAbsent(
                    p, path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : ""));
    model.eval();
    Variable x = Variable.constant(Tensor.zeros(1, chw.dim(0), chw.dim(1), chw.dim(2)));
    List<OpTrace.Op> ops;
    try (GradMode.Scope s = GradMode.noGrad()) {
      ops = OpTrace.record(() -> model.forward(x));
    }
    List<Row> rows = new ArrayList<>();
    Map<Parameter, Boolean> counted = new IdentityHashMap<>();
    String lastOwner = null;
    for (OpTrace.Op op : ops) {
      String own = null;
      long newParams = 0;
      for (Variable v : op.inputs()) {
        if (v instanceof Parameter p && owner.containsKey(p)) {
          own = own == null ? owner.get(p) : own;
          if (counted.put(p, Boolean.TRUE) == null) {
            newParams += p.value().numel();
          }
        }
      }
      long m = macs(op);
      Shape out = perImage(op.output());
      if (own != null && own.equals(lastOwner)) {
        Row prev = rows.remove(rows.size() - 1);
        rows.add(
            new Row(prev.name(), prev.kind(), out, prev.params() + newParams, prev.macs() + m));
      } else if (own != null) {
        Module mod = modules.get(own);
        String kind = mod == null ? op.name() : mod.describe();
        rows.add(new Row(own.isEmpty() ? "(root)" : own, kind, out, newParams, m));
      } else {
        rows.add(new Row("", op.name(), out, 0, m));
      }
      lastOwner = own;
    }
    return new Summary(rows, chw);
  }

  /** Multiply-adds of one op for the traced batch of one image. */
  private static long macs(OpTrace.Op op) {
    switch (op.name()) {
      case "conv2d" -> {
        Shape w = op.input(1); // [K, C/g, R, S]
        return (long) op.output().numel() * w.dim(1) * w.dim(2) * w.dim(3);
      }
      case "matmul" -> {
        long rowsOut = op.output().dim(0);
        long inner = op.input(0).numel() / rowsOut;
        return (long) op.output().numel() * inner;
      }
      default -> {
        return 0;
      }
    }
  }

  /** [1, ...] -> [...]: the rows show one image's output. */
  private static Shape perImage(Shape s) {
    if (s.rank() <= 1 || s.dim(0) != 1) {
      return s;
    }
    int[] d = s.dims();
    int[] rest = new int[d.length - 1];
    System.arraycopy(d, 1, rest, 0, rest.length);
    return Shape.of(rest);
  }

  public List<Row> rows() {
    return rows;
  }

  /** The input image shape [C, H, W]. */
  public Shape input() {
    return input;
  }

  /** Parameters the forward pass used (each once). */
  public long params() {
    return params;
  }

  /** Multiply-adds for one image. */
  public long macs() {
    return macs;
  }

  /** Bytes of the float32 outputs of every row, for one image. */
  public long activationBytes() {
    return activationBytes;
  }
}
