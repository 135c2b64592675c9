package jcnn.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import jcnn.backend.cuda.Cuda;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jcnn info}: what this machine gives jcnn: Java version, the preferred SIMD vector width
 * (which sets the fast kernels' register blocking), processors, heap and GPU. The first thing to
 * paste into a bug report or next to a benchmark number. Tested by {@code InfoCommandTest}.
 */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "Show the Java runtime, SIMD width, processors, memory and GPU jcnn sees.")
final class InfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
  boolean json;

  @Override
  public Integer call() {
    JsonObject info = collect();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.print(out, info);
    } else {
      printTable(out, info);
    }
    return 0;
  }

  /** Everything {@code info} reports, as the JSON object {@code --json} prints. */
  static JsonObject collect() {
    VectorSpecies<Float> species = FloatVector.SPECIES_PREFERRED;
    Runtime rt = Runtime.getRuntime();
    JsonObject o = new JsonObject();
    o.addProperty("jcnn_version", VersionInfo.jcnnVersion());
    o.addProperty("java_version", System.getProperty("java.version"));
    o.addProperty("java_vm", System.getProperty("java.vm.name"));
    o.addProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    o.addProperty("vector_species", species.toString());
    o.addProperty("vector_bits", species.vectorBitSize());
    o.addProperty("float_lanes", species.length());
    o.addProperty("processors", rt.availableProcessors());
    o.addProperty("max_heap_mb", rt.maxMemory() / (1024 * 1024));
    o.add("cuda", cuda());
    return o;
  }

  /**
   * What {@code --device cuda} would find: devices, driver, compute capability, memory, whether
   * JCublas loaded and whether this build carries the kernels (PTX). Probing loads JCuda's driver
   * binding, which only this command and {@code --device cuda} do.
   */
  static JsonObject cuda() {
    Cuda.Info info;
    try {
      info = Cuda.probe();
    } catch (LinkageError e) {
      return Json.unavailable("JCuda is not on the class path: " + e.getMessage());
    }
    JsonObject o = info.available() ? new JsonObject() : Json.unavailable(info.reason());
    if (info.available()) {
      o.addProperty("available", true);
    }
    o.addProperty("driver_version", driverVersion(info.driverVersion()));
    JsonArray devices = new JsonArray();
    for (Cuda.Device d : info.devices()) {
      JsonObject j = new JsonObject();
      j.addProperty("index", d.index());
      j.addProperty("name", d.name());
      j.addProperty("compute_capability", d.ccMajor() + "." + d.ccMinor());
      j.addProperty("memory_mb", d.totalMemory() / (1024 * 1024));
      j.addProperty("multiprocessors", d.multiprocessors());
      devices.add(j);
    }
    o.add("devices", devices);
    o.addProperty("cublas", info.cublas());
    if (!info.cublas()) {
      o.addProperty("cublas_reason", info.cublasReason());
    }
    o.addProperty("ptx_in_build", info.ptx());
    return o;
  }

  /** The driver's CUDA version, 12040 -> "12.4"; "none" without a driver. */
  private static String driverVersion(int v) {
    return v == 0 ? "none" : (v / 1000) + "." + (v % 1000) / 10;
  }

  private static void printTable(PrintWriter out, JsonObject info) {
    for (Map.Entry<String, JsonElement> e : info.entrySet()) {
      String value =
          e.getValue().isJsonPrimitive()
              ? e.getValue().getAsString()
              : describeObject(e.getValue().getAsJsonObject());
      out.printf("%-16s %s%n", e.getKey().replace('_', ' '), value);
    }
    out.flush();
  }

  /** {"available":false,"reason":"x"} reads as "not available (x)". */
  private static String describeObject(JsonObject o) {
    if (o.has("available") && !o.get("available").getAsBoolean()) {
      return "not available (" + o.get("reason").getAsString() + ")";
    }
    return Json.line(o);
  }
}
