package jcnn.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The batches of one epoch of a {@link DataLoader}, in order. With prefetch 0 each batch is built
 * inside {@link #next}; otherwise one background thread builds them ahead into a queue holding at
 * most {@code prefetch} batches, so reading, normalising and augmenting overlap with the caller's
 * compute while memory stays bounded. The batches are identical either way, since each depends only
 * on (seed, epoch, batch number).
 *
 * <p>Close it (try-with-resources) when leaving an epoch early: that interrupts and joins the
 * producer. A failure while building a batch is rethrown to the caller from {@link #hasNext} /
 * {@link #next} as an {@link IllegalStateException} whose cause is the original exception. Tested
 * by {@code DataLoaderTest}.
 */
public final class Batches implements Iterator<Batch>, AutoCloseable {
  /** What the producer puts after the last batch. */
  private static final Object END = new Object();

  /** What the producer puts when building a batch failed. */
  private record Failure(int batch, Throwable cause) {}

  private final DataLoader loader;
  private final int epoch;
  private final int[] order; // [N] sample order of this epoch
  private final int count;
  private final BlockingQueue<Object> queue; // null when prefetch is 0
  private final Thread producer; // null when prefetch is 0
  private volatile boolean closed;
  private int taken; // batches handed out
  private Batch ready; // the next batch, once hasNext() has fetched it
  private boolean ended;

  Batches(DataLoader loader, int epoch, int prefetch) {
    this.loader = loader;
    this.epoch = epoch;
    this.order = loader.order(epoch);
    this.count = loader.numBatches();
    if (prefetch == 0) {
      this.queue = null;
      this.producer = null;
    } else {
      this.queue = new ArrayBlockingQueue<>(prefetch);
      this.producer = new Thread(this::produce, "jcnn-data-loader-epoch-" + epoch);
      producer.setDaemon(true); // never keeps the JVM alive if a caller forgets close()
      producer.start();
    }
  }

  /** The epoch these batches belong to. */
  public int epoch() {
    return epoch;
  }

  /** How many batches this epoch has. */
  public int count() {
    return count;
  }

  /** Whether the background producer is still running (false without prefetch); for tests. */
  boolean producerAlive() {
    return producer != null && producer.isAlive();
  }

  /** The producer thread's loop: build every batch in order, then END (or the failure). */
  private void produce() {
    int b = 0;
    try {
      for (; b < count && !closed; b++) {
        queue.put(loader.makeBatch(epoch, order, b));
      }
      queue.put(END);
    } catch (InterruptedException e) {
      // close() asked us to stop; nobody is waiting for the rest.
    } catch (Throwable t) { // anything, so the consumer never waits forever
      try {
        queue.put(new Failure(b, t));
      } catch (InterruptedException e) {
        // closed while reporting: the consumer has gone.
      }
    }
  }

  @Override
  public boolean hasNext() {
    if (closed) {
      return false;
    }
    if (ready == null && !ended) {
      fetch();
    }
    return ready != null;
  }

  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException(
          "epoch " + epoch + " has only " + count + " batches" + (closed ? " (closed)" : ""));
    }
    Batch b = ready;
    ready = null;
    taken++;
    return b;
  }

  /** Sets {@link #ready} to the next batch, or {@link #ended} when there is none. */
  private void fetch() {
    if (taken >= count) {
      ended = true;
      return;
    }
    if (queue == null) {
      try {
        ready = loader.makeBatch(epoch, order, taken);
      } catch (RuntimeException e) {
        throw failed(taken, e);
      }
      return;
    }
    Object item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("DataLoader: interrupted waiting for a batch", e);
    }
    if (item instanceof Failure f) {
      close();
      if (f.cause() instanceof Error err) {
        throw err;
      }
      throw failed(f.batch(), f.cause());
    }
    if (item == END) {
      ended = true;
    } else {
      ready = (Batch) item;
    }
  }

  private IllegalStateException failed(int batch, Throwable cause) {
    return new IllegalStateException(
        "DataLoader: building batch " + batch + " of epoch " + epoch + " failed: " + cause, cause);
  }

  /** Stops the producer (interrupts and joins it) and drops prefetched batches; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ready = null;
    if (producer == null) {
      return;
    }
    producer.interrupt();
    boolean interrupted = false;
    while (producer.isAlive()) {
      try {
        producer.join();
      } catch (InterruptedException e) {
        interrupted = true; // keep waiting: a half-stopped producer would leak
      }
    }
    queue.clear();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
