package jcnn.data;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a dataset is looked for, in order: the {@code --data-dir} root, the root named by the
 * environment variable {@code JCNN_DATA}, the repository's own {@code datasets/} folder, then any
 * extra folders the dataset names (Fashion-MNIST: {@code /usr/share/datasets/fashion-mnist}, where
 * Debian installs it). A root holds one sub-folder per dataset ({@code mnist/}, {@code
 * fashion-mnist/}, {@code cifar10/}); see {@code datasets/README.md}. The first candidate that has
 * the dataset wins, so one root may hold only some of them. Tested by {@code DatasetsTest}.
 */
public final class DataPaths {
  /** The environment variable naming a data root. */
  public static final String ENV = "JCNN_DATA";

  private final List<Path> roots;

  /** Candidate roots, in order; null entries are skipped. */
  DataPaths(Path dataDir, String envValue, Path repoDatasets) {
    List<Path> r = new ArrayList<>();
    if (dataDir != null) {
      r.add(dataDir);
    }
    if (envValue != null && !envValue.isBlank()) {
      r.add(Path.of(envValue));
    }
    if (repoDatasets != null) {
      r.add(repoDatasets);
    }
    this.roots = List.copyOf(r);
  }

  /** The standard lookup: {@code dataDirOrNull}, then {@code $JCNN_DATA}, then the repo. */
  public static DataPaths standard(Path dataDirOrNull) {
    return new DataPaths(dataDirOrNull, System.getenv(ENV), repoDatasets());
  }

  /** The candidate roots, in lookup order. */
  public List<Path> roots() {
    return roots;
  }

  /**
   * The first folder among {@code root/folder} for each root, then {@code extraDirs}, that holds
   * one of {@code markers} (file or folder names; the message names only the first). Otherwise a
   * {@link DatasetException} listing every path looked at, e.g. "MNIST not found: looked for
   * /d/mnist/train-images-idx3-ubyte.gz (set --data-dir or JCNN_DATA)".
   */
  public Path find(String title, String folder, List<String> markers, Path... extraDirs)
      throws DatasetException {
    List<Path> dirs = new ArrayList<>();
    for (Path root : roots) {
      dirs.add(root.resolve(folder));
    }
    dirs.addAll(List.of(extraDirs));
    for (Path dir : dirs) {
      for (String m : markers) {
        if (Files.exists(dir.resolve(m))) {
          return dir;
        }
      }
    }
    List<String> looked = new ArrayList<>();
    for (Path dir : dirs) {
      looked.add(dir.resolve(markers.get(0)).toString());
    }
    throw new DatasetException(
        String.format(
            "%s not found: looked for %s (set --data-dir or %s)",
            title, String.join(", ", looked), ENV));
  }

  /**
   * The repository's {@code datasets/} folder: the first folder holding both {@code pom.xml} and
   * {@code datasets/}, searched upwards from the working directory and then from where jcnn's
   * classes were loaded (target/classes or the jar), so it is found from anywhere in the checkout.
   */
  static Path repoDatasets() {
    Path found = searchUp(Path.of("").toAbsolutePath());
    if (found == null) {
      found = searchUp(codeLocation());
    }
    return found;
  }

  private static Path searchUp(Path start) {
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("datasets"))) {
        return p.resolve("datasets");
      }
    }
    return null;
  }

  private static Path codeLocation() {
    try {
      var source = DataPaths.class.getProtectionDomain().getCodeSource();
      return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath();
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      return null; // an unusual class loader: the other places still apply
    }
  }
}
