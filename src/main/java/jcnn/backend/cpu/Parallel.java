package jcnn.backend.cpu;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed pool of worker threads for data-parallel loops. {@link #forRange} splits [0, n) into at
 * most {@link #threads()} contiguous chunks; the calling thread runs the first chunk itself.
 * Results are deterministic as long as each chunk writes disjoint outputs. Waking a parked pool
 * thread costs about 5 us on an idle machine, so loops should hand out at least tens of
 * microseconds of work per chunk. Tested by {@code ParallelTest}.
 */
public final class Parallel implements AutoCloseable {
  /** The body of a parallel loop: handles indices [from, to). */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  private final int threads;
  private final ExecutorService pool;

  /** True on a thread while it runs a chunk of this pool's loop. */
  private final ThreadLocal<Boolean> inBody = ThreadLocal.withInitial(() -> false);

  public Parallel(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    this.pool =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads - 1,
                r -> {
                  Thread t = new Thread(r, "jcnn-cpu");
                  t.setDaemon(true);
                  return t;
                });
  }

  public int threads() {
    return threads;
  }

  /**
   * Runs body over [0, n) in up to threads() chunks of at least minChunk indices. A forRange called
   * from inside a body (e.g. a GEMM inside a parallel loop over images) runs serially on its
   * thread: the pool is already busy, and a worker waiting on its own pool could deadlock.
   */
  public void forRange(int n, int minChunk, RangeBody body) {
    int chunks = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
    if (chunks <= 1 || pool == null || inBody.get()) {
      if (n > 0) {
        body.run(0, n);
      }
      return;
    }
    Future<?>[] futures = new Future<?>[chunks - 1];
    for (int c = 1; c < chunks; c++) {
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      futures[c - 1] = pool.submit(() -> runChunk(body, from, to));
    }
    Throwable failure = null;
    try {
      runChunk(body, 0, (int) ((long) n / chunks));
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    // Wait for every chunk even after a failure, so no chunk outlives the call.
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted in a parallel loop", e);
      } catch (ExecutionException e) {
        failure = failure == null ? e.getCause() : failure;
      }
    }
    rethrow(failure);
  }

  private void runChunk(RangeBody body, int from, int to) {
    inBody.set(true);
    try {
      body.run(from, to);
    } finally {
      inBody.set(false);
    }
  }

  private static void rethrow(Throwable failure) {
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error err) {
      throw err;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
