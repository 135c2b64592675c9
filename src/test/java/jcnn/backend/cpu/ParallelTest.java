package jcnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link Parallel}: full coverage of the range, nesting without deadlock, concurrent
 * callers, errors.
 */
class ParallelTest {
  @Test
  void everyIndexRunsExactlyOnce() {
    try (Parallel par = new Parallel(2)) {
      for (int n : new int[] {0, 1, 2, 3, 1001}) {
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        par.forRange(
            n,
            1,
            (from, to) -> {
              for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
              }
            });
        for (int i = 0; i < n; i++) {
          assertEquals(1, hits.get(i), "n=" + n + " index " + i);
        }
      }
    }
  }

  @Test
  void nestedLoopsRunSeriallyInsteadOfDeadlocking() {
    try (Parallel par = new Parallel(2)) {
      AtomicIntegerArray hits = new AtomicIntegerArray(16);
      assertTimeoutPreemptively(
          Duration.ofSeconds(10),
          () ->
              par.forRange(
                  4,
                  1,
                  (from, to) -> {
                    for (int outer = from; outer < to; outer++) {
                      int base = outer * 4;
                      par.forRange(
                          4,
                          1,
                          (f, t) -> {
                            for (int i = f; i < t; i++) {
                              hits.incrementAndGet(base + i);
                            }
                          });
                    }
                  }));
      for (int i = 0; i < 16; i++) {
        assertEquals(1, hits.get(i), "index " + i);
      }
    }
  }

  @Test
  void aFailingChunkSurfacesOnTheCaller() {
    try (Parallel par = new Parallel(2)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  par.forRange(
                      2,
                      1,
                      (from, to) -> {
                        if (from == 1) {
                          throw new IllegalStateException("chunk " + from);
                        }
                      }));
      assertEquals("chunk 1", e.getMessage());
    }
  }

  /** Two threads calling at once: one gets the workers, the other runs its loop by itself. */
  @Test
  void concurrentCallersEachCoverTheirRange() throws Exception {
    try (Parallel par = new Parallel(2)) {
      int n = 1000;
      AtomicIntegerArray hits = new AtomicIntegerArray(2 * n);
      Thread[] callers = new Thread[2];
      for (int c = 0; c < 2; c++) {
        int base = c * n;
        callers[c] =
            new Thread(
                () -> {
                  for (int rep = 0; rep < 200; rep++) {
                    par.forRange(
                        n,
                        1,
                        (from, to) -> {
                          for (int i = from; i < to; i++) {
                            hits.incrementAndGet(base + i);
                          }
                        });
                  }
                });
        callers[c].start();
      }
      for (Thread t : callers) {
        t.join(10_000);
      }
      for (int i = 0; i < 2 * n; i++) {
        assertEquals(200, hits.get(i), "index " + i);
      }
    }
  }

  @Test
  void rejectsFewerThanOneThread() {
    assertThrows(IllegalArgumentException.class, () -> new Parallel(0));
  }
}
