package jcnn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads our three datasets by name ({@code mnist}, {@code fashion-mnist}, {@code cifar10}) and
 * holds their constants: class names and per-channel normalisation mean / std of pixel values / 255
 * over each training set (the usual MNIST and Fashion-MNIST figures; for CIFAR-10 measured on our
 * JPEG-decoded copy, see {@code datasets/README.md}). Where files are looked for is {@link
 * DataPaths}; nothing is downloaded or cached on disk. Tested by {@code DatasetsTest} on the MNIST
 * shipped in {@code datasets/mnist}.
 */
public final class Datasets {
  public static final DatasetInfo MNIST =
      new DatasetInfo(
          "mnist",
          List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
          new float[] {0.1307f},
          new float[] {0.3081f});

  public static final DatasetInfo FASHION_MNIST =
      new DatasetInfo(
          "fashion-mnist",
          List.of(
              "T-shirt/top",
              "Trouser",
              "Pullover",
              "Dress",
              "Coat",
              "Sandal",
              "Shirt",
              "Sneaker",
              "Bag",
              "Ankle boot"),
          new float[] {0.2860f},
          new float[] {0.3530f});

  public static final DatasetInfo CIFAR10 =
      new DatasetInfo(
          "cifar10",
          List.of(
              "airplane",
              "automobile",
              "bird",
              "cat",
              "deer",
              "dog",
              "frog",
              "horse",
              "ship",
              "truck"),
          new float[] {0.4913f, 0.4821f, 0.4465f},
          new float[] {0.2452f, 0.2428f, 0.2606f});

  /** The names {@link #load} accepts. */
  public static final List<String> NAMES = List.of("mnist", "fashion-mnist", "cifar10");

  /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
  public static final Path DEBIAN_FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  static final String CIFAR_ARCHIVE = "cifar-10-binary.tar.gz";
  static final String CIFAR_FOLDER = "cifar-10-batches-bin";

  private Datasets() {}

  /**
   * The training ({@code train}) or test part of dataset {@code name}, looked for under {@code
   * dataDirOrNull} (the {@code --data-dir} flag), then {@code $JCNN_DATA}, then the repo's {@code
   * datasets/}.
   */
  public static Dataset load(String name, boolean train, Path dataDirOrNull) throws IOException {
    return load(name, train, DataPaths.standard(dataDirOrNull));
  }

  /** {@link #load} with an explicit lookup, for tests. */
  static Dataset load(String name, boolean train, DataPaths paths) throws IOException {
    switch (name) {
      case "mnist":
        return loadIdx("MNIST", "mnist", MNIST, train, paths);
      case "fashion-mnist":
        return loadIdx(
            "Fashion-MNIST", "fashion-mnist", FASHION_MNIST, train, paths, DEBIAN_FASHION);
      case "cifar10":
        return loadCifar(train, paths);
      default:
        throw new IllegalArgumentException(
            "unknown dataset '" + name + "', expected one of " + NAMES);
    }
  }

  /** The image shape [C, H, W] of dataset {@code name}'s images. */
  public static int[] imageShape(String name) {
    int side = name.equals("cifar10") ? CifarReader.SIDE : IdxReader.SIDE;
    return new int[] {info(name).channels(), side, side};
  }

  /** A shape as {@code 1x28x28}. */
  public static String shapeText(int[] shape) {
    StringBuilder b = new StringBuilder();
    for (int d : shape) {
      b.append(b.length() == 0 ? "" : "x").append(d);
    }
    return b.toString();
  }

  /** The info (class names, mean / std) of dataset {@code name}, without loading it. */
  public static DatasetInfo info(String name) {
    switch (name) {
      case "mnist":
        return MNIST;
      case "fashion-mnist":
        return FASHION_MNIST;
      case "cifar10":
        return CIFAR10;
      default:
        throw new IllegalArgumentException(
            "unknown dataset '" + name + "', expected one of " + NAMES);
    }
  }

  private static Dataset loadIdx(
      String title, String folder, DatasetInfo info, boolean train, DataPaths paths, Path... extra)
      throws IOException {
    String prefix = train ? "train" : "t10k";
    String images = prefix + "-images-idx3-ubyte";
    String labels = prefix + "-labels-idx1-ubyte";
    Path dir = paths.find(title, folder, List.of(images + ".gz", images), extra);
    return IdxReader.read(
        existing(title, dir, images),
        existing(title, dir, labels),
        train ? 60000 : 10000,
        info,
        train);
  }

  /** {@code dir/name.gz}, else the uncompressed {@code dir/name}. */
  private static Path existing(String title, Path dir, String name) throws DatasetException {
    Path gz = dir.resolve(name + ".gz");
    if (Files.exists(gz)) {
      return gz;
    }
    Path raw = dir.resolve(name);
    if (Files.exists(raw)) {
      return raw;
    }
    throw new DatasetException(
        title + " not found: looked for " + gz + " (set --data-dir or " + DataPaths.ENV + ")");
  }

  private static Dataset loadCifar(boolean train, DataPaths paths) throws IOException {
    Path dir = paths.find("CIFAR-10", "cifar10", List.of(CIFAR_ARCHIVE, CIFAR_FOLDER));
    // The extracted folder reads faster (no gunzip), so it wins when both are there.
    Path folder = dir.resolve(CIFAR_FOLDER);
    Path source = Files.isDirectory(folder) ? folder : dir.resolve(CIFAR_ARCHIVE);
    return CifarReader.read(source, train, CifarReader.CANONICAL_RECORDS, CIFAR10);
  }
}
