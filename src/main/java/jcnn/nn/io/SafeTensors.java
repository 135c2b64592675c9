package jcnn.nn.io;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.tensor.Tensor;

/**
 * The safetensors format (Hugging Face), so that PyTorch users open jcnn weights with {@code
 * safetensors.torch.load_file}: an 8-byte little-endian header length, a JSON header mapping each
 * tensor name to {dtype, shape, data_offsets} plus a {@code __metadata__} map of strings, padded
 * with spaces to a multiple of 8, then the raw little-endian data. jcnn writes F32 tensors.
 *
 * <p>The reader trusts nothing: header length, JSON, dtypes, shapes and offsets are all checked
 * against the file size before any tensor is allocated, and every error names the file and the
 * tensor. Writing is atomic ({@link AtomicWrite}). Tested in {@code SafeTensorsTest}.
 */
public final class SafeTensors {
  /** Tensors in file order, and the string metadata. */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

  private static final long MAX_HEADER = 64L << 20;

  private SafeTensors() {}

  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    JsonObject header = new JsonObject();
    JsonObject meta = new JsonObject();
    metadata.forEach(meta::addProperty);
    header.add("__metadata__", meta);
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      JsonObject t = new JsonObject();
      t.addProperty("dtype", "F32");
      JsonArray shape = new JsonArray();
      for (int d : e.getValue().shape().dims()) {
        shape.add(d);
      }
      t.add("shape", shape);
      JsonArray offsets = new JsonArray();
      offsets.add(offset);
      offset += 4L * e.getValue().numel();
      offsets.add(offset);
      t.add("data_offsets", offsets);
      header.add(e.getKey(), t);
    }
    byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    AtomicWrite.write(
        file,
        out -> {
          out.write(head.array());
          for (Tensor t : tensors.values()) {
            ByteBuffer b = ByteBuffer.allocate(4 * t.numel()).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.data(), 0, t.numel());
            out.write(b.array());
          }
        });
  }

  public static Contents read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw error(file, "too short for a safetensors header (" + size + " bytes)");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0, file);
      long headerLen = lenBuf.flip().getLong();
      if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
        throw error(
            file, "header length " + headerLen + " does not fit a file of " + size + " bytes");
      }
      ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
      readFully(ch, hb, 8, file);
      JsonObject header = parseHeader(file, new String(hb.array(), StandardCharsets.UTF_8));
      long dataStart = 8 + headerLen;
      return decode(file, ch, header, dataStart, size - dataStart);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    }
  }

  private static JsonObject parseHeader(Path file, String text) throws IOException {
    try {
      JsonElement el = JsonParser.parseString(text);
      if (!el.isJsonObject()) {
        throw error(file, "header is not a JSON object");
      }
      return el.getAsJsonObject();
    } catch (RuntimeException e) {
      throw error(file, "header is not valid JSON (" + e.getMessage() + ")");
    }
  }

  private static Contents decode(
      Path file, FileChannel ch, JsonObject header, long dataStart, long dataLen)
      throws IOException {
    Map<String, String> metadata = new LinkedHashMap<>();
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    List<long[]> spans = new ArrayList<>();
    for (Map.Entry<String, JsonElement> e : header.entrySet()) {
      String name = e.getKey();
      if (name.equals("__metadata__")) {
        e.getValue()
            .getAsJsonObject()
            .entrySet()
            .forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
        continue;
      }
      long[] span = new long[2];
      int[] dims = describe(file, name, e.getValue(), dataLen, span);
      spans.add(span);
      Tensor t = Tensor.zeros(dims);
      ByteBuffer b = ByteBuffer.allocate((int) (span[1] - span[0])).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, b, dataStart + span[0], file);
      b.flip().asFloatBuffer().get(t.data(), 0, t.numel());
      tensors.put(name, t);
    }
    checkNoOverlap(file, spans);
    return new Contents(tensors, metadata);
  }

  /** Validates one header entry; returns its dims and writes its byte span into {@code span}. */
  private static int[] describe(Path file, String name, JsonElement el, long dataLen, long[] span)
      throws IOException {
    try {
      JsonObject o = el.getAsJsonObject();
      String dtype = o.get("dtype").getAsString();
      if (!dtype.equals("F32")) {
        throw error(file, "tensor '" + name + "' has dtype " + dtype + "; jcnn reads F32 only");
      }
      JsonArray shape = o.getAsJsonArray("shape");
      int[] dims = new int[shape.size()];
      long numel = 1;
      for (int i = 0; i < dims.length; i++) {
        dims[i] = shape.get(i).getAsInt();
        if (dims[i] < 0) {
          throw error(file, "tensor '" + name + "' has a negative dim in " + shape);
        }
        numel *= dims[i];
      }
      JsonArray off = o.getAsJsonArray("data_offsets");
      span[0] = off.get(0).getAsLong();
      span[1] = off.get(1).getAsLong();
      if (span[0] < 0 || span[1] < span[0] || span[1] > dataLen || span[1] - span[0] != 4 * numel) {
        throw error(
            file,
            "tensor '"
                + name
                + "' shape "
                + shape
                + " needs "
                + 4 * numel
                + " bytes but data_offsets ["
                + span[0]
                + ", "
                + span[1]
                + "] in a data section of "
                + dataLen
                + " bytes");
      }
      return dims;
    } catch (IOException e) {
      throw e;
    } catch (RuntimeException e) {
      throw error(
          file, "tensor '" + name + "' has a malformed header entry (" + e.getMessage() + ")");
    }
  }

  private static void checkNoOverlap(Path file, List<long[]> spans) throws IOException {
    spans.sort((a, b) -> Long.compare(a[0], b[0]));
    for (int i = 1; i < spans.size(); i++) {
      if (spans.get(i)[0] < spans.get(i - 1)[1]) {
        throw error(file, "tensors overlap in the data section");
      }
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path file)
      throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, pos + b.position());
      if (n < 0) {
        throw error(file, "truncated");
      }
    }
  }

  private static IOException error(Path file, String what) {
    return new IOException(file + ": " + what);
  }
}
