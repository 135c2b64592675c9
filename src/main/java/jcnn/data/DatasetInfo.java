package jcnn.data;

import java.util.Arrays;
import java.util.List;

/**
 * What the train and test parts of one dataset share: its name, class names and the per-channel
 * normalisation constants (mean and std of pixel values / 255 over the training set). The constants
 * for our three datasets are in {@link Datasets}.
 */
public final class DatasetInfo {
  private final String name;
  private final List<String> classNames;
  private final float[] mean; // [C]
  private final float[] std; // [C]

  public DatasetInfo(String name, List<String> classNames, float[] mean, float[] std) {
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException(
          String.format(
              "DatasetInfo %s: mean %s and std %s need one value per channel",
              name, Arrays.toString(mean), Arrays.toString(std)));
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException(
            "DatasetInfo " + name + ": std " + Arrays.toString(std) + " must be positive");
      }
    }
    this.name = name;
    this.classNames = List.copyOf(classNames);
    this.mean = mean.clone();
    this.std = std.clone();
  }

  public String name() {
    return name;
  }

  public List<String> classNames() {
    return classNames;
  }

  public int numClasses() {
    return classNames.size();
  }

  public int channels() {
    return mean.length;
  }

  /** Mean of pixel / 255 per channel. */
  public float[] mean() {
    return mean.clone();
  }

  /** Standard deviation of pixel / 255 per channel. */
  public float[] std() {
    return std.clone();
  }

  @Override
  public String toString() {
    return name;
  }
}
