package jcnn.compress.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import jcnn.tensor.Shape;

/**
 * Reads a {@code .jcz} file (layout in {@link JczFormat} and docs/jcz-format.md) back into a {@link
 * JczModel}. Every length is checked against the bytes left before anything is allocated, every
 * section's CRC before its payload is decoded, and the payload decoders check their own counts; so
 * a damaged or truncated file ends in one {@link IOException} whose one-line message names the file
 * and the part, e.g. {@code model.jcz: section 3 of 8 'conv2.weight': CRC mismatch}, never a hang,
 * an unchecked exception or an out-of-memory error. Tested in {@code JczFileTest} and {@code
 * JczFuzzTest}.
 */
public final class JczReader {
  private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;

  private final String label; // the file, as messages name it
  private final ByteInput in;
  private final boolean checkCrc;
  private String where = "header"; // the part being read, for messages
  private int version;
  private final List<Section> sections = new ArrayList<>();

  /** One section as stored: what {@code jcnn inspect} lists. */
  public record Section(String name, Encoding encoding, Shape shape, int bytes) {
    /** Bits on disk per value, the section's header and CRC included. */
    public double bitsPerValue() {
      return 8.0 * bytes / Math.max(1, shape.numel());
    }
  }

  /** A file's contents with its version and the layout of its sections. */
  public record Contents(JczModel model, int version, List<Section> sections) {}

  private JczReader(String label, byte[] bytes, boolean checkCrc) {
    this.label = label;
    this.in = new ByteInput(bytes);
    this.checkCrc = checkCrc;
  }

  /** Reads and fully decodes {@code file}. */
  public static JczModel read(Path file) throws IOException {
    return contents(file).model();
  }

