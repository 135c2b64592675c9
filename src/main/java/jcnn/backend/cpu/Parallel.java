package jcnn.backend.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads for data-parallel loops. {@link #forRange} splits [0, n) into at
 * most {@link #threads()} contiguous chunks, always the same chunks for the same n; the calling
 * thread and the workers claim them in any order, so a worker that wakes late (the machine is
 * shared, or its virtual CPU was halted) leaves its chunk to the caller instead of making it wait.
 * Results are deterministic as long as each chunk writes disjoint outputs, whichever thread runs
 * it. Tested by {@code ParallelTest}.
 *
 * <p>Handoff: a worker that finishes a loop watches for the next one for {@link #IDLE_SPIN_NANOS},
 * then parks; the caller unparks only parked workers, and waits for chunks that other threads are
 * running by spinning for up to {@link #WAIT_SPIN_NANOS}, then parking. A training step runs ~40
 * loops in quick succession, and waking a parked thread in this VM took 13 us (an 8 us chunk took
 * 21 us on two threads with an ExecutorService, 16 us on one); the spins are short because a
 * spinning thread loses its turn to sleeping ones on a busy machine.
 */
public final class Parallel implements AutoCloseable {
  /** The body of a parallel loop: handles indices [from, to). */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  /** How long an idle worker watches for the next loop before parking. */
  private static final long IDLE_SPIN_NANOS = Long.getLong("jcnn.idleSpin", 20_000);

  /** How long a caller spins for the chunks other threads are running before parking. */
  private static final long WAIT_SPIN_NANOS = Long.getLong("jcnn.waitSpin", 50_000);

  private final int threads;
  private final Worker[] workers;

  /** Held by the caller whose loop the workers serve; a concurrent caller runs serially. */
  private final AtomicBoolean busy = new AtomicBoolean();

  /** The loop being handed out, or null. */
  private volatile Loop current;

  private volatile boolean closed;

  /** True on a thread while it runs a chunk of this pool's loop (always on the workers). */
  private final ThreadLocal<Boolean> inBody = ThreadLocal.withInitial(() -> false);

  public Parallel(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    this.workers = new Worker[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker();
      workers[i].thread.start();
    }
  }

  public int threads() {
    return threads;
  }

  /**
   * Runs body over [0, n) in up to threads() chunks of at least minChunk indices. A forRange called
   * from inside a body (e.g. a GEMM inside a parallel loop over images) runs serially on its
   * thread: the other threads are already busy with the outer loop.
   */
  public void forRange(int n, int minChunk, RangeBody body) {
    int chunks = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
    if (chunks <= 1 || inBody.get() || !busy.compareAndSet(false, true)) {
      if (n > 0) {
        body.run(0, n);
      }
      return;
    }
    Loop loop = new Loop(body, n, chunks);
    try {
      current = loop;
      for (Worker w : workers) {
        if (w.parked) {
          LockSupport.unpark(w.thread);
        }
      }
      inBody.set(true);
      try {
        loop.work();
      } finally {
        inBody.set(false);
      }
      loop.awaitDone();
    } finally {
      current = null;
      busy.set(false);
    }
    rethrow(loop.failure.get());
  }

  /** One loop's chunks, claimed in any order; every chunk runs even after another one failed. */
  private static final class Loop {
    final RangeBody body;
    final int n;
    final int chunks;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger unfinished;
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    volatile Thread waiter;

    Loop(RangeBody body, int n, int chunks) {
      this.body = body;
      this.n = n;
      this.chunks = chunks;
      this.unfinished = new AtomicInteger(chunks);
    }

    /** Claims and runs chunks until none is left. */
    void work() {
      for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
        try {
          body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
        } catch (RuntimeException | Error e) {
          failure.compareAndSet(null, e);
        }
        if (unfinished.decrementAndGet() == 0) {
          Thread w = waiter;
          if (w != null) {
            LockSupport.unpark(w);
          }
        }
      }
    }

    /** Waits for the chunks other threads claimed: they are running, so spin first. */
    void awaitDone() {
      long deadline = System.nanoTime() + WAIT_SPIN_NANOS;
      while (unfinished.get() > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      if (unfinished.get() > 0) {
        waiter = Thread.currentThread();
        while (unfinished.get() > 0) {
          LockSupport.park(this);
        }
        waiter = null;
      }
    }
  }

  /** A pool thread: runs the chunks it can claim of each new loop. */
  private final class Worker implements Runnable {
    final Thread thread = new Thread(this, "jcnn-cpu");
    volatile boolean parked;

    Worker() {
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      inBody.set(true); // loops inside a chunk run serially here
      Loop seen = null;
      while (!closed) {
        Loop loop = current;
        if (loop != null && loop != seen) {
          seen = loop;
          loop.work();
        } else {
          idle(seen);
        }
      }
    }

    /** Spins until a loop other than {@code seen} appears, then parks. */
    private void idle(Loop seen) {
      long deadline = System.nanoTime() + IDLE_SPIN_NANOS;
      while (System.nanoTime() < deadline) {
        Loop loop = current;
        if (closed || (loop != null && loop != seen)) {
          return;
        }
        Thread.onSpinWait();
      }
      parked = true;
      Loop loop = current; // re-checked after announcing the park: no lost wake-up
      if (!closed && (loop == null || loop == seen)) {
        LockSupport.park(this);
      }
      parked = false;
    }
  }

  private static void rethrow(Throwable failure) {
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error err) {
      throw err;
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Worker w : workers) {
      LockSupport.unpark(w.thread);
    }
  }
}
