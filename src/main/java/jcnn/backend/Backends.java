package jcnn.backend;

import jcnn.backend.cpu.CpuBackend;
import jcnn.backend.cpu.ReferenceBackend;

/**
 * Which backend the autograd ops use. The default is the fast multi-threaded {@link CpuBackend}
 * with one thread per available processor. Nothing here loads JCuda: a CUDA backend is looked up by
 * class name only when asked for.
 */
public final class Backends {
  private static volatile Backend current;

  private Backends() {}

  public static Backend current() {
    Backend b = current;
    if (b == null) {
      synchronized (Backends.class) {
        if (current == null) {
          current = new CpuBackend(Runtime.getRuntime().availableProcessors());
        }
        b = current;
      }
    }
    return b;
  }

  /** Makes {@code backend} the one new ops run on; returns the previous one. */
  public static Backend use(Backend backend) {
    Backend prev = current();
    current = backend;
    return prev;
  }

  /** The single-threaded double-accumulating oracle. */
  public static Backend reference() {
    return new ReferenceBackend();
  }

  /** The fast CPU backend with {@code threads} worker threads. */
  public static Backend cpu(int threads) {
    return new CpuBackend(threads);
  }
}
