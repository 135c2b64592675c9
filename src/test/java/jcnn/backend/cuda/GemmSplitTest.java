package jcnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When v3 becomes v5 (split K) and how K is cut: plain arithmetic, no GPU needed. */
class GemmSplitTest {
  private static final int H100_SMS = 132;

  @Test
  void weightGradientsOfResNet20SplitAcrossTheGpu() {
    // Batch 128: conv 16->16 on 32x32 gives M 16, N 144 (2 tiles of 128 columns), K 131072.
    int s = GemmKernels.splits(2, 131072, H100_SMS);
    assertEquals(132, s, "about two blocks per SM");
    assertCovers(131072, s);
    // Stage 3, 64->64 on 8x8: M 64, N 576 (5 tiles), K 8192: limited by the 256-long slices.
    s = GemmKernels.splits(5, 8192, H100_SMS);
    assertEquals(32, s);
    assertCovers(8192, s);
  }

  @Test
  void manyTilesOrShortKStayOnV3() {
    assertEquals(1, GemmKernels.splits(67, 1 << 20, H100_SMS), "67 tiles fill half the SMs");
    assertEquals(1, GemmKernels.splits(1, GemmKernels.MIN_SPLIT_K - 1, H100_SMS), "short K");
    assertEquals(1, GemmKernels.splits(1, 1 << 20, 1), "one SM: nothing to spread over");
  }

  @Test
  void slicesAreMultiplesOfEightAndCoverKExactlyOnce() {
    for (int k = GemmKernels.MIN_SPLIT_K; k < 5000; k += 37) {
      for (int tiles = 1; tiles <= 66; tiles += 13) {
        int s = GemmKernels.splits(tiles, k, H100_SMS);
        assertTrue(s >= 2, "k " + k + " tiles " + tiles);
        assertCovers(k, s);
      }
    }
  }

  private static void assertCovers(int k, int s) {
    int chunk = GemmKernels.chunk(k, s);
    assertEquals(0, chunk % 8, "chunk " + chunk + " of k " + k);
    assertTrue(chunk >= GemmKernels.MIN_CHUNK, "chunk " + chunk + " of k " + k);
    assertTrue((long) s * chunk >= k, "the slices reach the end of k " + k);
    assertTrue((long) (s - 1) * chunk < k, "no empty last slice for k " + k);
  }
}
