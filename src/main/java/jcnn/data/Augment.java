package jcnn.data;

import java.util.SplittableRandom;

/**
 * A random training-time transform of one normalised image, applied by {@link DataLoader} after
 * normalisation. The loader hands each sample a generator seeded from (seed, epoch, sample index),
 * so an augmentation depends on nothing else: not on the batch it lands in, the prefetch depth or
 * thread timing. Tested by {@code AugmentTest}.
 */
@FunctionalInterface
public interface Augment {
  /**
   * Transforms the image at {@code img[off .. off + c*h*w)}, [C, H, W], in place. {@code zero[c]}
   * is the normalised value of a 0 pixel of channel c, (0 - mean) / std, the value padding takes.
   */
  void apply(float[] img, int off, int c, int h, int w, float[] zero, SplittableRandom rng);

  /**
   * The standard CIFAR-10 augmentation (He et al., 2016): pad 4 pixels on each side, take a random
   * crop of the original size, then mirror left-right with probability 0.5.
   */
  static Augment cifar() {
    return new RandomCropFlip(4, true);
  }
}
