package jcnn.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jcnn.bench.CompressedModelBenchmark;
import jcnn.bench.SparseBenchmark;
import jcnn.bench.XnorBenchmark;
import org.openjdk.jmh.runner.RunnerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jcnn bench sparse} and {@code jcnn bench xnor}: the compressed-execution kernels (issue
 * 19) in JMH beside jcnn's dense layers and, with {@code --peer}, PyTorch's dense and torch.sparse
 * ({@code benchmarks/peers/torch_compressed.py}), all in one run. Each row prints microseconds per
 * forward, the speed-ups, and the napkin figure of the kernel (GB/s of the bytes a CSR product must
 * read; binary GOP/s for XNOR). Tested by {@code MainTest} (help); the JMH runs are exercised by
 * the commands themselves.
 */
final class CompressedBench {
  static final Path SCRIPT = Path.of("benchmarks", "peers", "torch_compressed.py");

  private CompressedBench() {}

  @Command(
      name = "sparse",
      mixinStandardHelpOptions = true,
      description =
          "Pruned fc and conv layers and a whole compressed LeNet-5: dense against CSR (float"
              + " values, and byte codes into a codebook), at batch 1 and 64.")
  static final class Sparse implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin BenchOptions opts;

    @Option(
        names = "--sparsity",
        split = ",",
        description = "Pruned shares of the fc layers (default: 0.9,0.95,0.98).")
    List<String> sparsity = List.of("0.9", "0.95", "0.98");

    @Option(names = "--batch", split = ",", description = "Batch sizes (default: 1,64).")
    List<String> batch = List.of("1", "64");

    @Option(
        names = "--conv-sparsity",
        description = "Pruned share of lenet5.conv2, Deep Compression's (default: 0.88).")
    String convSparsity = "0.88";

    @Override
    public Integer call() throws RunnerException {
      opts.check();
      String cls = SparseBenchmark.class.getName();
      String t = Integer.toString(opts.threads);
      List<String> fcs = List.of("lenet5.fc1", "lenet300.fc1");
      List<JmhRun.Row> rows = new ArrayList<>();
      rows.addAll(run(cls, "csr|coded", Map.of("layer", fcs, "sparsity", sparsity), t));
      rows.addAll(run(cls, "dense", Map.of("layer", fcs, "sparsity", sparsity.subList(0, 1)), t));
      rows.addAll(
          run(
              cls,
              "dense|csr|coded",
              Map.of("layer", List.of("lenet5.conv2"), "sparsity", List.of(convSparsity)),
              t));
      List<JmhRun.Row> model =
          JmhRun.runAll(
              CompressedModelBenchmark.class.getName(),
              "dense|compressed",
              Map.of("batch", List.of("1"), "threads", List.of(t)),
              opts,
              System.err);
      JsonObject peer =
          opts.peer
              ? peer(
                  "sparse",
                  List.of(
                      "--sparsity",
                      String.join(",", sparsity),
                      "--batch",
                      String.join(",", batch),
                      "--conv-sparsity",
                      convSparsity))
              : null;
      JsonObject r = sparseReport(rows, model, peer, fcs);
      print(spec, opts, r, sparseTable(r));
      return 0;
    }

    private List<JmhRun.Row> run(
        String cls, String methods, Map<String, List<String>> p, String threads)
        throws RunnerException {
      Map<String, List<String>> all = new LinkedHashMap<>(p);
      all.put("batch", batch);
      all.put("threads", List.of(threads));
      return JmhRun.runAll(cls, methods, all, opts, System.err);
    }

