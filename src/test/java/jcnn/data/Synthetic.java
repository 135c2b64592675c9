package jcnn.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small made-up datasets and dataset files for the tests of this package. */
final class Synthetic {
  private Synthetic() {}

  static final DatasetInfo GREY =
      new DatasetInfo(
          "grey",
          List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"),
          new float[] {0.25f},
          new float[] {0.5f});

  static final DatasetInfo RGB =
      new DatasetInfo(
          "rgb",
          List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"),
          new float[] {0.4f, 0.5f, 0.6f},
          new float[] {0.2f, 0.25f, 0.3f});

  /** {@code n} random images [n, C, h, w] with labels i % 10, as a training set. */
  static Dataset dataset(DatasetInfo info, int n, int h, int w, long seed) {
    int c = info.channels();
    byte[] pixels = new byte[n * c * h * w];
    new SplittableRandom(seed).nextBytes(pixels);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 10;
    }
    return new Dataset(info, true, pixels, labels, c, h, w);
  }

  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  /** An IDX header of big-endian ints followed by {@code body}. */
  static byte[] idx(byte[] body, int... header) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int v : header) {
      out.write(v >>> 24);
      out.write(v >>> 16);
      out.write(v >>> 8);
      out.write(v);
    }
    out.writeBytes(body);
    return out.toByteArray();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(raw);
    }
    return bytes.toByteArray();
  }

  /** {@code n} CIFAR records: label (first + r) % 10, then 3072 pixel bytes of seed + r. */
  static byte[] cifarRecords(int n, int firstLabel, long seed) {
    byte[] out = new byte[n * CifarReader.RECORD_BYTES];
    for (int r = 0; r < n; r++) {
      out[r * CifarReader.RECORD_BYTES] = (byte) ((firstLabel + r) % 10);
      byte[] px = randomBytes(CifarReader.IMAGE_BYTES, seed + r);
      System.arraycopy(px, 0, out, r * CifarReader.RECORD_BYTES + 1, px.length);
    }
    return out;
  }

  /** Writes {@code names[i]} with {@code contents[i]} into a .tar.gz under {@code prefix}. */
  static void tarGz(Path file, String prefix, String[] names, byte[][] contents)
      throws IOException {
    try (OutputStream f = Files.newOutputStream(file);
        GZIPOutputStream gz = new GZIPOutputStream(f);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      for (int i = 0; i < names.length; i++) {
        TarArchiveEntry e = new TarArchiveEntry(prefix + names[i]);
        e.setSize(contents[i].length);
        tar.putArchiveEntry(e);
        tar.write(contents[i]);
        tar.closeArchiveEntry();
      }
    }
  }
}
