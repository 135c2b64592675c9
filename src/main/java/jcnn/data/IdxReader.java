package jcnn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads MNIST and Fashion-MNIST IDX files (LeCun et al.), gzip-compressed or raw; gzip is
 * recognised by its magic bytes 1f 8b, not by the file name.
 *
 * <p>Format, all integers big-endian uint32: an image file is magic 2051, count, rows, cols, then
 * count x rows x cols unsigned bytes, row-major; a label file is magic 2049, count, then count
 * label bytes. Everything is checked: magic, 28x28 dims, the expected count, that the file holds
 * exactly the advertised bytes (no fewer, no more), labels in 0..9, and that the two files agree on
 * the count. Each failure is a {@link DatasetException} with one line naming the file. Tested by
 * {@code IdxReaderTest} (corrupted files in a temp dir) and {@code DatasetsTest} (the real MNIST).
 */
public final class IdxReader {
  public static final int IMAGE_MAGIC = 2051;
  public static final int LABEL_MAGIC = 2049;

  /** MNIST and Fashion-MNIST image side. */
  public static final int SIDE = 28;

  private IdxReader() {}

  /**
   * Reads an image file and its label file into a dataset of [N, 1, 28, 28] images. {@code
   * expectedCount} is the number of images the canonical files hold (60000 or 10000), or -1 to
   * accept any.
   */
  public static Dataset read(
      Path images, Path labels, int expectedCount, DatasetInfo info, boolean train)
      throws IOException {
    byte[] pixels = readImages(images, expectedCount); // [N, 1, 28, 28]
    int[] y = readLabels(labels, info.numClasses()); // [N]
    int n = pixels.length / (SIDE * SIDE);
    if (y.length != n) {
      throw error(
          labels,
          "has %d labels, expected %d to match the images of %s",
          y.length,
          n,
          images.getFileName());
    }
    return new Dataset(info, train, pixels, y, 1, SIDE, SIDE);
  }

  /** The pixels of an IDX image file, [N, 28, 28] bytes. */
  public static byte[] readImages(Path file, int expectedCount) throws IOException {
    try (InputStream in = open(file)) {
      int[] header = readHeader(file, in, 4, IMAGE_MAGIC, "image"); // magic, n, rows, cols
      int n = header[1];
      if (header[2] != SIDE || header[3] != SIDE) {
        throw error(file, "images are %dx%d, expected %dx%d", header[2], header[3], SIDE, SIDE);
      }
      checkCount(file, n, expectedCount, "images");
      String what = String.format("header says %d images of %dx%d", n, SIDE, SIDE);
      return readBody(file, in, (long) n * SIDE * SIDE, 16, what);
    }
  }

