package jcnn.backend.cpu;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed pool of worker threads for data-parallel loops. {@link #forRange} splits [0, n) into at
 * most {@link #threads()} contiguous chunks; the calling thread runs the first chunk itself.
 * Results are deterministic as long as each chunk writes disjoint outputs.
 */
public final class Parallel implements AutoCloseable {
  /** The body of a parallel loop: handles indices [from, to). */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  private final int threads;
  private final ExecutorService pool;

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

  /** Runs body over [0, n) in up to threads() chunks of at least minChunk indices. */
  public void forRange(int n, int minChunk, RangeBody body) {
    int chunks = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
    if (chunks <= 1 || pool == null) {
      if (n > 0) {
        body.run(0, n);
      }
      return;
    }
    @SuppressWarnings("unchecked")
    Future<?>[] futures = new Future<?>[chunks - 1];
    for (int c = 1; c < chunks; c++) {
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      futures[c - 1] = pool.submit(() -> body.run(from, to));
    }
    body.run(0, (int) ((long) n / chunks));
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted in a parallel loop", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(cause);
      }
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
