package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The demo's comparison rule |x - ref| <= atol + rtol * |ref|, on hand-made tensors. */
class ParityTest {
  @Test
  void equalTensorsPass() {
    Tensor a = Tensor.randn(1, 1f, 3, 5);
    Parity.Result r = Parity.compare(a.copy(), a, 0, 0);
    assertTrue(r.ok());
    assertEquals(0, r.maxAbsError());
    assertEquals(-1, r.firstBad());
  }

  @Test
  void relativeToleranceScalesWithTheReference() {
    Tensor want = Tensor.of(new float[] {1000f, 1f}, 2);
    Tensor got = Tensor.of(new float[] {1000.5f, 1f}, 2);
    assertTrue(Parity.compare(got, want, 0, 1e-3).ok(), "0.5 <= 1e-3 * 1000");
    Parity.Result tight = Parity.compare(got, want, 0.1, 1e-4);
    assertFalse(tight.ok());
    assertEquals(1, tight.mismatches());
    assertEquals(0, tight.firstBad());
    assertEquals(0.5, tight.maxAbsError(), 1e-9);
  }

  @Test
  void nanIsAMismatch() {
    Tensor want = Tensor.of(new float[] {1f, 2f, 3f}, 3);
    Tensor got = Tensor.of(new float[] {1f, Float.NaN, 3f}, 3);
    Parity.Result r = Parity.compare(got, want, 1e-3, 1e-3);
    assertEquals(1, r.mismatches());
    assertEquals(1, r.firstBad());
    assertEquals(Double.POSITIVE_INFINITY, r.maxAbsError());
  }

  @Test
  void shapesMustMatch() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Parity.compare(Tensor.zeros(2, 3), Tensor.zeros(3, 2), 0, 0));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"));
  }
}
