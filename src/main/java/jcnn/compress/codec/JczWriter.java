package jcnn.compress.codec;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import jcnn.tensor.Shape;

/**
 * Writes a {@link JczModel} as a {@code .jcz} file (layout in {@link JczFormat} and
 * docs/jcz-format.md). Coded tensors go through {@link SparseLayer#encode}, which keeps the
 * smallest of its forms; raw tensors are stored as float32. The file is written to a temporary file
 * in the same folder, forced to disk and renamed over the target, so a crash leaves either the old
 * file or the new one, never half of one. Returns the per-tensor {@link SizeReport}. Tested in
 * {@code JczFileTest} and {@code JczFuzzTest}.
 */
public final class JczWriter {
  /** The file's bytes and where they went. */
  public record Output(byte[] bytes, SizeReport report) {}

  private record Section(byte[] bytes, SizeReport.TensorSize size) {}

  private JczWriter() {}

  /** Encodes {@code model} and writes it atomically to {@code file}. */
  public static SizeReport write(Path file, JczModel model) throws IOException {
    Output out = encode(model);
    writeAtomically(file, out.bytes());
    return out.report();
  }

  /** The bytes of the {@code .jcz} file for {@code model}, and their breakdown. */
  public static Output encode(JczModel model) {
    try {
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(file);
      out.write(header(model));
      int headerBytes = file.size();
      List<SizeReport.TensorSize> sizes = new ArrayList<>();
      for (Map.Entry<String, JczTensor> e : model.tensors().entrySet()) {
        Section s = section(e.getKey(), e.getValue());
        out.write(s.bytes());
        sizes.add(s.size());
      }
      out.write(JczFormat.END_MAGIC);
      out.writeInt(model.tensors().size());
      CRC32 crc = new CRC32();
      crc.update(file.toByteArray());
      out.writeInt((int) crc.getValue());
      byte[] bytes = file.toByteArray();
      SizeReport report = new SizeReport(sizes, headerBytes, JczFormat.TRAILER_BYTES, bytes.length);
      return new Output(bytes, report);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
  }

  private static byte[] header(JczModel model) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(buf);
    out.write(JczFormat.MAGIC);
    boolean lowBit =
        model.tensors().values().stream()
            .anyMatch(t -> t instanceof JczTensor.Binary || t instanceof JczTensor.Ternary);
    out.writeShort(lowBit ? JczFormat.VERSION : JczFormat.VERSION_1);
    writeName(out, model.name(), "model name", 0);
    out.writeInt(model.classes());
    byte[] meta = model.metadata().getBytes(StandardCharsets.UTF_8);
    out.writeInt(meta.length);
    out.write(meta);
    out.writeInt(model.tensors().size());
    writeCrc(buf, out);
    return buf.toByteArray();
  }

