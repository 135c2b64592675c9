package jcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random crop with zero padding and random mirroring: the draws stay in range and cover it, the
 * crop and the mirror move pixels where they should, and padding takes the normalised 0 pixel.
 */
class AugmentTest {
  private static final int C = 2;
  private static final int H = 5;
  private static final int W = 7;
  private static final float[] ZERO = {-9f, -8f};

  /** An image whose every value is distinct and says where it came from: c*100 + y*10 + x. */
  private static float[] ramp() {
    float[] img = new float[C * H * W]; // [C, H, W]
    for (int c = 0; c < C; c++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          img[(c * H + y) * W + x] = c * 100 + y * 10 + x;
        }
      }
    }
    return img;
  }

  private static float at(float[] img, int c, int y, int x) {
    return img[(c * H + y) * W + x];
  }

  @Test
  void drawsCoverTheRangeAndFlipHalfTheTime() {
    RandomCropFlip aug = new RandomCropFlip(4, true);
    int[] dyCounts = new int[9];
    int[] dxCounts = new int[9];
    int flips = 0;
    int n = 4000;
    for (int s = 0; s < n; s++) {
      int[] d = aug.draw(new SplittableRandom(s));
      assertTrue(d[0] >= 0 && d[0] <= 8 && d[1] >= 0 && d[1] <= 8, Arrays.toString(d));
      dyCounts[d[0]]++;
      dxCounts[d[1]]++;
      flips += d[2];
    }
    for (int k = 0; k < 9; k++) {
      assertTrue(dyCounts[k] > n / 18 && dxCounts[k] > n / 18, "offset " + k + " too rare");
    }
    assertTrue(flips > 0.45 * n && flips < 0.55 * n, flips + " flips of " + n);
    assertEquals(0, new RandomCropFlip(4, false).draw(new SplittableRandom(1))[2]);
  }

  @Test
  void centredCropIsIdentityAndMirrorMirrors() {
    float[] img = ramp();
    RandomCropFlip.crop(img, 0, C, H, W, ZERO, 2, 2, 2, false);
    assertArrayEquals(ramp(), img);
    RandomCropFlip.crop(img, 0, C, H, W, ZERO, 2, 2, 2, true);
    for (int c = 0; c < C; c++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          assertEquals(at(ramp(), c, y, W - 1 - x), at(img, c, y, x));
        }
      }
    }
  }

  @Test
  void cornerCropShiftsAndPadsWithTheNormalisedZero() {
    // Offset (0, 0) in a 2-padded image: content moves 2 down and 2 right.
    float[] img = new float[3 + C * H * W];
    System.arraycopy(ramp(), 0, img, 3, C * H * W); // also checks the offset argument
    RandomCropFlip.crop(img, 3, C, H, W, ZERO, 2, 0, 0, false);
    assertEquals(0f, img[0]); // untouched before the image
    float[] out = Arrays.copyOfRange(img, 3, img.length);
    for (int c = 0; c < C; c++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          float want = y < 2 || x < 2 ? ZERO[c] : at(ramp(), c, y - 2, x - 2);
          assertEquals(want, at(out, c, y, x), "c " + c + " y " + y + " x " + x);
        }
      }
    }
  }

  @Test
  void everyRandomResultIsOneOfTheAllowedCrops() {
    RandomCropFlip aug = new RandomCropFlip(2, true);
    for (int s = 0; s < 50; s++) {
      float[] img = ramp();
      aug.apply(img, 0, C, H, W, ZERO, new SplittableRandom(s));
      assertTrue(matchesSomeCrop(img, 2), "seed " + s + " gave no allowed crop");
    }
  }

  private static boolean matchesSomeCrop(float[] out, int pad) {
    for (int dy = 0; dy <= 2 * pad; dy++) {
      for (int dx = 0; dx <= 2 * pad; dx++) {
        for (boolean mirror : new boolean[] {false, true}) {
          float[] want = ramp();
          RandomCropFlip.crop(want, 0, C, H, W, ZERO, pad, dy, dx, mirror);
          if (Arrays.equals(want, out)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Test
  void loaderPadsWithMinusMeanOverStd() {
    // All-white images: after augmentation a value is either white or the padding -mean/std.
    int n = 8;
    byte[] white = new byte[n * 3 * 32 * 32];
    Arrays.fill(white, (byte) 255);
    Dataset d = new Dataset(Datasets.CIFAR10, true, white, new int[n], 3, 32, 32);
    DataLoader l = DataLoader.builder(d).batchSize(n).augment(Augment.cifar()).build();
    Batch b;
    try (Batches it = l.epoch(0)) {
      b = it.next();
    }
    float[] mean = Datasets.CIFAR10.mean();
    float[] std = Datasets.CIFAR10.std();
    int padded = 0;
    for (int k = 0; k < n; k++) {
      for (int c = 0; c < 3; c++) {
        float pad = (float) ((0 - mean[c]) / std[c]);
        float full = (float) ((1 - mean[c]) / std[c]);
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            float v = b.x().get(k, c, y, x);
            assertTrue(Math.abs(v - pad) < 1e-5 || Math.abs(v - full) < 1e-5, "value " + v);
            padded += Math.abs(v - pad) < 1e-5 ? 1 : 0;
          }
        }
      }
    }
    assertTrue(padded > 0, "8 random crops without any padding");
  }
}
