package jcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real MNIST shipped in the repo's {@code datasets/mnist} (counts, per-class counts, first
 * labels, normalisation constants) and the lookup order of {@link DataPaths}.
 */
class DatasetsTest {
  /** The repo's datasets/ folder; Surefire runs in the repo root. */
  private static final Path REPO = Path.of("datasets");

  private static Dataset train;
  private static Dataset test;

  @TempDir Path tmp;

  @BeforeAll
  static void loadMnist() throws IOException {
    DataPaths repoOnly = new DataPaths(null, null, REPO);
    long t0 = System.nanoTime();
    train = Datasets.load("mnist", true, repoOnly);
    test = Datasets.load("mnist", false, repoOnly);
    System.out.printf("MNIST train + test loaded in %.0f ms%n", (System.nanoTime() - t0) / 1e6);
  }

  @Test
  void mnistCountsAndLabels() {
    assertEquals(60000, train.size());
    assertEquals(10000, test.size());
    assertEquals("mnist train [60000, 1, 28, 28]", train.toString());
    assertArrayEquals(
        new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
        train.classCounts());
    assertArrayEquals(
        new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, test.classCounts());
    assertEquals(5, train.label(0));
    assertEquals(7, test.label(0));
  }

  @Test
  void mnistMeanAndStdMatchTheConstants() {
    // Over the training set, in double: mean 0.1307, std 0.3081 of pixel / 255.
    double sum = 0;
    double sq = 0;
    long n = 0;
    for (int i = 0; i < train.size(); i++) {
      for (byte b : train.image(i)) {
        double v = (b & 0xff) / 255.0;
        sum += v;
        sq += v * v;
        n++;
      }
    }
    double mean = sum / n;
    double std = Math.sqrt(sq / n - mean * mean);
    assertEquals(Datasets.MNIST.mean()[0], mean, 1e-4);
    assertEquals(Datasets.MNIST.std()[0], std, 1e-4);
  }

  @Test
  void repoDatasetsIsFoundFromTheWorkingDirectory() throws IOException {
    Path found = DataPaths.repoDatasets();
    assertEquals(REPO.toAbsolutePath().normalize(), found.toAbsolutePath().normalize());
  }

  @Test
  void lookupOrderIsDataDirThenEnvThenRepo() throws IOException {
    Path a = Files.createDirectories(tmp.resolve("a/mnist"));
    Path b = Files.createDirectories(tmp.resolve("b/mnist"));
    Files.createFile(b.resolve("t10k-images-idx3-ubyte.gz"));
    List<String> markers = List.of("t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte");
    // a/mnist exists but is empty: the env root b wins over it and over the repo.
    DataPaths paths = new DataPaths(tmp.resolve("a"), tmp.resolve("b").toString(), REPO);
    assertEquals(b, paths.find("MNIST", "mnist", markers));
    // Raw files count too, and the first root holding the dataset wins.
    Files.createFile(a.resolve("t10k-images-idx3-ubyte"));
    assertEquals(a, paths.find("MNIST", "mnist", markers));
    // Extra folders come last (Fashion-MNIST's Debian folder).
    Path extra = Files.createDirectories(tmp.resolve("debian"));
    Files.createFile(extra.resolve("x"));
    assertEquals(extra, paths.find("F", "fashion-mnist", List.of("x"), extra));
  }

  @Test
  void loadsFromTheDataDirAndReportsEveryPlaceLooked() throws IOException {
    Path root = tmp.resolve("root");
    Path mnist = Files.createDirectories(root.resolve("mnist"));
    for (String f : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
      Files.copy(REPO.resolve("mnist").resolve(f), mnist.resolve(f));
    }
    Dataset d = Datasets.load("mnist", false, new DataPaths(root, null, null));
    assertEquals(10000, d.size());
    assertEquals(7, d.label(0));

    Path empty = tmp.resolve("empty");
    Path env = tmp.resolve("env");
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> Datasets.load("mnist", true, new DataPaths(empty, env.toString(), null)));
    assertEquals(
        "MNIST not found: looked for "
            + empty.resolve("mnist/train-images-idx3-ubyte.gz")
            + ", "
            + env.resolve("mnist/train-images-idx3-ubyte.gz")
            + " (set --data-dir or JCNN_DATA)",
        e.getMessage());
  }

  @Test
  void missingLabelsFileIsNamed() throws IOException {
    Path mnist = Files.createDirectories(tmp.resolve("mnist"));
    Files.copy(
        REPO.resolve("mnist/t10k-images-idx3-ubyte.gz"),
        mnist.resolve("t10k-images-idx3-ubyte.gz"));
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> Datasets.load("mnist", false, new DataPaths(tmp, null, null)));
    assertTrue(
        e.getMessage().contains("looked for " + mnist.resolve("t10k-labels-idx1-ubyte.gz")),
        e.getMessage());
  }

  @Test
  void unknownName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Datasets.load("svhn", true, tmp));
    assertTrue(e.getMessage().contains("[mnist, fashion-mnist, cifar10]"), e.getMessage());
  }

  @Test
  void constants() {
    assertEquals(0.2860f, Datasets.info("fashion-mnist").mean()[0]);
    assertArrayEquals(new float[] {0.2452f, 0.2428f, 0.2606f}, Datasets.CIFAR10.std());
    assertEquals("truck", Datasets.CIFAR10.classNames().get(9));
  }

  /** Fashion-MNIST from Debian's package, when installed: test set, 1000 per class. */
  @Test
  void fashionFromDebian() throws IOException {
    assumeTrue(Files.isDirectory(Datasets.DEBIAN_FASHION), "dataset-fashion-mnist not installed");
    Dataset f = Datasets.load("fashion-mnist", false, new DataPaths(null, null, REPO));
    assertEquals(10000, f.size());
    assertArrayEquals(
        new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, f.classCounts());
  }
}
