package jcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CIFAR-10 binary reading on small synthetic folders and archives made in a temp dir (3 records per
 * training batch, 2 in the test batch), plus each kind of damage. The real 170 MB archive is read
 * only when {@code JCNN_SLOW_TESTS=1} (system property or environment).
 */
class CifarReaderTest {
  private static final int REC = CifarReader.RECORD_BYTES;

  @TempDir Path dir;

  /** Batch k (0..4 train, 5 test) has 3 records (2 for test), labels starting at k. */
  private static byte[][] contents() {
    byte[][] c = new byte[6][];
    for (int k = 0; k < 6; k++) {
      c[k] = Synthetic.cifarRecords(k < 5 ? 3 : 2, k, 100 * k);
    }
    return c;
  }

  private static String[] names() {
    String[] n = Arrays.copyOf(CifarReader.batchFiles(true), 6);
    n[5] = "test_batch.bin";
    return n;
  }

  private Path folder(byte[][] contents) throws IOException {
    return folder(dir.resolve("cifar-10-batches-bin"), contents);
  }

  private static Path folder(Path where, byte[][] contents) throws IOException {
    Path d = Files.createDirectories(where);
    String[] names = names();
    for (int k = 0; k < names.length; k++) {
      Files.write(d.resolve(names[k]), contents[k]);
    }
    return d;
  }

  /**
   * Checks image r of batch k (records of {@link Synthetic#cifarRecords}) against dataset row i.
   */
  private static void assertRecord(Dataset d, int i, int k, int r) {
    assertEquals((k + r) % 10, d.label(i));
    byte[] px = Synthetic.randomBytes(CifarReader.IMAGE_BYTES, 100L * k + r);
    assertArrayEquals(px, d.image(i));
    // The record is already [C, H, W]: green plane, row 5, column 7.
    assertEquals(px[1024 + 5 * 32 + 7] & 0xff, d.pixel(i, 1, 5, 7));
  }

  private static void assertSynthetic(Dataset train, Dataset test) {
    assertEquals(15, train.size());
    assertEquals(3, train.channels());
    assertEquals(32, train.height());
    for (int k = 0; k < 5; k++) {
      for (int r = 0; r < 3; r++) {
        assertRecord(train, 3 * k + r, k, r);
      }
    }
    assertEquals(2, test.size());
    assertRecord(test, 1, 5, 1);
    assertTrue(train.isFromTrainingSet());
    assertFalse(test.isFromTrainingSet());
  }

  @Test
  void readsExtractedFolder() throws IOException {
    Path d = folder(contents());
    assertSynthetic(
        CifarReader.read(d, true, 0, Datasets.CIFAR10),
        CifarReader.read(d, false, 0, Datasets.CIFAR10));
  }

  @Test
  void readsArchiveWhateverTheEntryOrder() throws IOException {
    byte[][] c = contents();
    String[] n = names();
    int[] order = {5, 2, 0, 4, 1, 3}; // test first, batches shuffled
    String[] names = new String[7];
    byte[][] data = new byte[7][];
    names[0] = "batches.meta.txt";
    data[0] = "airplane\n".getBytes();
    for (int j = 0; j < 6; j++) {
      names[j + 1] = n[order[j]];
      data[j + 1] = c[order[j]];
    }
    Path a = dir.resolve("cifar-10-binary.tar.gz");
    Synthetic.tarGz(a, "cifar-10-batches-bin/", names, data);
    assertSynthetic(
        CifarReader.read(a, true, 0, Datasets.CIFAR10),
        CifarReader.read(a, false, 0, Datasets.CIFAR10));
  }

  private static void assertFails(IoCall call, String... fragments) {
    DatasetException e = assertThrows(DatasetException.class, call::run);
    String m = e.getMessage();
    assertFalse(m.contains("\n"), "one line: " + m);
    for (String f : fragments) {
      assertTrue(m.contains(f), "message '" + m + "' should contain '" + f + "'");
    }
  }

  private interface IoCall {
    void run() throws IOException;
  }

