package jcnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Checks {@link Parallel}: full coverage of the range, nesting without deadlock, errors. */
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

  @Test
  void rejectsFewerThanOneThread() {
    assertThrows(IllegalArgumentException.class, () -> new Parallel(0));
  }
}