  private static Section section(String name, JczTensor tensor) throws IOException {
    if (tensor instanceof JczTensor.Binary || tensor instanceof JczTensor.Ternary) {
      return lowBitSection(name, tensor);
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(buf);
    Shape shape = tensor.shape();
    SparseLayer.Encoded coded = null;
    byte[] payload;
    if (tensor instanceof JczTensor.Coded c) {
      coded = SparseLayer.encode(c.codes(), c.codebook());
      payload = coded.payload();
    } else {
      payload = rawPayload(((JczTensor.Raw) tensor).values());
    }
    out.writeByte(coded == null ? Encoding.RAW_F32.id : coded.encoding().id);
    writeName(out, name, "tensor name", 1);
    out.writeByte(shape.rank());
    for (int d : shape.dims()) {
      out.writeInt(d);
    }
    out.writeByte(coded == null ? 0 : coded.gapBits());
    out.writeInt(coded == null ? 0 : coded.k());
    out.writeInt(coded == null ? shape.numel() : coded.entries());
    out.writeInt(payload.length);
    out.write(payload);
    writeCrc(buf, out);
    byte[] bytes = buf.toByteArray();
    return new Section(bytes, size(name, tensor, coded, bytes.length));
  }

  /**
   * A BINARY section (k scales, then the packed signs) or a TERNARY one (the two levels, then the
   * packed codes).
   */
  private static Section lowBitSection(String name, JczTensor tensor) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(buf);
    Shape shape = tensor.shape();
    float[] levels;
    byte[] packed;
    Encoding e;
    int nonZeros;
    if (tensor instanceof JczTensor.Binary b) {
      levels = b.scales();
      packed = b.bits();
      e = Encoding.BINARY;
      nonZeros = shape.numel();
    } else {
      JczTensor.Ternary t = (JczTensor.Ternary) tensor;
      levels = new float[] {t.positive(), t.negative()};
      packed = t.codes();
      e = Encoding.TERNARY;
      nonZeros = t.nonZeros();
    }
    out.writeByte(e.id);
    writeName(out, name, "tensor name", 1);
    out.writeByte(shape.rank());
    for (int d : shape.dims()) {
      out.writeInt(d);
    }
    out.writeByte(0);
    out.writeInt(levels.length);
    out.writeInt(shape.numel());
    out.writeInt(4 * levels.length + packed.length);
    for (float v : levels) {
      out.writeInt(Float.floatToRawIntBits(v));
    }
    out.write(packed);
    writeCrc(buf, out);
    byte[] bytes = buf.toByteArray();
    long total = 8L * bytes.length;
    long codeBits = (e == Encoding.BINARY ? 1L : 2L) * shape.numel();
    long levelBits = 32L * levels.length;
    return new Section(
        bytes,
        new SizeReport.TensorSize(
            name,
            e,
            0,
            shape.numel(),
            nonZeros,
            levels.length,
            0,
            codeBits,
            0,
            levelBits,
            total - codeBits - levelBits,
            bytes.length));
  }

  private static SizeReport.TensorSize size(
      String name, JczTensor tensor, SparseLayer.Encoded coded, int sectionBytes) {
    int numel = tensor.shape().numel();
    long total = 8L * sectionBytes;
    if (coded == null) {
      long valueBits = 32L * numel;
      int nnz = 0;
      for (float v : ((JczTensor.Raw) tensor).values()) {
        nnz += v != 0f ? 1 : 0;
      }
      return new SizeReport.TensorSize(
          name,
          Encoding.RAW_F32,
          0,
          numel,
          nnz,
          0,
          valueBits,
          0,
          0,
          0,
          total - valueBits,
          sectionBytes);
    }
    long other = total - coded.codeBits() - coded.indexBits() - coded.codebookBits();
    return new SizeReport.TensorSize(
        name,
        coded.encoding(),
        coded.gapBits(),
        numel,
        ((JczTensor.Coded) tensor).nonZeros(),
        coded.k(),
        0,
        coded.codeBits(),
        coded.indexBits(),
        coded.codebookBits(),
        other,
        sectionBytes);
  }

  private static byte[] rawPayload(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length); // big-endian
    for (float v : values) {
      b.putInt(Float.floatToRawIntBits(v));
    }
    return b.array();
  }

  private static void writeName(DataOutputStream out, String name, String what, int minBytes)
      throws IOException {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    if (b.length < minBytes || b.length > JczFormat.MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "JczWriter: "
              + what
              + " '"
              + name
              + "' is "
              + b.length
              + " UTF-8 bytes, must be "
              + minBytes
              + ".."
              + JczFormat.MAX_NAME_BYTES);
    }
    out.writeShort(b.length);
    out.write(b);
  }

  /** Appends the CRC32 of everything in {@code buf} so far. */
  private static void writeCrc(ByteArrayOutputStream buf, DataOutputStream out) throws IOException {
    CRC32 crc = new CRC32();
    crc.update(buf.toByteArray());
    out.writeInt((int) crc.getValue());
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path target = file.toAbsolutePath();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true); // the data is on disk before the rename makes it the model
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new IOException(file + ": cannot write: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
