package jcnn.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Locale;
import jcnn.bench.ConvShapes.ConvShape;

/**
 * Turns a benchmark's time per op into GFLOP/s and assembles what {@code jcnn bench} prints: one
 * JSON object (the {@code --json} line) and a human table drawn from that same object, so the two
 * can never disagree. The FLOP counts come from the benchmark side ({@code SgemmBenchmark.flops},
 * {@code ConvShape.trainingFlops}); this class only divides.
 *
 * <p>Tested by {@code BenchReportTest} with made-up timings (no JMH run).
 */
final class BenchReport {
  private BenchReport() {}

  /** GFLOP/s of an op doing {@code flopsPerOp} floating-point operations in {@code msPerOp} ms. */
  static double gflops(double flopsPerOp, double msPerOp) {
    if (!(msPerOp > 0)) {
      throw new IllegalArgumentException("time per op must be positive, got " + msPerOp + " ms");
    }
    return flopsPerOp / (msPerOp * 1e6);
  }

  /** The {@code bench sgemm} result: C[size x size] = A * B. {@code peer} may be null. */
  static JsonObject sgemm(
      int size, int threads, double flops, JmhRun.Measurement m, JsonObject peer) {
    JsonObject o = new JsonObject();
    o.addProperty("benchmark", "sgemm");
    o.addProperty("size", size);
    o.addProperty("threads", threads);
    addTiming(o, flops, m);
    addPeer(o, peer);
    return o;
  }

  /** The {@code bench conv} result: forward + backward-data + backward-weight of one layer. */
  static JsonObject conv(
      ConvShape s, int threads, double flops, JmhRun.Measurement m, JsonObject peer) {
    JsonObject o = new JsonObject();
    o.addProperty("benchmark", "conv");
    o.addProperty("shape", s.name());
    o.addProperty("n", s.n());
    o.addProperty("c", s.c());
    o.addProperty("k", s.k());
    o.addProperty("h", s.h());
    o.addProperty("w", s.w());
    o.addProperty("r", s.r());
    o.addProperty("s", s.s());
    o.addProperty("stride", s.stride());
    o.addProperty("pad", s.pad());
    o.addProperty("groups", s.groups());
    o.addProperty("threads", threads);
    addTiming(o, flops, m);
    addBytes(o, s.trainingBytes());
    if (peer != null && peer.has("ms_per_op")) {
      addBytes(peer, s.trainingBytes());
    }
    addPeer(o, peer);
    return o;
  }

  /** GB/s of an op that must move {@code bytes} bytes (ConvShape.trainingBytes), in {@code o}. */
  private static void addBytes(JsonObject o, double bytes) {
    o.addProperty("bytes_per_op", bytes);
    o.addProperty("gbps", bytes / (o.get("ms_per_op").getAsDouble() * 1e6));
  }

  private static void addTiming(JsonObject o, double flops, JmhRun.Measurement m) {
    o.addProperty("flops_per_op", flops);
    Json.addNumber(o, "ms_per_op", m.msPerOp());
    Json.addNumber(o, "ms_error", m.msError());
    o.addProperty("gflops", gflops(flops, m.msPerOp()));
  }

  private static void addPeer(JsonObject o, JsonObject peer) {
    if (peer != null) {
      o.add("peer", peer);
    }
  }

  /** The human form of a result object made by {@link #sgemm} or {@link #conv}. */
  static String table(JsonObject r) {
    StringBuilder sb = new StringBuilder();
    sb.append(title(r)).append('\n');
    sb.append(
        String.format(
            Locale.ROOT, "%-22s %22s %10s %8s%n", "implementation", "ms/op", "GFLOP/s", "GB/s"));
    sb.append(row("jcnn (JMH)", r));
    if (r.has("peer")) {
      JsonObject p = r.getAsJsonObject("peer");
      if (p.has("ms_per_op")) {
        sb.append(row(p.get("name").getAsString() + " " + p.get("version").getAsString(), p));
        if (p.has("blas")) {
          sb.append("  (peer BLAS: ").append(p.get("blas").getAsString()).append(")\n");
        }
      } else {
        sb.append(
            String.format(
                Locale.ROOT,
                "%-22s not available (%s)%n",
                "peer",
                p.has("reason") ? p.get("reason").getAsString() : "no result"));
      }
    }
    return sb.toString();
  }

  private static String title(JsonObject r) {
    String threads = "threads " + r.get("threads").getAsInt();
    if (r.get("benchmark").getAsString().equals("sgemm")) {
      int n = r.get("size").getAsInt();
      return String.format(Locale.ROOT, "sgemm %d x %d x %d, %s", n, n, n, threads);
    }
    return String.format(
        Locale.ROOT,
        "conv %s: x [%d, %d, %d, %d] * w [%d, %d, %d, %d], stride %d, pad %d, groups %d,"
            + " forward + backward, %s",
        r.get("shape").getAsString(),
        r.get("n").getAsInt(),
        r.get("c").getAsInt(),
        r.get("h").getAsInt(),
        r.get("w").getAsInt(),
        r.get("k").getAsInt(),
        r.get("c").getAsInt() / r.get("groups").getAsInt(),
        r.get("r").getAsInt(),
        r.get("s").getAsInt(),
        r.get("stride").getAsInt(),
        r.get("pad").getAsInt(),
        r.get("groups").getAsInt(),
        threads);
  }

  private static String row(String label, JsonObject o) {
    String ms = String.format(Locale.ROOT, "%.4f", o.get("ms_per_op").getAsDouble());
    JsonElement err = o.get("ms_error");
    if (err != null && !err.isJsonNull()) {
      ms += String.format(Locale.ROOT, " +- %.4f", err.getAsDouble());
    }
    String gbps =
        o.has("gbps") ? String.format(Locale.ROOT, "%8.2f", o.get("gbps").getAsDouble()) : "";
    return String.format(
        Locale.ROOT, "%-22s %22s %10.2f %s%n", label, ms, o.get("gflops").getAsDouble(), gbps);
  }
}
