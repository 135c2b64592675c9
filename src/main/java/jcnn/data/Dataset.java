package jcnn.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A labelled image set held compactly: pixels as unsigned bytes in [N, C, H, W] order (one byte per
 * value, a quarter of float storage: 47 MB for MNIST train, 154 MB for CIFAR-10 train) plus one int
 * label per image. {@link DataLoader} turns them into normalised float batches.
 *
 * <p>{@link #subset} and {@link #split} return views that share the pixel array and only hold an
 * index list, so carving a validation set copies nothing. A validation set is only ever carved from
 * a training set; splitting a test set is refused. Tested by {@code DatasetTest}.
 */
public final class Dataset {
  /** The two parts returned by {@link #split}. */
  public record Split(Dataset train, Dataset validation) {}

  private final DatasetInfo info;
  private final String part; // "train", "test", "validation", ...
  private final boolean fromTrainingSet;
  private final byte[] pixels; // [M, C, H, W] for the M images of the backing set
  private final int[] labels; // [M]
  private final int[] rows; // [N] indices into the backing set; null means 0..M-1
  private final int channels;
  private final int height;
  private final int width;

  /**
   * A dataset over {@code pixels} ([N, C, H, W] bytes, not copied) and {@code labels} ([N], each in
   * 0..classes-1).
   */
  public Dataset(
      DatasetInfo info,
      boolean train,
      byte[] pixels,
      int[] labels,
      int channels,
      int height,
      int width) {
    this(info, train ? "train" : "test", train, pixels, labels, null, channels, height, width);
    long expected = (long) labels.length * channels * height * width;
    if (channels != info.channels() || pixels.length != expected) {
      throw new IllegalArgumentException(
          String.format(
              "Dataset %s: %d pixel bytes for %d labels of [%d, %d, %d] (expected %d bytes and"
                  + " %d channels)",
              info.name(),
              pixels.length,
              labels.length,
              channels,
              height,
              width,
              expected,
              info.channels()));
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= info.numClasses()) {
        throw new IllegalArgumentException(
            String.format(
                "Dataset %s: label %d of image %d is outside 0..%d",
                info.name(), labels[i], i, info.numClasses() - 1));
      }
    }
  }

  private Dataset(
      DatasetInfo info,
      String part,
      boolean fromTrainingSet,
      byte[] pixels,
      int[] labels,
      int[] rows,
      int channels,
      int height,
      int width) {
    this.info = info;
    this.part = part;
    this.fromTrainingSet = fromTrainingSet;
    this.pixels = pixels;
    this.labels = labels;
    this.rows = rows;
    this.channels = channels;
    this.height = height;
    this.width = width;
  }

  public DatasetInfo info() {
    return info;
  }

  public String name() {
    return info.name();
  }

  /** "train", "test", "validation", or "subset of ..." for a view. */
  public String part() {
    return part;
  }

  /** True for the training set and any view carved from it. */
  public boolean isFromTrainingSet() {
    return fromTrainingSet;
  }

  public int size() {
    return rows == null ? labels.length : rows.length;
  }

  public int channels() {
    return channels;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int numClasses() {
    return info.numClasses();
  }

  /** Bytes per image: C * H * W. */
  public int imageSize() {
    return channels * height * width;
  }

  public int label(int i) {
    return labels[row(i)];
  }

  /**
   * The pixel (0..255) of image {@code i} at channel {@code c}, row {@code y}, column {@code x}.
   */
  public int pixel(int i, int c, int y, int x) {
    return pixels[pixelOffset(i) + (c * height + y) * width + x] & 0xff;
  }

  /** A copy of image {@code i}'s bytes, [C, H, W]. */
  public byte[] image(int i) {
    int off = pixelOffset(i);
    return Arrays.copyOfRange(pixels, off, off + imageSize());
  }

  /** How many images of each class, [classes]. */
  public int[] classCounts() {
    int[] counts = new int[numClasses()];
    for (int i = 0; i < size(); i++) {
      counts[label(i)]++;
    }
    return counts;
  }

  /** The backing pixel array, shared with every view; read it at {@link #pixelOffset}. */
  byte[] pixelArray() {
    return pixels;
  }

  /** Where image {@code i} starts in {@link #pixelArray}. */
  int pixelOffset(int i) {
    return row(i) * imageSize();
  }

  private int row(int i) {
    if (i < 0 || i >= size()) {
      throw new IndexOutOfBoundsException("image " + i + " of " + this + " (size " + size() + ")");
    }
    return rows == null ? i : rows[i];
  }

  /**
   * A view of the images at {@code indices} (in that order; repeats allowed); nothing is copied.
   */
  public Dataset subset(int[] indices) {
    return view("subset of " + part, indices);
  }

  /**
   * Carves {@code valCount} images at random (seeded) out of this training set as a validation set;
   * the rest is the new training set. Both parts keep their original order, never overlap and
   * together cover this set.
   */
  public Split split(int valCount, long seed) {
    if (!fromTrainingSet) {
      throw new IllegalStateException(
          "split: " + this + " is a test set; carve validation data from the training set");
    }
    if (valCount <= 0 || valCount >= size()) {
      throw new IllegalArgumentException(
          String.format(
              "split: validation count %d must be in 1..%d for %s", valCount, size() - 1, this));
    }
    int[] order = new int[size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    shuffle(order, new SplittableRandom(seed));
    int[] val = Arrays.copyOf(order, valCount);
    int[] train = Arrays.copyOfRange(order, valCount, order.length);
    Arrays.sort(val);
    Arrays.sort(train);
    return new Split(view("train", train), view("validation", val));
  }

  private Dataset view(String viewPart, int[] indices) {
    int[] mapped = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      mapped[k] = row(indices[k]); // checks range and composes with an existing view
    }
    return new Dataset(
        info, viewPart, fromTrainingSet, pixels, labels, mapped, channels, height, width);
  }

  /** Fisher-Yates; the one shuffle of this package, so splits and epochs agree on its meaning. */
  static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  @Override
  public String toString() {
    return String.format(
        "%s %s [%d, %d, %d, %d]", info.name(), part, size(), channels, height, width);
  }
}
