package jcnn.data;

import java.util.SplittableRandom;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;

/**
 * Turns a {@link Dataset} into mini-batches: x [B, C, H, W] float, normalised per channel as (pixel
 * / 255 - mean) / std, optionally augmented, and y [B] int labels.
 *
 * <p>Call order: build once, then for each epoch {@code try (Batches it = loader.epoch(e)) { while
 * (it.hasNext()) { Batch b = it.next(); ... } }}. An epoch is a pure function of (seed, epoch): its
 * order is a shuffle seeded by the two mixed, and each sample's augmentation is seeded by (seed,
 * epoch, sample index). So a run resumed at epoch e just asks for {@code epoch(e)} and sees the
 * same batches as the uninterrupted run, and the prefetch depth never changes a single value. With
 * {@code prefetch > 0} a background thread builds batches ahead into a bounded queue while the
 * caller computes (see {@link Batches}). Tested by {@code DataLoaderTest}.
 */
public final class DataLoader {
  private final Dataset data;
  private final int batchSize;
  private final boolean shuffle;
  private final boolean dropLast;
  private final long seed;
  private final Augment augment; // null: none
  private final int prefetch;
  private final float[][] lut; // [C][256]: the normalised value of each pixel byte
  private final float[] zero; // [C]: the normalised value of a 0 pixel, for padding

  private DataLoader(Builder b) {
    this.data = b.data;
    this.batchSize = b.batchSize;
    this.shuffle = b.shuffle;
    this.dropLast = b.dropLast;
    this.seed = b.seed;
    this.augment = b.augment;
    this.prefetch = b.prefetch;
    float[] mean = data.info().mean();
    float[] std = data.info().std();
    this.lut = new float[data.channels()][256];
    this.zero = new float[data.channels()];
    for (int c = 0; c < data.channels(); c++) {
      for (int v = 0; v < 256; v++) {
        lut[c][v] = (float) ((v / 255.0 - mean[c]) / std[c]);
      }
      zero[c] = lut[c][0];
    }
  }

  /**
   * Starts a loader over {@code data}; defaults: batch 64, shuffled, seed 0, keep last, prefetch 2.
   */
  public static Builder builder(Dataset data) {
    return new Builder(data);
  }

  /** Settings of a {@link DataLoader}; every setter returns the builder. */
  public static final class Builder {
    private final Dataset data;
    private int batchSize = 64;
    private boolean shuffle = true;
    private boolean dropLast = false;
    private long seed = 0;
    private Augment augment = null;
    private int prefetch = 2;

    private Builder(Dataset data) {
      this.data = data;
    }

    public Builder batchSize(int n) {
      this.batchSize = n;
      return this;
    }

    /** Shuffle each epoch (training) or keep the dataset's order (evaluation). */
    public Builder shuffle(boolean on) {
      this.shuffle = on;
      return this;
    }

    /** Drop the last, smaller batch of an epoch. */
    public Builder dropLast(boolean on) {
      this.dropLast = on;
      return this;
    }

    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** A training-time augmentation such as {@link Augment#cifar()}; null for none. */
    public Builder augment(Augment a) {
      this.augment = a;
      return this;
    }

    /** Batches built ahead by a background thread; 0 builds each batch in {@code next()}. */
    public Builder prefetch(int batches) {
      this.prefetch = batches;
      return this;
    }

    public DataLoader build() {
      if (batchSize < 1 || prefetch < 0) {
        throw new IllegalArgumentException(
            String.format(
                "DataLoader: batch size %d must be >= 1 and prefetch %d >= 0",
                batchSize, prefetch));
      }
      if (dropLast && data.size() < batchSize) {
        throw new IllegalArgumentException(
            String.format(
                "DataLoader: %s has fewer images than one batch of %d and dropLast is set, so an"
                    + " epoch would be empty",
                data, batchSize));
      }
      return new DataLoader(this);
    }
  }

  public Dataset dataset() {
    return data;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Batches per epoch: floor(N / B) with dropLast, else ceil(N / B). */
  public int numBatches() {
    int n = data.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /**
   * The batches of epoch {@code epoch} (0-based); any epoch may come first, which is how a run
   * resumes. Close the result (try-with-resources) to stop its producer thread early.
   */
  public Batches epoch(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("DataLoader.epoch: epoch " + epoch + " must be >= 0");
    }
    return new Batches(this, epoch, prefetch);
  }

  /** The sample order of epoch {@code epoch}: a seeded shuffle of 0..N-1, or 0..N-1 itself. */
  public int[] order(int epoch) {
    int[] order = new int[data.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (shuffle) {
      Dataset.shuffle(order, new SplittableRandom(mix(seed, epoch)));
    }
    return order;
  }

  /** Builds batch {@code b} of an epoch whose sample order is {@code order}. */
  Batch makeBatch(int epoch, int[] order, int b) {
    int from = b * batchSize;
    int n = Math.min(batchSize, order.length - from);
    int c = data.channels();
    int h = data.height();
    int w = data.width();
    int chw = c * h * w;
    float[] x = new float[n * chw]; // [B, C, H, W]
    int[] y = new int[n]; // [B]
    int[] indices = new int[n];
    byte[] pixels = data.pixelArray();
    long augmentSeed = mix(seed ^ 0x5DEECE66DL, epoch); // a stream apart from the shuffle's
    for (int k = 0; k < n; k++) {
      int i = order[from + k];
      indices[k] = i;
      y[k] = data.label(i);
      normalise(pixels, data.pixelOffset(i), x, k * chw, h * w);
      if (augment != null) {
        augment.apply(x, k * chw, c, h, w, zero, new SplittableRandom(mix(augmentSeed, i)));
      }
    }
    return new Batch(Tensor.of(x, n, c, h, w), IntTensor.of(y, n), indices);
  }

  /** x[out + j] = lut[channel of j][pixel j] for one [C, H, W] image. */
  private void normalise(byte[] pixels, int in, float[] x, int out, int plane) {
    for (int ch = 0; ch < lut.length; ch++) {
      float[] table = lut[ch];
      int base = ch * plane;
      for (int j = 0; j < plane; j++) {
        x[out + base + j] = table[pixels[in + base + j] & 0xff];
      }
    }
  }

  /** Mixes two values into a well-spread 64-bit seed (SplitMix64's finaliser). */
  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    String flags =
        (shuffle ? ", shuffled" : "")
            + (dropLast ? ", drop last" : "")
            + (augment != null ? ", " + augment : "");
    return String.format("DataLoader(%s, batch %d%s)", data, batchSize, flags);
  }
}
