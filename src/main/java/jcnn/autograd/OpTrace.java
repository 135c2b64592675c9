package jcnn.autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jcnn.tensor.Shape;

/**
 * A record of the primitive ops one computation ran, in order: what {@code jcnn summary} reads the
 * output shape, parameters and multiply-adds of each layer from (like torchinfo's forward hooks,
 * but at the level of ops, so it sees every layer without layers knowing of it).
 *
 * <p>{@link #record} runs a computation with tracing on for the calling thread; every op that
 * {@link Function#record records} its output while it runs adds one {@link Op}, whether or not it
 * builds a graph. Tracing costs nothing when off (one thread-local read per op).
 */
public final class OpTrace {
  /** One op: its name ({@code conv2d}, {@code matmul}, ...), its inputs and its output's shape. */
  public record Op(String name, List<Variable> inputs, Shape output) {
    /** The shape of input {@code i}. */
    public Shape input(int i) {
      return inputs.get(i).shape();
    }
  }

  private static final ThreadLocal<List<Op>> SINK = new ThreadLocal<>();

  private OpTrace() {}

  /** Runs {@code body} and returns the ops it ran, in order. Traces do not nest. */
  public static List<Op> record(Supplier<?> body) {
    if (SINK.get() != null) {
      throw new IllegalStateException("OpTrace.record: already tracing on this thread");
    }
    List<Op> ops = new ArrayList<>();
    SINK.set(ops);
    try {
      body.get();
    } finally {
      SINK.remove();
    }
    return ops;
  }

  static void add(Function f, Shape output, Variable[] in) {
    List<Op> ops = SINK.get();
    if (ops != null) {
      ops.add(new Op(f.name(), List.of(in), output));
    }
  }
}
