package jcnn.compress.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * Tzelepis' Eq. (1) and their code's variant on hand-computed values, LeNet-5's per-layer counts,
 * Deep Compression's per-kind bits, and the argument checks.
 */
class ClusterCountTest {

  @Test
  void eq1IsCeilOfPOverNTimesC() {
    assertEquals(64, ClusterCount.eq1(431_080, 300_000, 32)); // ceil(1.44) = 2
    assertEquals(32, ClusterCount.eq1(300_000, 300_000, 32)); // exactly one block
    assertEquals(64, ClusterCount.eq1(300_001, 300_000, 32));
    assertEquals(32, ClusterCount.eq1(1, 300_000, 32));
    assertEquals(0, ClusterCount.eq1(0, 300_000, 32));
    assertEquals(30, ClusterCount.eq1(25_000, 10_000, 10)); // ceil(2.5) * 10
    assertEquals(2_400_000_000L / 300_000 * 32, ClusterCount.eq1(2_400_000_000L, 300_000, 32));
  }

  @Test
  void theirCodeIsFloorPlusOneBlocksOf32() {
    assertEquals(64, ClusterCount.theirCode(431_080)); // floor(1.44) + 1 = 2
    assertEquals(64, ClusterCount.theirCode(300_000)); // one block more than Eq. (1)
    assertEquals(32, ClusterCount.theirCode(299_999));
    assertEquals(32, ClusterCount.theirCode(0));
    assertEquals(96, ClusterCount.theirCode(600_000));
    assertEquals(96, ClusterCount.theirCode(899_999));
  }

  @Test
  void leNet5LayersGetTheirCounts() {
    ClusterCount code = ClusterCount.theirCode();
    assertEquals(32, code.clusters(Shape.of(20, 1, 5, 5), 0)); // 500 weights
    assertEquals(32, code.clusters(Shape.of(50, 20, 5, 5), 0)); // 25,000
    assertEquals(64, code.clusters(Shape.of(500, 800), 20_000)); // 400,000, zeros counted
    assertEquals(32, code.clusters(Shape.of(10, 500), 0)); // 5,000
    assertEquals(64, ClusterCount.eq1(300_000, 32).clusters(Shape.of(500, 800), 1));
    assertEquals(1, ClusterCount.eq1(300_000, 32).clusters(Shape.of(0, 800), 0)); // at least one
  }

  @Test
  void perKindAndFixed() {
    ClusterCount han = ClusterCount.perKind(8, 5);
    assertEquals(256, han.clusters(Shape.of(50, 20, 5, 5), 100));
    assertEquals(32, han.clusters(Shape.of(500, 800), 100));
    assertEquals(7, ClusterCount.fixed(7).clusters(Shape.of(3, 3), 9));
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> ClusterCount.fixed(0));
    assertThrows(IllegalArgumentException.class, () -> ClusterCount.eq1(0, 32));
    assertThrows(IllegalArgumentException.class, () -> ClusterCount.perKind(17, 5));
    assertThrows(IllegalArgumentException.class, () -> ClusterCount.eq1(-1, 300_000, 32));
    assertThrows(IllegalArgumentException.class, () -> ClusterCount.theirCode(-1));
  }
}