  /** Reads {@code file} with its version and the stored form and size of every section. */
  public static Contents contents(Path file) throws IOException {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new IOException(size + " bytes is too large for a .jcz file");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    } catch (IOException e) { // NIO messages do not always name the file
      throw new IOException(file + ": cannot read: " + e.getMessage(), e);
    }
    JczReader r = new JczReader(file.toString(), bytes, true);
    JczModel m = r.decode();
    return new Contents(m, r.version, List.copyOf(r.sections));
  }

  /** Decodes the bytes of a {@code .jcz} file; {@code label} names it in error messages. */
  public static JczModel read(byte[] bytes, String label) throws IOException {
    return read(bytes, label, true);
  }

  /** As above; checkCrc = false lets tests reach the payload decoders with damaged data. */
  static JczModel read(byte[] bytes, String label, boolean checkCrc) throws IOException {
    return new JczReader(label, bytes, checkCrc).decode();
  }

  private JczModel decode() throws IOException {
    try {
      return model();
    } catch (CorruptStreamException e) {
      throw error(e.getMessage(), e);
    } catch (RuntimeException e) { // a check is missing somewhere: still one line, not a trace
      throw error("internal decoder error: " + e, e);
    }
  }

  private JczModel model() throws CorruptStreamException {
    String[] header = new String[2];
    int[] counts = new int[2];
    readHeader(header, counts);
    Map<String, JczTensor> tensors = new LinkedHashMap<>();
    for (int i = 1; i <= counts[1]; i++) {
      where = "section " + i + " of " + counts[1];
      readSection(tensors);
    }
    where = "trailer";
    readTrailer(counts[1]);
    return new JczModel(header[0], counts[0], header[1], tensors);
  }

  /** Fills {name, metadata} and {classes, section count}. */
  private void readHeader(String[] names, int[] counts) throws CorruptStreamException {
    in.require(JczFormat.MAGIC.length, "the magic bytes");
    byte[] magic = Arrays.copyOf(in.array(), JczFormat.MAGIC.length);
    if (!Arrays.equals(magic, JczFormat.MAGIC)) {
      throw new CorruptStreamException(
          "not a .jcz file (starts with "
              + hex(magic)
              + ", expected "
              + hex(JczFormat.MAGIC)
              + ")");
    }
    in.skip(JczFormat.MAGIC.length, "the magic bytes");
    version = in.u16("the version");
    if (version != JczFormat.VERSION && version != JczFormat.VERSION_1) {
      throw new CorruptStreamException(
          "format version "
              + version
              + " is not supported (this reader reads versions "
              + JczFormat.VERSION_1
              + " and "
              + JczFormat.VERSION
              + ")");
    }
    names[0] = in.utf8(in.u16("the model name length"), "the model name");
    counts[0] = in.u32("the class count", Integer.MAX_VALUE);
    names[1] = in.utf8(in.u32("the metadata length", Integer.MAX_VALUE), "the metadata");
    counts[1] = in.u32("the section count", Integer.MAX_VALUE);
    checkCrc(0, "the header CRC", "CRC mismatch"); // before trusting the count
    long room = in.remaining() / JczFormat.SECTION_FIXED_BYTES;
    if (counts[1] > room) {
      throw new CorruptStreamException(
          "truncated: the header lists "
              + counts[1]
              + " sections, the "
              + in.remaining()
              + " bytes left hold at most "
              + room);
    }
  }

  private void readSection(Map<String, JczTensor> tensors) throws CorruptStreamException {
    int start = in.position();
    int type = in.u8("the type byte");
    Encoding encoding = Encoding.fromId(type);
    if (encoding == null) {
      throw new CorruptStreamException("unknown section type " + type);
    }
    int nameLength = in.u16("the tensor name length");
    if (nameLength == 0) {
      throw new CorruptStreamException("empty tensor name");
    }
    String name = in.utf8(nameLength, "the tensor name");
    where += " '" + name + "'";
    if (encoding.lowBit() && version < JczFormat.VERSION) {
      throw new CorruptStreamException(
          "section type "
              + type
              + " ("
              + encoding
              + ") needs format version 2, the file is "
              + version);
    }
    Shape shape = readShape();
    int gapBits = in.u8("the gap width");
    int k =
        in.u32(
            encoding.lowBit() ? "the scale count" : "the cluster count k",
            SparseLayer.MAX_CLUSTERS);
    int entries = in.u32("the entry count", shape.numel());
    int payloadLength = in.u32("the payload length", Integer.MAX_VALUE);
    int payloadStart = in.position();
    in.skip(payloadLength, "the payload");
    checkCrc(start, "the section CRC", "CRC mismatch");
    if (tensors.containsKey(name)) {
      throw new CorruptStreamException("a second tensor named '" + name + "'");
    }
    checkParameters(encoding, gapBits, k, entries, shape.numel());
    JczTensor t;
    if (encoding.lowBit()) {
      t = lowBit(encoding, k, shape, payloadStart, payloadLength);
    } else {
      BitReader payload = new BitReader(in.array(), payloadStart, payloadLength);
      t = decodePayload(encoding, gapBits, k, entries, shape, payload);
      if (payload.remaining() >= 8) {
        throw new CorruptStreamException(
            "payload has " + payload.remaining() / 8 + " bytes after its data");
      }
    }
    tensors.put(name, t);
    sections.add(new Section(name, encoding, shape, in.position() - start));
  }

  /**
   * A BINARY or TERNARY payload: its length must be exactly the levels and the packed bits its
   * shape needs; the tensor's constructor then refuses a level that is not finite and non-zero and
   * (TERNARY) code 3.
   */
  private JczTensor lowBit(Encoding e, int k, Shape shape, int start, int length)
      throws CorruptStreamException {
    int n = shape.numel();
    int rows = shape.rank() == 0 ? 1 : shape.dim(0);
    boolean binary = e == Encoding.BINARY;
    if (n == 0 || (binary ? k != 1 && k != rows : k != 2)) {
      throw new CorruptStreamException(
          e
              + " section of shape "
              + shape
              + " with "
              + k
              + " scales: "
              + (binary ? "needs 1 or one per output channel (" + rows + ")" : "needs 2")
              + (n == 0 ? " and at least one weight" : ""));
    }
    long packed = binary ? (n + 7L) / 8 : (n + 3L) / 4;
    long expect = 4L * k + packed;
    if (length != expect) {
      throw new CorruptStreamException(
          "payload is "
              + length
              + " bytes; a "
              + e
              + " tensor of shape "
              + shape
              + " with "
              + k
              + " scales needs exactly "
              + expect
              + " ("
              + 4 * k
              + " of scales, "
              + packed
              + " of packed "
              + (binary ? "signs" : "codes")
              + ")");
    }
    BitReader r = new BitReader(in.array(), start, length);
    float[] levels = new float[k];
    for (int i = 0; i < k; i++) {
      levels[i] = r.readFloat("the scales");
    }
    byte[] bits = Arrays.copyOfRange(in.array(), start + 4 * k, start + length);
    try { // the constructors check the values: finite non-zero scales, no ternary code 3
      return binary
          ? new JczTensor.Binary(levels, bits, shape)
          : new JczTensor.Ternary(levels[0], levels[1], bits, shape);
    } catch (IllegalArgumentException bad) {
      throw new CorruptStreamException(bad.getMessage());
    }
  }

  private Shape readShape() throws CorruptStreamException {
    int rank = in.u8("the rank");
    if (rank > JczFormat.MAX_RANK) {
      throw new CorruptStreamException("rank " + rank + " > " + JczFormat.MAX_RANK);
    }
    int[] dims = new int[rank];
    long numel = 1;
    for (int i = 0; i < rank; i++) {
      dims[i] = in.u32("dim " + i, JczTensor.MAX_NUMEL);
      numel *= dims[i];
      if (numel > JczTensor.MAX_NUMEL) {
        throw new CorruptStreamException(
            "shape " + Arrays.toString(Arrays.copyOf(dims, i + 1)) + "... exceeds 2^28 values");
      }
    }
    return Shape.of(dims);
  }

  private static void checkParameters(Encoding e, int gapBits, int k, int entries, int numel)
      throws CorruptStreamException {
    boolean sparse = e == Encoding.SPARSE;
    boolean ok =
        (sparse ? gapBits >= 1 && gapBits <= SparseLayer.FORMAT_MAX_GAP_BITS : gapBits == 0)
            && (e != Encoding.RAW_F32 || k == 0)
            && (sparse || entries == numel);
    if (!ok) {
      throw new CorruptStreamException(
          "bad parameters for "
              + e
              + ": gapBits "
              + gapBits
              + ", k "
              + k
              + ", entries "
              + entries
              + ", "
              + numel
              + " values");
    }
  }

  private static JczTensor decodePayload(
      Encoding e, int gapBits, int k, int entries, Shape shape, BitReader r)
      throws CorruptStreamException {
    int n = shape.numel();
    if (e == Encoding.RAW_F32) {
      if (32L * n > r.remaining()) {
        throw new CorruptStreamException(n + " float32 values do not fit in the payload");
      }
      float[] values = new float[n];
      for (int i = 0; i < n; i++) {
        values[i] = r.readFloat("the values");
      }
      return new JczTensor.Raw(values, shape);
    }
    SparseLayer.Decoded d = SparseLayer.decode(e, gapBits, k, entries, n, r, "the payload");
    return new JczTensor.Coded(d.codes(), d.codebook(), shape);
  }

  private void readTrailer(int sections) throws CorruptStreamException {
    int start = in.position();
    in.require(JczFormat.TRAILER_BYTES, "the trailer");
    byte[] magic = Arrays.copyOfRange(in.array(), start, start + JczFormat.END_MAGIC.length);
    in.skip(JczFormat.END_MAGIC.length, "the end magic");
    if (!Arrays.equals(magic, JczFormat.END_MAGIC)) {
      throw new CorruptStreamException(
          "end magic is " + hex(magic) + ", not " + hex(JczFormat.END_MAGIC));
    }
    long count = in.u32("the section count");
    if (count != sections) {
      throw new CorruptStreamException(
          "section count " + count + " differs from the header's " + sections);
    }
    checkCrc(0, "the whole-file CRC", "whole-file CRC mismatch");
    if (in.remaining() > 0) {
      throw new CorruptStreamException(in.remaining() + " bytes after the end of the file");
    }
  }

  /** Reads the stored CRC32 of bytes [from, here) and compares it with the computed one. */
  private void checkCrc(int from, String field, String mismatch) throws CorruptStreamException {
    int end = in.position();
    long stored = in.u32(field);
    CRC32 crc = new CRC32();
    crc.update(in.array(), from, end - from);
    if (checkCrc && crc.getValue() != stored) {
      throw new CorruptStreamException(
          mismatch
              + " (stored "
              + String.format("%08x", stored)
              + ", computed "
              + String.format("%08x", crc.getValue())
              + ")");
    }
  }

  private CorruptStreamException error(String message, Throwable cause) {
    return new CorruptStreamException(oneLine(label + ": " + where + ": " + message), cause);
  }

  /** Control characters (from a damaged name, say) would break the one-line message. */
  private static String oneLine(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return sb.toString();
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02X ", x & 0xFF));
    }
    return sb.toString().trim();
  }
}