  @Test
  void binOfWrongLength() throws IOException {
    byte[][] c = contents();
    c[0] = Arrays.copyOf(Synthetic.cifarRecords(10, 0, 1), 10 * REC + 5);
    Path d = folder(c);
    assertFails(
        () -> CifarReader.read(d, true, 10, Datasets.CIFAR10),
        "data_batch_1.bin",
        (10 * REC + 5) + " bytes, expected 10 records of 3073 bytes (" + 10 * REC + " bytes)");
    assertFails(
        () -> CifarReader.read(d, true, 0, Datasets.CIFAR10),
        "data_batch_1.bin",
        "not a whole",
        "10 records and 5 bytes over");
  }

  @Test
  void canonicalCountIsEnforcedByDatasets() throws IOException {
    // A well-formed but non-canonical copy (3 and 2 records per file) under root/cifar10.
    Path root = dir.resolve("root");
    folder(root.resolve("cifar10/cifar-10-batches-bin"), contents());
    assertFails(
        () -> Datasets.load("cifar10", false, new DataPaths(root, null, null)),
        "test_batch.bin",
        "expected 10000 records");
  }

  @Test
  void archiveMissingABatch() throws IOException {
    byte[][] c = contents();
    String[] n = names();
    Path a = dir.resolve("cifar-10-binary.tar.gz");
    Synthetic.tarGz(
        a,
        "cifar-10-batches-bin/",
        new String[] {n[0], n[1], n[3], n[4], n[5]},
        new byte[][] {c[0], c[1], c[3], c[4], c[5]});
    assertFails(
        () -> CifarReader.read(a, true, 0, Datasets.CIFAR10),
        a.toString(),
        "has no data_batch_3.bin",
        "expected data_batch_1.bin .. data_batch_5.bin");
    assertEquals(2, CifarReader.read(a, false, 0, Datasets.CIFAR10).size());
  }

  @Test
  void folderMissingABatch() throws IOException {
    Path d = folder(contents());
    Files.delete(d.resolve("data_batch_4.bin"));
    assertFails(
        () -> CifarReader.read(d, true, 0, Datasets.CIFAR10),
        d.resolve("data_batch_4.bin").toString(),
        "not found");
  }

  @Test
  void truncatedArchive() throws IOException {
    Path a = dir.resolve("full.tar.gz");
    Synthetic.tarGz(a, "", names(), contents());
    byte[] all = Files.readAllBytes(a);
    Path cut = dir.resolve("cut.tar.gz");
    Files.write(cut, Arrays.copyOf(all, all.length / 2));
    assertFails(() -> CifarReader.read(cut, true, 0, Datasets.CIFAR10), cut.toString());
  }

  @Test
  void labelOutOfRange() throws IOException {
    byte[][] c = contents();
    c[2][REC] = 10; // record 1 of data_batch_3.bin
    Path d = folder(c);
    assertFails(
        () -> CifarReader.read(d, true, 0, Datasets.CIFAR10),
        "data_batch_3.bin",
        "record 1 has label 10, expected 0..9");
  }

  private static boolean slowTestsEnabled() {
    return "1".equals(System.getProperty("JCNN_SLOW_TESTS"))
        || "1".equals(System.getenv("JCNN_SLOW_TESTS"));
  }

  /** The real archive, from $JCNN_DATA or the shared copy; per-class counts from its README. */
  @Test
  void realArchive() throws IOException {
    assumeTrue(slowTestsEnabled(), "set JCNN_SLOW_TESTS=1 to read the real CIFAR-10 archive");
    Path shared = Path.of("/work/shared/datasets");
    DataPaths paths = new DataPaths(null, System.getenv(DataPaths.ENV), shared);
    long t0 = System.nanoTime();
    Dataset train = Datasets.load("cifar10", true, paths);
    long t1 = System.nanoTime();
    Dataset test = Datasets.load("cifar10", false, paths);
    System.out.printf(
        "CIFAR-10 archive: train read in %.0f ms, test in %.0f ms%n",
        (t1 - t0) / 1e6, (System.nanoTime() - t1) / 1e6);
    assertEquals(50000, train.size());
    assertEquals(10000, test.size());
    int[] fiveThousand = new int[10];
    Arrays.fill(fiveThousand, 5000);
    assertArrayEquals(fiveThousand, train.classCounts());
    int[] firstBatch = train.subset(rangeOf(10000)).classCounts();
    assertArrayEquals(
        new int[] {986, 949, 1026, 998, 986, 952, 1049, 1032, 1007, 1015}, firstBatch);
    assertArrayEquals(
        new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, test.classCounts());
  }

  private static int[] rangeOf(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }
}