  /** The labels of an IDX label file, each checked to lie in 0..classes-1. */
  public static int[] readLabels(Path file, int classes) throws IOException {
    try (InputStream in = open(file)) {
      int[] header = readHeader(file, in, 2, LABEL_MAGIC, "label"); // magic, n
      int n = header[1];
      checkCount(file, n, -1, "labels");
      byte[] raw = readBody(file, in, n, 8, "header says " + n + " labels");
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = raw[i] & 0xff;
        if (labels[i] >= classes) {
          throw error(file, "label %d at index %d, expected 0..%d", labels[i], i, classes - 1);
        }
      }
      return labels;
    }
  }

  /** Opens {@code file}, decompressing when it starts with the gzip magic 1f 8b. */
  static InputStream open(Path file) throws IOException {
    InputStream raw;
    try {
      raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    } catch (NoSuchFileException e) {
      throw error(file, "no such file");
    }
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    if (b0 != 0x1f || b1 != 0x8b) {
      return raw;
    }
    try {
      return new GZIPInputStream(raw, 1 << 16);
    } catch (ZipException | EOFException e) {
      raw.close();
      throw new DatasetException(file + ": not a valid gzip file (" + e.getMessage() + ")", e);
    }
  }

  /** "FILE: message", the one-line form of every error here. */
  private static DatasetException error(Path file, String format, Object... args) {
    return new DatasetException(file + ": " + String.format(format, args));
  }

  /** Sizes in messages are of the uncompressed content; say so for a gzip file. */
  private static String unzipped(Path file) {
    return file.getFileName().toString().endsWith(".gz") ? " (unzipped)" : "";
  }

  /**
   * Reads the {@code ints} big-endian uint32 header fields, checking the magic number (the first)
   * before the rest, so a file of the wrong kind is named as such even when it is short.
   */
  private static int[] readHeader(Path file, InputStream in, int ints, int magic, String kind)
      throws IOException {
    byte[] b = new byte[4 * ints];
    int got = readFully(file, in, b, 0, 4);
    if (got == 4 && bigEndian(b, 0) != magic) {
      throw error(
          file,
          "wrong magic number %d, expected %d (an IDX %s file)",
          bigEndian(b, 0),
          magic,
          kind);
    }
    got += readFully(file, in, b, got, b.length - got);
    if (got < b.length) {
      throw error(
          file,
          "truncated: an IDX %s file starts with a %d-byte header, file has %d bytes%s",
          kind,
          b.length,
          got,
          unzipped(file));
    }
    int[] v = new int[ints];
    for (int i = 0; i < ints; i++) {
      v[i] = bigEndian(b, 4 * i);
    }
    return v;
  }

  private static int bigEndian(byte[] b, int at) {
    return (b[at] & 0xff) << 24
        | (b[at + 1] & 0xff) << 16
        | (b[at + 2] & 0xff) << 8
        | b[at + 3] & 0xff;
  }

  private static void checkCount(Path file, int n, int expected, String what)
      throws DatasetException {
    if (n < 0) {
      throw error(
          file, "header says %s %s, more than jcnn can hold", Integer.toUnsignedString(n), what);
    }
    if (expected >= 0 && n != expected) {
      throw error(file, "header says %d %s, expected %d", n, what, expected);
    }
  }

  /**
   * Reads exactly {@code bytes} body bytes and checks that nothing follows them; {@code headerLen}
   * only makes the sizes in messages whole-file sizes.
   */
  private static byte[] readBody(Path file, InputStream in, long bytes, int headerLen, String what)
      throws IOException {
    if (bytes > Integer.MAX_VALUE - 16) {
      throw error(file, "%s, more than a Java array can hold", what);
    }
    byte[] body = new byte[(int) bytes];
    int got = readFully(file, in, body, 0, body.length);
    long expected = bytes + headerLen;
    if (got < body.length) {
      throw error(
          file,
          "truncated: %s (%d bytes), file has %d bytes%s",
          what,
          expected,
          got + headerLen,
          unzipped(file));
    }
    long extra = drain(file, in);
    if (extra > 0) {
      throw error(
          file,
          "%s (%d bytes), file has %d bytes%s",
          what,
          expected,
          expected + extra,
          unzipped(file));
    }
    return body;
  }

  /**
   * Reads up to {@code len} bytes into {@code b} from {@code off}; returns how many came before the
   * end. A gzip stream cut off mid-way ends here too (its EOFException), so truncation reads the
   * same for raw and gzip files.
   */
  private static int readFully(Path file, InputStream in, byte[] b, int off, int len)
      throws IOException {
    int got = 0;
    try {
      while (got < len) {
        int r = in.read(b, off + got, len - got);
        if (r < 0) {
          break;
        }
        got += r;
      }
    } catch (EOFException e) {
      return got;
    } catch (ZipException e) {
      throw new DatasetException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
    }
    return got;
  }

  /** Reads to the end, returning how many bytes were left. */
  private static long drain(Path file, InputStream in) throws IOException {
    byte[] buf = new byte[1 << 14];
    long extra = 0;
    int r;
    while ((r = readFully(file, in, buf, 0, buf.length)) > 0) {
      extra += r;
    }
    return extra;
  }
}
