package jcnn.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Fans, sample standard deviations and bounds of each initialiser, and seeding. */
class InitTest {

  private static double std(Tensor t) {
    double sum = 0;
    double sq = 0;
    for (float v : t.data()) {
      sum += v;
      sq += (double) v * v;
    }
    double mean = sum / t.numel();
    return Math.sqrt(sq / t.numel() - mean * mean);
  }

  private static float maxAbs(Tensor t) {
    float m = 0;
    for (float v : t.data()) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  @Test
  void fansOfLinearAndConvWeights() {
    assertEquals(800, Init.fanIn(Shape.of(500, 800)));
    assertEquals(500, Init.fanOut(Shape.of(500, 800)));
    assertEquals(25, Init.fanIn(Shape.of(20, 1, 5, 5)));
    assertEquals(500, Init.fanOut(Shape.of(20, 1, 5, 5)));
    assertEquals(9, Init.fanIn(Shape.of(32, 1, 3, 3))); // depthwise: C/groups = 1
    assertThrows(IllegalArgumentException.class, () -> Init.fanIn(Shape.of(7)));
  }

  @Test
  void normalInitsHaveTheirStd() {
    // 80,000 samples: the sample std is within 1% of the true one with overwhelming probability.
    Tensor w = Tensor.zeros(200, 400);
    assertEquals(Math.sqrt(2.0 / 400), std(Init.heNormal(w, 400, 1)), 0.01 * Math.sqrt(2.0 / 400));
    assertEquals(
        Math.sqrt(2.0 / 600), std(Init.xavierNormal(w, 400, 200, 2)), 0.01 * Math.sqrt(2.0 / 600));
  }

  @Test
  void uniformInitsStayInTheirBounds() {
    Tensor w = Tensor.zeros(200, 400);
    double he = Math.sqrt(6.0 / 400);
    Init.heUniform(w, 400, 3);
    assertTrue(maxAbs(w) <= he && maxAbs(w) > 0.99 * he, "max " + maxAbs(w) + " bound " + he);
    assertEquals(he / Math.sqrt(3), std(w), 0.01 * he); // uniform std = bound / sqrt(3)
    double xav = Math.sqrt(6.0 / 600);
    Init.xavierUniform(w, 400, 200, 4);
    assertTrue(maxAbs(w) <= xav && maxAbs(w) > 0.99 * xav, "max " + maxAbs(w) + " bound " + xav);
  }

  @Test
  void seedsMakeInitReproducible() {
    Tensor a = Init.heNormal(Tensor.zeros(8, 3, 3, 3), 27, 42);
    Tensor b = Init.heNormal(Tensor.zeros(8, 3, 3, 3), 27, 42);
    Tensor c = Init.heNormal(Tensor.zeros(8, 3, 3, 3), 27, 43);
    assertArrayEquals(a.data(), b.data());
    assertFalse(Arrays.equals(a.data(), c.data()));
    assertEquals(0f, maxAbs(Init.zeros(a)));
    assertThrows(IllegalArgumentException.class, () -> Init.heNormal(a, 0, 1));
  }
}
