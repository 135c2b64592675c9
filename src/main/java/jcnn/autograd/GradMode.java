package jcnn.autograd;

/**
 * Whether ops record the graph. Use {@link #noGrad()} for evaluation:
 *
 * <pre>{@code
 * try (var scope = GradMode.noGrad()) {
 *   Variable logits = model.forward(x); // nothing recorded, no gradients kept
 * }
 * }</pre>
 */
public final class GradMode {
  private static final ThreadLocal<int[]> DISABLED = ThreadLocal.withInitial(() -> new int[1]);

  private GradMode() {}

  public static boolean isEnabled() {
    return DISABLED.get()[0] == 0;
  }

  /** Opens a no-grad scope on this thread; scopes nest. */
  public static Scope noGrad() {
    DISABLED.get()[0]++;
    return new Scope();
  }

  /** Closing the scope restores the previous mode. */
  public static final class Scope implements AutoCloseable {
    private boolean closed;

    private Scope() {}

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        DISABLED.get()[0]--;
      }
    }
  }
}
