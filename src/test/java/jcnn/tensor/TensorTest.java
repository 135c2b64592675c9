package jcnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Shapes, broadcasting, seeded creation, views and printing. */
class TensorTest {
  @Test
  void shapeBasics() {
    Shape s = Shape.of(64, 20, 12, 12);
    assertEquals(4, s.rank());
    assertEquals(184320, s.numel());
    assertEquals(12, s.dim(-1));
    assertEquals(2880, s.sizeFrom(1));
    assertArrayEquals(new int[] {2880, 144, 12, 1}, s.strides());
    assertEquals("[64, 20, 12, 12]", s.toString());
    assertEquals(1, Shape.of().numel());
    assertThrows(IllegalArgumentException.class, () -> Shape.of(1, 2, 3, 4, 5));
    assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
    assertThrows(IllegalArgumentException.class, () -> Shape.of(1 << 16, 1 << 16));
  }

  @Test
  void broadcastingFollowsNumPy() {
    assertEquals(Shape.of(2, 3, 4), Shape.broadcast("add", Shape.of(2, 1, 4), Shape.of(3, 1)));
    assertEquals(Shape.of(5, 3), Shape.broadcast("add", Shape.of(5, 3), Shape.of(3)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Shape.broadcast("mul", Shape.of(2, 3), Shape.of(4)));
    assertEquals("mul: shapes [2, 3] and [4] cannot be broadcast together", e.getMessage());
  }

  @Test
  void seededCreationIsReproducible() {
    assertArrayEquals(Tensor.randn(7, 1f, 3, 4).data(), Tensor.randn(7, 1f, 3, 4).data());
    assertNotEquals(Tensor.randn(7, 1f, 3, 4).data()[0], Tensor.randn(8, 1f, 3, 4).data()[0]);
    Tensor n = Tensor.randn(1, 2f, 100_000);
    double sum = 0;
    double sq = 0;
    for (float v : n.data()) {
      sum += v;
      sq += v * v;
    }
    assertEquals(0, sum / 100_000, 0.03);
    assertEquals(4, sq / 100_000, 0.1);
    for (float v : Tensor.uniform(3, -1f, 1f, 1000).data()) {
      assertTrue(v >= -1f && v < 1f);
    }
  }

  @Test
  void reshapeIsAViewAndChecksSize() {
    Tensor t = Tensor.zeros(2, 3);
    Tensor v = t.reshape(3, 2);
    assertSame(t.data(), v.data());
    v.set(5f, 2, 1);
    assertEquals(5f, t.get(1, 2));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 2));
    assertEquals("reshape: cannot view [2, 3] as [4, 2]", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
  }

  @Test
  void smallTensorsPrintInFull() {
    Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertEquals(
        "Tensor[2, 3] [[1.0000, 2.0000, 3.0000],\n              [4.0000, 5.0000, 6.0000]]",
        t.toString());
    assertEquals("Tensor[] 7.0000", Tensor.scalar(7).toString());
    assertTrue(Tensor.zeros(1000).toString().contains("994 more"));
  }

  @Test
  void finiteCheck() {
    Tensor t = Tensor.zeros(3);
    assertTrue(t.allFinite());
    t.data()[1] = Float.NaN;
    assertTrue(!t.allFinite());
  }
}
