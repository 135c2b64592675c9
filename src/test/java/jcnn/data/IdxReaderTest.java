package jcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IDX reading on small files made in a temp dir: a round trip (gzip and raw) and every kind of
 * damage, each of which must give one line naming the file and the expectation.
 */
class IdxReaderTest {
  private static final int PX = 28 * 28;

  @TempDir Path dir;

  private Path write(String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  private static byte[] images(int n, int claimed) {
    return Synthetic.idx(Synthetic.randomBytes(n * PX, 7), 2051, claimed, 28, 28);
  }

  private static byte[] labels(int... y) {
    byte[] b = new byte[y.length];
    for (int i = 0; i < y.length; i++) {
      b[i] = (byte) y[i];
    }
    return Synthetic.idx(b, 2049, y.length);
  }

  /** Asserts the read fails with one line containing every fragment; returns the message. */
  private static String fails(IoCall call, String... fragments) {
    DatasetException e = assertThrows(DatasetException.class, call::run);
    String m = e.getMessage();
    assertFalse(m.contains("\n"), "one line: " + m);
    for (String f : fragments) {
      assertTrue(m.contains(f), "message '" + m + "' should contain '" + f + "'");
    }
    return m;
  }

  private interface IoCall {
    void run() throws IOException;
  }

  @Test
  void readsGzipAndRawAlike() throws IOException {
    byte[] img = images(3, 3);
    byte[] lab = labels(4, 0, 9);
    Dataset raw = IdxReader.read(write("i", img), write("l", lab), 3, Synthetic.GREY, true);
    Dataset gz =
        IdxReader.read(
            write("i.gz", Synthetic.gzip(img)),
            write("l.gz", Synthetic.gzip(lab)),
            -1,
            Synthetic.GREY,
            false);
    byte[] pixels = Arrays.copyOfRange(img, 16, 16 + 3 * PX);
    for (Dataset d : new Dataset[] {raw, gz}) {
      assertEquals(3, d.size());
      assertEquals(1, d.channels());
      assertEquals(28, d.height());
      assertEquals(28, d.width());
      assertArrayEquals(new int[] {4, 0, 9}, new int[] {d.label(0), d.label(1), d.label(2)});
      assertArrayEquals(Arrays.copyOfRange(pixels, PX, 2 * PX), d.image(1));
      assertEquals(pixels[2 * PX + 5 * 28 + 6] & 0xff, d.pixel(2, 0, 5, 6));
    }
    assertTrue(raw.isFromTrainingSet());
    assertFalse(gz.isFromTrainingSet());
  }

  @Test
  void truncatedImagesGzip() throws IOException {
    // The header promises 10 images, the body holds 5.
    Path p = write("t10k-images-idx3-ubyte.gz", Synthetic.gzip(images(5, 10)));
    fails(
        () -> IdxReader.readImages(p, -1),
        p.toString(),
        "truncated",
        "header says 10 images of 28x28 (" + (16 + 10 * PX) + " bytes)",
        "file has " + (16 + 5 * PX) + " bytes");
  }

  @Test
  void truncatedImagesRaw() throws IOException {
    Path p = write("t10k-images-idx3-ubyte", images(5, 10));
    fails(
        () -> IdxReader.readImages(p, -1),
        p.toString(),
        "truncated: header says 10 images of 28x28 ("
            + (16 + 10 * PX)
            + " bytes), file has "
            + (16 + 5 * PX)
            + " bytes");
  }

  @Test
  void gzipStreamCutOffMidway() throws IOException {
    byte[] gz = Synthetic.gzip(images(10, 10));
    Path p = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
    fails(() -> IdxReader.readImages(p, -1), p.toString(), "truncated", "header says 10 images");
  }

  @Test
  void headerCutShort() throws IOException {
    Path p = write("short", new byte[] {0, 0, 8, 3, 0, 0});
    fails(() -> IdxReader.readImages(p, -1), p.toString(), "16-byte header", "file has 6 bytes");
  }

  @Test
  void extraBytesAfterTheImages() throws IOException {
    byte[] img = images(2, 2);
    Path p = write("long", Arrays.copyOf(img, img.length + 3));
    fails(
        () -> IdxReader.readImages(p, -1),
        p.toString(),
        "(" + (16 + 2 * PX) + " bytes), file has " + (16 + 2 * PX + 3) + " bytes");
  }

  @Test
  void wrongMagic() throws IOException {
    Path lab = write("train-labels-idx1-ubyte", labels(1, 2));
    fails(
        () -> IdxReader.readImages(lab, -1),
        lab.toString(),
        "wrong magic number 2049, expected 2051 (an IDX image file)");
    Path img = write("train-images-idx3-ubyte", images(1, 1));
    fails(
        () -> IdxReader.readLabels(img, 10),
        img.toString(),
        "wrong magic number 2051, expected 2049");
  }

  @Test
  void wrongDims() throws IOException {
    Path p = write("big", Synthetic.idx(new byte[32 * 32], 2051, 1, 32, 32));
    fails(() -> IdxReader.readImages(p, -1), p.toString(), "32x32, expected 28x28");
  }

  @Test
  void unexpectedCount() throws IOException {
    Path p = write("few", images(2, 2));
    fails(() -> IdxReader.readImages(p, 60000), p.toString(), "2 images, expected 60000");
  }

  @Test
  void labelCountMismatch() throws IOException {
    Path img = write("imgs", images(3, 3));
    Path lab = write("labs.gz", Synthetic.gzip(labels(1, 2)));
    fails(
        () -> IdxReader.read(img, lab, -1, Synthetic.GREY, true),
        lab.toString(),
        "2 labels, expected 3",
        "imgs");
  }

  @Test
  void labelOutOfRange() throws IOException {
    Path p = write("labs", labels(3, 12, 1));
    fails(() -> IdxReader.readLabels(p, 10), p.toString(), "label 12 at index 1, expected 0..9");
  }

  @Test
  void missingFile() {
    Path p = dir.resolve("nothing-here.gz");
    fails(() -> IdxReader.readImages(p, -1), p.toString(), "no such file");
  }

  @Test
  void notGzipAfterAll() throws IOException {
    // The gzip magic followed by garbage.
    Path p = write("bad.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    fails(() -> IdxReader.readImages(p, -1), p.toString(), "gzip");
  }
}
