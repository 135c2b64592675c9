package jcnn.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random crop from a zero-padded image, then an optional random left-right mirror: the CIFAR-10
 * augmentation of He et al. (2016), as torchvision's {@code RandomCrop(32, padding=4)} followed by
 * {@code RandomHorizontalFlip()}.
 *
 * <p>Padding follows PyTorch, which pads the raw image with 0 before normalising: here the image is
 * already normalised, so the pad takes the normalised value of a 0 pixel, (0 - mean) / std per
 * channel, and a padded border looks exactly as it would in PyTorch. Tested by {@code AugmentTest}.
 */
public final class RandomCropFlip implements Augment {
  private final int pad;
  private final boolean flip;

  /** Crops with offsets 0..2*pad on each axis; mirrors half the images when {@code flip}. */
  public RandomCropFlip(int pad, boolean flip) {
    if (pad < 0) {
      throw new IllegalArgumentException("RandomCropFlip: pad " + pad + " must be >= 0");
    }
    this.pad = pad;
    this.flip = flip;
  }

  public int pad() {
    return pad;
  }

  /**
   * The draw for one image: {dy, dx, mirror (0 or 1)}, dy and dx in 0..2*pad: the crop's top-left
   * corner in the padded image.
   */
  public int[] draw(SplittableRandom rng) {
    int dy = rng.nextInt(2 * pad + 1);
    int dx = rng.nextInt(2 * pad + 1);
    int mirror = flip && rng.nextBoolean() ? 1 : 0;
    return new int[] {dy, dx, mirror};
  }

  @Override
  public void apply(float[] img, int off, int c, int h, int w, float[] zero, SplittableRandom rng) {
    int[] d = draw(rng);
    crop(img, off, c, h, w, zero, pad, d[0], d[1], d[2] == 1);
  }

  /**
   * out[ch, y, x] = padded[ch, y + dy, x' + dx] with x' = w - 1 - x when mirrored, else x, where
   * padded is the image surrounded by {@code pad} pixels of {@code zero[ch]}.
   */
  static void crop(
      float[] img,
      int off,
      int c,
      int h,
      int w,
      float[] zero,
      int pad,
      int dy,
      int dx,
      boolean mirror) {
    float[] src = new float[c * h * w]; // [C, H, W] copy, since out overwrites img
    System.arraycopy(img, off, src, 0, src.length);
    for (int ch = 0; ch < c; ch++) {
      int plane = ch * h * w;
      for (int y = 0; y < h; y++) {
        int sy = y + dy - pad;
        int o = off + plane + y * w;
        if (sy < 0 || sy >= h) {
          Arrays.fill(img, o, o + w, zero[ch]);
          continue;
        }
        for (int x = 0; x < w; x++) {
          int sx = (mirror ? w - 1 - x : x) + dx - pad;
          img[o + x] = sx < 0 || sx >= w ? zero[ch] : src[plane + sy * w + sx];
        }
      }
    }
  }

  @Override
  public String toString() {
    return "RandomCropFlip(pad=" + pad + ", flip=" + flip + ")";
  }
}
