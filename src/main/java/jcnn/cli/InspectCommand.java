package jcnn.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jcnn.nn.io.SafeTensors;
import jcnn.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jcnn inspect F}: what a model file holds, tensor by tensor: shape, values, non-zeros and
 * bytes, and the file's metadata. Tested by {@code TrainCommandTest}.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "List a model file's tensors: shape, parameters, non-zeros, bytes.")
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "A .safetensors file written by jcnn.")
  Path file;

  @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
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

  private static long countNonZeros(Tensor t) {
    long n = 0;
    for (float v : t.data()) {
      n += v != 0 ? 1 : 0;
    }
    return n;
  }
}