    private JsonObject peer(String bench, List<String> extra) {
      List<String> a = new ArrayList<>(List.of(bench, "--threads", Integer.toString(opts.threads)));
      a.addAll(extra);
      a.addAll(timing(opts));
      System.err.println("jcnn: timing the PyTorch peer...");
      return Peer.runBest(Home.root(), SCRIPT, a, opts.threads);
    }
  }

  @Command(
      name = "xnor",
      mixinStandardHelpOptions = true,
      description =
          "Binary layers: float32 dense against bit-packed weights, with +-1 inputs (XNOR and"
              + " popcount) and with real inputs, at batch 1 and 64.")
  static final class Xnor implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin BenchOptions opts;

    @Option(names = "--batch", split = ",", description = "Batch sizes (default: 1,64).")
    List<String> batch = List.of("1", "64");

    @Override
    public Integer call() throws RunnerException {
      opts.check();
      List<JmhRun.Row> rows =
          JmhRun.runAll(
              XnorBenchmark.class.getName(),
              "dense|xnor|bits",
              Map.of(
                  "layer", List.of("fc4096", "conv256"),
                  "batch", batch,
                  "threads", List.of(Integer.toString(opts.threads))),
              opts,
              System.err);
      JsonObject peer = null;
      if (opts.peer) {
        List<String> a = new ArrayList<>(List.of("xnor", "--threads", "" + opts.threads));
        a.addAll(List.of("--batch", String.join(",", batch)));
        a.addAll(timing(opts));
        System.err.println("jcnn: timing the PyTorch peer...");
        peer = Peer.runBest(Home.root(), SCRIPT, a, opts.threads);
      }
      JsonObject r = xnorReport(rows, peer);
      print(spec, opts, r, xnorTable(r));
      return 0;
    }
  }

  static List<String> timing(BenchOptions o) {
    return List.of(
        "--warmup", "" + o.warmup, "--iterations", "" + o.iterations, "--time", "" + o.seconds);
  }

  /** Microseconds of the row with this method and these params, or NaN. */
  static double us(List<JmhRun.Row> rows, String method, String... kv) {
    for (JmhRun.Row r : rows) {
      boolean match = r.method().equals(method);
      for (int i = 0; i < kv.length && match; i += 2) {
        match = kv[i + 1].equals(r.params().get(kv[i]));
      }
      if (match) {
        return 1000 * r.msPerOp();
      }
    }
    return Double.NaN;
  }

  /** Peer microseconds for a case key, or NaN. */
  static double peerUs(JsonObject peer, String key) {
    if (peer == null || !peer.has("cases") || !peer.getAsJsonObject("cases").has(key)) {
      return Double.NaN;
    }
    return 1000 * peer.getAsJsonObject("cases").get(key).getAsDouble();
  }

  private static String num(String s) {
    return Double.toString(Double.parseDouble(s)); // "0.9" as python prints it
  }

  static JsonObject sparseReport(
      List<JmhRun.Row> rows, List<JmhRun.Row> model, JsonObject peer, List<String> fcs) {
    JsonArray out = new JsonArray();
    List<String[]> cases = new ArrayList<>();
    for (JmhRun.Row r : rows) {
      if (!r.method().equals("dense") || r.params().get("layer").equals("lenet5.conv2")) {
        String[] c = {r.params().get("layer"), r.params().get("sparsity"), r.params().get("batch")};
        if (cases.stream().noneMatch(x -> Arrays.equals(x, c))) {
          cases.add(c);
        }
      }
    }
    for (String[] c : cases) {
      String layer = c[0];
      double sp = Double.parseDouble(c[1]);
      int n = Integer.parseInt(c[2]);
      JsonObject o = new JsonObject();
      o.addProperty("layer", layer);
      o.addProperty("sparsity", sp);
      o.addProperty("batch", n);
      double dense = us(rows, "dense", "layer", layer, "batch", c[2]);
      double csr = us(rows, "csr", "layer", layer, "sparsity", c[1], "batch", c[2]);
      double coded = us(rows, "coded", "layer", layer, "sparsity", c[1], "batch", c[2]);
      String key = layer + "/" + num(c[1]) + "/" + n + "/";
      double tDense = peerUs(peer, key + "dense");
      double tBest =
          Math.min(
              tDense,
              Math.min(nanMax(peerUs(peer, key + "csr")), nanMax(peerUs(peer, key + "coo"))));
      o.addProperty("jcnn_dense_us", dense);
      o.addProperty("jcnn_csr_us", csr);
      o.addProperty("jcnn_csr_codes_us", coded);
      o.addProperty("torch_dense_us", tDense);
      o.addProperty("torch_csr_us", peerUs(peer, key + "csr"));
      o.addProperty("torch_coo_us", peerUs(peer, key + "coo"));
      o.addProperty("csr_vs_jcnn_dense", dense / csr);
      o.addProperty("csr_vs_torch_best", tBest / csr);
      double macs = SparseBenchmark.macs(layer, n, 1 - sp);
      o.addProperty("csr_gflops", 2 * macs / (csr * 1e3));
      out.add(o);
    }
    JsonObject r = new JsonObject();
    r.addProperty("bench", "sparse");
    r.add("rows", out);
    double d = us(model, "dense");
    double c = us(model, "compressed");
    double t = peerUs(peer, "lenet5/1/dense");
    JsonObject m = new JsonObject();
    m.addProperty("model", "lenet5 (Deep Compression's per-layer pruning, 8/5-bit codes)");
    m.addProperty("jcnn_dense_img_s", 1e6 / d);
    m.addProperty("jcnn_compressed_img_s", 1e6 / c);
    m.addProperty("torch_float_img_s", 1e6 / t);
    m.addProperty("compressed_vs_jcnn_dense", d / c);
    m.addProperty("compressed_vs_torch", t / c);
    r.add("lenet5_batch1", m);
    if (peer != null) {
      r.add("peer", peer);
    }
    return r;
  }

  private static double nanMax(double v) {
    return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
  }

  static String sparseTable(JsonObject r) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-13s %5s %6s %10s %10s %10s %10s %10s %10s %7s %7s %7s%n",
            "layer",
            "batch",
            "pruned",
            "dense us",
            "csr us",
            "codes us",
            "torch us",
            "t.csr us",
            "t.coo us",
            "x dense",
            "x torch",
            "GFLOP/s"));
    for (var e : r.getAsJsonArray("rows")) {
      JsonObject o = e.getAsJsonObject();
      b.append(
          String.format(
              Locale.ROOT,
              "%-13s %5d %5.0f%% %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f %7.2f %7.2f %7.1f%n",
              o.get("layer").getAsString(),
              o.get("batch").getAsInt(),
              100 * o.get("sparsity").getAsDouble(),
              o.get("jcnn_dense_us").getAsDouble(),
              o.get("jcnn_csr_us").getAsDouble(),
              o.get("jcnn_csr_codes_us").getAsDouble(),
              o.get("torch_dense_us").getAsDouble(),
              o.get("torch_csr_us").getAsDouble(),
              o.get("torch_coo_us").getAsDouble(),
              o.get("csr_vs_jcnn_dense").getAsDouble(),
              o.get("csr_vs_torch_best").getAsDouble(),
              o.get("csr_gflops").getAsDouble()));
    }
    JsonObject m = r.getAsJsonObject("lenet5_batch1");
    b.append(
        String.format(
            Locale.ROOT,
            "lenet5, batch 1: jcnn dense %.0f img/s, compressed %.0f img/s (%.2fx), torch float %.0f"
                + " img/s (compressed %.2fx)%n",
            m.get("jcnn_dense_img_s").getAsDouble(),
            m.get("jcnn_compressed_img_s").getAsDouble(),
            m.get("compressed_vs_jcnn_dense").getAsDouble(),
            m.get("torch_float_img_s").getAsDouble(),
            m.get("compressed_vs_torch").getAsDouble()));
    return b.toString();
  }

  static JsonObject xnorReport(List<JmhRun.Row> rows, JsonObject peer) {
    JsonArray out = new JsonArray();
    List<String> seen = new ArrayList<>();
    for (JmhRun.Row row : rows) {
      String layer = row.params().get("layer");
      String n = row.params().get("batch");
      if (seen.contains(layer + "/" + n)) {
        continue;
      }
      seen.add(layer + "/" + n);
      double dense = us(rows, "dense", "layer", layer, "batch", n);
      double xnor = us(rows, "xnor", "layer", layer, "batch", n);
      double bits = us(rows, "bits", "layer", layer, "batch", n);
      double torch = peerUs(peer, layer + "/" + n + "/dense");
      JsonObject o = new JsonObject();
      o.addProperty("layer", layer);
      o.addProperty("batch", Integer.parseInt(n));
      o.addProperty("jcnn_dense_us", dense);
      o.addProperty("jcnn_xnor_us", xnor);
      o.addProperty("jcnn_bits_real_input_us", bits);
      o.addProperty("torch_float_us", torch);
      o.addProperty("xnor_vs_jcnn_dense", dense / xnor);
      o.addProperty("xnor_vs_torch", torch / xnor);
      o.addProperty("bits_vs_jcnn_dense", dense / bits);
      double macs = XnorBenchmark.macs(layer, Integer.parseInt(n));
      o.addProperty("xnor_binary_gops", 2 * macs / (xnor * 1e3));
      out.add(o);
    }
    JsonObject r = new JsonObject();
    r.addProperty("bench", "xnor");
    r.add("rows", out);
    if (peer != null) {
      r.add("peer", peer);
    }
    return r;
  }

  static String xnorTable(JsonObject r) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-8s %5s %10s %10s %10s %10s %8s %8s %8s %9s%n",
            "layer",
            "batch",
            "dense us",
            "xnor us",
            "bits us",
            "torch us",
            "x dense",
            "x torch",
            "bits x",
            "bin GOP/s"));
    for (var e : r.getAsJsonArray("rows")) {
      JsonObject o = e.getAsJsonObject();
      b.append(
          String.format(
              Locale.ROOT,
              "%-8s %5d %10.1f %10.1f %10.1f %10.1f %8.2f %8.2f %8.2f %9.0f%n",
              o.get("layer").getAsString(),
              o.get("batch").getAsInt(),
              o.get("jcnn_dense_us").getAsDouble(),
              o.get("jcnn_xnor_us").getAsDouble(),
              o.get("jcnn_bits_real_input_us").getAsDouble(),
              o.get("torch_float_us").getAsDouble(),
              o.get("xnor_vs_jcnn_dense").getAsDouble(),
              o.get("xnor_vs_torch").getAsDouble(),
              o.get("bits_vs_jcnn_dense").getAsDouble(),
              o.get("xnor_binary_gops").getAsDouble()));
    }
    return b.toString();
  }

  private static void print(CommandSpec spec, BenchOptions opts, JsonObject r, String table) {
    PrintWriter out = spec.commandLine().getOut();
    if (opts.json) {
      Json.print(out, r);
    } else {
      out.print(table);
      if (r.has("peer") && !r.getAsJsonObject("peer").get("available").getAsBoolean()) {
        out.println("pytorch: " + Json.line(r.getAsJsonObject("peer")));
      }
      out.flush();
    }
  }
}
