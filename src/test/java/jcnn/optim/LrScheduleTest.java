package jcnn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Schedule values at chosen epochs, worked out by hand. */
class LrScheduleTest {

  @Test
  void stepLr() {
    StepLr s = new StepLr(0.1, 10, 0.5);
    assertEquals(0.1, s.lr(0), 1e-12);
    assertEquals(0.1, s.lr(9), 1e-12);
    assertEquals(0.05, s.lr(10), 1e-12);
    assertEquals(0.025, s.lr(25), 1e-12);
    assertEquals(0.0125, s.lr(30), 1e-12);
  }

  @Test
  void multiStepLr() {
    MultiStepLr s = new MultiStepLr(1.0, new int[] {3, 7}, 0.1);
    assertEquals(1.0, s.lr(2), 1e-12);
    assertEquals(0.1, s.lr(3), 1e-12);
    assertEquals(0.1, s.lr(6), 1e-12);
    assertEquals(0.01, s.lr(7), 1e-12);
    assertEquals(0.01, s.lr(100), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> new MultiStepLr(1, new int[] {5, 5}, 0.1));
  }

  @Test
  void cosineLr() {
    CosineLr s = new CosineLr(0.1, 10, 0.001);
    assertEquals(0.1, s.lr(0), 1e-12);
    assertEquals(0.001 + 0.099 / 2, s.lr(5), 1e-12); // half way: cos(pi/2) = 0
    assertEquals(0.001 + 0.099 * (1 + Math.cos(Math.PI * 0.3)) / 2, s.lr(3), 1e-12);
    assertEquals(0.001, s.lr(10), 1e-12);
    assertEquals(0.001, s.lr(50), 1e-12);
  }

  @Test
  void linearWarmup() {
    LrSchedule s = new StepLr(0.1, 10, 0.5).withWarmup(4);
    assertEquals(0.02, s.lr(0), 1e-12);
    assertEquals(0.06, s.lr(2), 1e-12);
    assertEquals(0.08, s.lr(3), 1e-12);
    assertEquals(0.1, s.lr(4), 1e-12);
    assertEquals(0.05, s.lr(10), 1e-12);
    assertEquals(0.3, LrSchedule.constant(0.3).withWarmup(0).lr(0), 1e-12);
  }
}
