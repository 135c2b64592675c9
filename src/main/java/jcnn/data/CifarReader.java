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
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the CIFAR-10 binary release (Krizhevsky, 2009), either streamed straight out of {@code
 * cifar-10-binary.tar.gz} (never unpacked to disk) or from its extracted {@code
 * cifar-10-batches-bin/} folder.
 *
 * <p>Each {@code .bin} is a run of 3073-byte records: one label byte (0..9), then 3072 pixel bytes
 * that are already [C, H, W] = [3, 32, 32] (1024 red, 1024 green, 1024 blue, each row-major). The
 * training set is {@code data_batch_1.bin} .. {@code data_batch_5.bin} in that order, the test set
 * {@code test_batch.bin}. Every file must be a whole number of records (exactly 10000 in the
 * canonical release), with labels in 0..9; failures are one-line {@link DatasetException}s naming
 * the file. Tested by {@code CifarReaderTest} on small synthetic archives and folders.
 */
public final class CifarReader {
  public static final int CHANNELS = 3;
  public static final int SIDE = 32;
  public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE; // 3072
  public static final int RECORD_BYTES = 1 + IMAGE_BYTES; // 3073

  /** Records per .bin file in the canonical release. */
  public static final int CANONICAL_RECORDS = 10000;

  private static final String[] TRAIN_FILES = {
    "data_batch_1.bin",
    "data_batch_2.bin",
    "data_batch_3.bin",
    "data_batch_4.bin",
    "data_batch_5.bin"
  };
  private static final String[] TEST_FILES = {"test_batch.bin"};

  private CifarReader() {}

  /** The .bin file names of one part, in the order their records are concatenated. */
  public static String[] batchFiles(boolean train) {
    return (train ? TRAIN_FILES : TEST_FILES).clone();
  }

  /**
   * Reads the training or test part from {@code source}: a {@code .tar.gz} archive or a folder of
   * {@code .bin} files. {@code recordsPerFile} is 10000 for the canonical release, or 0 to accept
   * any whole number of records.
   */
  public static Dataset read(Path source, boolean train, int recordsPerFile, DatasetInfo info)
      throws IOException {
    Batch[] batches =
        Files.isDirectory(source)
            ? readFolder(source, train, recordsPerFile, info.numClasses())
            : readArchive(source, train, recordsPerFile, info.numClasses());
    return concat(batches, info, train);
  }

  /** One .bin file, split into pixels [n, 3, 32, 32] and labels [n]. */
  private record Batch(byte[] pixels, int[] labels) {}

