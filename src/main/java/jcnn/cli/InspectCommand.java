package jcnn.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jcnn.compress.codec.JczReader;
import jcnn.compress.pipeline.CompressedModel;
import jcnn.nn.io.SafeTensors;
import jcnn.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jcnn inspect F}: what a model file holds, tensor by tensor: shape, values, non-zeros and
 * bytes, and the file's metadata; for a {@code .jcz}, each section's stored form (RAW_F32, SPARSE,
 * BINARY, ...) and bits per weight. Tested by {@code TrainCommandTest} and {@code
 * CompressCommandTest}.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description =
        "List a model file's tensors: shape, parameters, non-zeros, bytes; for a .jcz, the"
            + " stored form and bits per weight.")
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description =
          "A .safetensors model file or a compressed .jcz file written by jcnn (for a .jcz:"
              + " each section's stored form and bits per weight).")
  Path file;

  @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (CompressedModel.isJcz(file)) {
      return inspectJcz();
    }
    SafeTensors.Contents c = SafeTensors.read(file);
    PrintWriter o = spec.commandLine().getOut();
    o.printf("%s: %s%n", file, c.metadata().getOrDefault("jcnn.model", "(no jcnn.model metadata)"));
    o.printf(
        Locale.ROOT,
        "%-28s %-18s %12s %12s %12s%n",
        "tensor",
        "shape",
        "values",
        "non-zeros",
        "bytes");
    JsonArray rows = new JsonArray();
    long values = 0;
    long nonZeros = 0;
    for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
      Tensor t = e.getValue();
      long nz = countNonZeros(t);
      values += t.numel();
      nonZeros += nz;
      o.printf(
          Locale.ROOT,
          "%-28s %-18s %12d %12d %12d%n",
          e.getKey(),
          t.shape(),
          t.numel(),
          nz,
          4L * t.numel());
      JsonObject row = new JsonObject();
      row.addProperty("name", e.getKey());
      row.addProperty("shape", Arrays.toString(t.shape().dims()));
      row.addProperty("values", t.numel());
      row.addProperty("non_zeros", nz);
      row.addProperty("bytes", 4L * t.numel());
      rows.add(row);
    }
    long fileBytes = Files.size(file);
    o.printf(
        Locale.ROOT,
        "%-28s %-18s %12d %12d %12d (file %d bytes)%n",
        "total",
        "",
        values,
        nonZeros,
        4 * values,
        fileBytes);
    if (json) {
      JsonObject j = new JsonObject();
      j.addProperty("file", file.toString());
      j.addProperty("file_bytes", fileBytes);
      j.addProperty("values", values);
      j.addProperty("non_zeros", nonZeros);
      JsonObject meta = new JsonObject();
      c.metadata().forEach(meta::addProperty);
      j.add("metadata", meta);
      j.add("tensors", rows);
      Json.print(o, j);
    }
    return 0;
  }

  /**
   * A .jcz file: per section its stored form, shape, values, non-zeros, bytes on disk and bits per
   * value (1 for a binary weight plus its share of scales and header, about 2 for a ternary one).
   */
  private int inspectJcz() throws IOException {
    JczReader.Contents c = JczReader.contents(file);
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        Locale.ROOT,
        "%s: %s, %d classes, .jcz format version %d%n",
        file,
        c.model().name(),
        c.model().classes(),
        c.version());
    o.printf(
        Locale.ROOT,
        "%-28s %-8s %-18s %10s %10s %10s %8s%n",
        "tensor",
        "form",
        "shape",
        "values",
        "non-zeros",
        "bytes",
        "bits/w");
    JsonArray rows = new JsonArray();
    long values = 0;
    long nonZeros = 0;
    for (JczReader.Section s : c.sections()) {
      long nz = countNonZeros(c.model().decode(s.name()));
      values += s.shape().numel();
      nonZeros += nz;
      o.printf(
          Locale.ROOT,
          "%-28s %-8s %-18s %10d %10d %10d %8.2f%n",
          s.name(),
          s.encoding(),
          s.shape(),
          s.shape().numel(),
          nz,
          s.bytes(),
          s.bitsPerValue());
      JsonObject row = new JsonObject();
      row.addProperty("name", s.name());
      row.addProperty("form", s.encoding().name());
      row.addProperty("shape", Arrays.toString(s.shape().dims()));
      row.addProperty("values", s.shape().numel());
      row.addProperty("non_zeros", nz);
      row.addProperty("bytes", s.bytes());
      row.addProperty("bits_per_value", s.bitsPerValue());
      rows.add(row);
    }
    long fileBytes = Files.size(file);
    o.printf(
        Locale.ROOT,
        "total: %d values, %d non-zero, %d bytes on disk = %.2f bits per value (%.1fx float32)%n",
        values,
        nonZeros,
        fileBytes,
        8.0 * fileBytes / Math.max(1, values),
        4.0 * values / fileBytes);
    if (json) {
      JsonObject j = new JsonObject();
      j.addProperty("file", file.toString());
      j.addProperty("file_bytes", fileBytes);
      j.addProperty("format_version", c.version());
      j.addProperty("model", c.model().name());
      j.addProperty("values", values);
      j.addProperty("non_zeros", nonZeros);
      j.addProperty("metadata", c.model().metadata());
      j.add("tensors", rows);
      Json.print(o, j);
    }
    return 0;
  }

  private static long countNonZeros(float[] v) {
    long n = 0;
    for (float x : v) {
      n += x != 0 ? 1 : 0;
    }
    return n;
  }

  private static long countNonZeros(Tensor t) {
    return countNonZeros(t.data());
  }
}