  private static Batch[] readFolder(Path dir, boolean train, int recordsPerFile, int classes)
      throws IOException {
    String[] names = batchFiles(train);
    Batch[] out = new Batch[names.length];
    for (int i = 0; i < names.length; i++) {
      Path file = dir.resolve(names[i]);
      long size;
      try {
        size = Files.size(file);
      } catch (NoSuchFileException e) {
        throw new DatasetException(
            "CIFAR-10 not found: looked for " + file + " (" + expectedFiles(train) + ")");
      }
      checkLength(file.toString(), size, recordsPerFile);
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        out[i] = readRecords(file.toString(), in, (int) (size / RECORD_BYTES), classes);
      }
    }
    return out;
  }

  /** Streams the archive once, keeping only the wanted .bin entries, whatever their order. */
  private static Batch[] readArchive(Path archive, boolean train, int recordsPerFile, int classes)
      throws IOException {
    String[] names = batchFiles(train);
    Batch[] out = new Batch[names.length];
    int found = 0;
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        TarArchiveInputStream tar = new TarArchiveInputStream(gunzip(archive, file))) {
      TarArchiveEntry e;
      while (found < names.length && (e = nextEntry(archive, tar)) != null) {
        int k = indexOf(names, baseName(e.getName()));
        if (k < 0 || !e.isFile() || out[k] != null) {
          continue;
        }
        String where = archive + ": " + e.getName();
        checkLength(where, e.getSize(), recordsPerFile);
        out[k] = readRecords(where, tar, (int) (e.getSize() / RECORD_BYTES), classes);
        found++;
      }
    } catch (NoSuchFileException e) {
      throw new DatasetException("CIFAR-10 not found: looked for " + archive);
    }
    for (int k = 0; k < names.length; k++) {
      if (out[k] == null) {
        throw new DatasetException(
            archive + ": has no " + names[k] + " (" + expectedFiles(train) + ")");
      }
    }
    return out;
  }

  private static InputStream gunzip(Path archive, InputStream in) throws IOException {
    try {
      return new GZIPInputStream(in, 1 << 16);
    } catch (ZipException | EOFException e) {
      throw new DatasetException(archive + ": not a gzip file (" + e.getMessage() + ")", e);
    }
  }

  private static TarArchiveEntry nextEntry(Path archive, TarArchiveInputStream tar)
      throws DatasetException {
    try {
      return tar.getNextEntry();
    } catch (IOException e) {
      throw new DatasetException(
          archive + ": corrupt or truncated tar.gz (" + e.getMessage() + ")", e);
    }
  }

  private static String expectedFiles(boolean train) {
    return train ? "expected data_batch_1.bin .. data_batch_5.bin" : "expected test_batch.bin";
  }

  private static String baseName(String entryName) {
    return entryName.substring(entryName.lastIndexOf('/') + 1);
  }

  private static int indexOf(String[] names, String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static void checkLength(String where, long size, int recordsPerFile)
      throws DatasetException {
    long expected = (long) recordsPerFile * RECORD_BYTES;
    if (recordsPerFile > 0 && size != expected) {
      throw error(
          where,
          "%d bytes, expected %d records of %d bytes (%d bytes)",
          size,
          recordsPerFile,
          RECORD_BYTES,
          expected);
    }
    if (size % RECORD_BYTES != 0 || size == 0) {
      throw error(
          where,
          "%d bytes is not a whole, positive number of %d-byte records (%d records and %d bytes"
              + " over)",
          size,
          RECORD_BYTES,
          size / RECORD_BYTES,
          size % RECORD_BYTES);
    }
    if (size / RECORD_BYTES > Integer.MAX_VALUE / IMAGE_BYTES) {
      throw error(where, "%d records, more than a Java array can hold", size / RECORD_BYTES);
    }
  }

  /** "WHERE: message", the one-line form of every error here. */
  private static DatasetException error(String where, String format, Object... args) {
    return new DatasetException(where + ": " + String.format(format, args));
  }

  /** Reads {@code n} records, checking each label. */
  private static Batch readRecords(String where, InputStream in, int n, int classes)
      throws IOException {
    byte[] pixels = new byte[n * IMAGE_BYTES]; // [n, 3, 32, 32]
    int[] labels = new int[n];
    byte[] record = new byte[RECORD_BYTES];
    for (int r = 0; r < n; r++) {
      int got = readRecord(where, in, record, r);
      if (got < RECORD_BYTES) {
        throw error(
            where,
            "truncated: expected %d bytes, got %d",
            (long) n * RECORD_BYTES,
            (long) r * RECORD_BYTES + got);
      }
      labels[r] = record[0] & 0xff;
      if (labels[r] >= classes) {
        throw new DatasetException(
            where + ": record " + r + " has label " + labels[r] + ", expected 0.." + (classes - 1));
      }
      System.arraycopy(record, 1, pixels, r * IMAGE_BYTES, IMAGE_BYTES);
    }
    return new Batch(pixels, labels);
  }

  /** Reads one record; a gzip stream cut off mid-way reads as a short record. */
  private static int readRecord(String where, InputStream in, byte[] record, int r)
      throws DatasetException {
    int got = 0;
    try {
      while (got < record.length) {
        int k = in.read(record, got, record.length - got);
        if (k < 0) {
          break;
        }
        got += k;
      }
    } catch (EOFException e) {
      return got;
    } catch (IOException e) {
      throw new DatasetException(
          where + ": corrupt data in record " + r + " (" + e.getMessage() + ")", e);
    }
    return got;
  }

  private static Dataset concat(Batch[] batches, DatasetInfo info, boolean train) {
    if (batches.length == 1) {
      return new Dataset(info, train, batches[0].pixels, batches[0].labels, CHANNELS, SIDE, SIDE);
    }
    int n = 0;
    for (Batch b : batches) {
      n += b.labels.length;
    }
    byte[] pixels = new byte[n * IMAGE_BYTES]; // [N, 3, 32, 32]
    int[] labels = new int[n];
    int at = 0;
    for (Batch b : batches) {
      System.arraycopy(b.pixels, 0, pixels, at * IMAGE_BYTES, b.pixels.length);
      System.arraycopy(b.labels, 0, labels, at, b.labels.length);
      at += b.labels.length;
    }
    return new Dataset(info, train, pixels, labels, CHANNELS, SIDE, SIDE);
  }
}
