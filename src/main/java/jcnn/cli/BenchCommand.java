package jcnn.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jcnn.backend.DeviceException;
import jcnn.bench.ConvBenchmark;
import jcnn.bench.ConvShapes;
import jcnn.bench.ConvShapes.ConvShape;
import jcnn.bench.SgemmBenchmark;
import org.openjdk.jmh.runner.RunnerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jcnn bench sgemm|conv}: runs the JMH benchmark of one op (classes in {@code
 * benchmarks/src/main/java/jcnn/bench}), converts its time per op to GFLOP/s and, with {@code
 * --peer}, times the same op in PyTorch in the same run. JMH's progress goes to stderr; the table
 * or the {@code --json} line goes to stdout.
 *
 * <p>Tested by {@code MainTest} (help, bad shape) and {@code BenchReportTest} (the arithmetic and
 * JSON); the JMH run itself is exercised by {@code ./jcnn bench}, not by unit tests.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a JMH benchmark of one op and report GFLOP/s.",
    subcommands = {
      BenchCommand.Sgemm.class,
      BenchCommand.Conv.class,
      CompressedBench.Sparse.class,
      CompressedBench.Xnor.class
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** {@code jcnn bench} alone: list the benchmarks and fail, as a missing argument should. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Main.EXIT_USAGE;
  }

  @Command(
      name = "sgemm",
      mixinStandardHelpOptions = true,
      description = "Single-precision matrix multiply C = A * B of size x size matrices.")
  static final class Sgemm implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin BenchOptions opts;

    @Option(
        names = "--size",
        paramLabel = "N",
        defaultValue = "1024",
        description = "Matrix size N of the N x N x N product (default: ${DEFAULT-VALUE}).")
    int size;

    @Override
    public Integer call() throws RunnerException {
      opts.check();
      if (size < 1) {
        throw new IllegalArgumentException("--size must be at least 1, got " + size);
      }
      double flops = SgemmBenchmark.flops(size);
      if (!opts.device.equals("cpu")) {
        JsonObject r = DeviceBench.sgemm(size, flops, opts, spec.commandLine().getErr());
        return deviceReport(spec, opts, r, Peer.sgemmArgs(size, flops, opts));
      }
      JmhRun.Measurement m =
          JmhRun.run(
              SgemmBenchmark.class.getName(),
              "sgemm",
              Map.of("size", Integer.toString(size), "threads", Integer.toString(opts.threads)),
              opts,
              System.err);
      JsonObject peer = opts.peer ? runPeer(Peer.sgemmArgs(size, flops, opts), opts.threads) : null;
      report(spec, opts, BenchReport.sgemm(size, opts.threads, flops, m, peer));
      return 0;
    }
  }

  @Command(
      name = "conv",
      mixinStandardHelpOptions = true,
      description = "One convolution layer: forward, backward-data and backward-weight.")
  static final class Conv implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin BenchOptions opts;

    @Option(
        names = "--shape",
        paramLabel = "NAME",
        defaultValue = "lenet5.conv2",
        description = "A layer shape listed below (default: ${DEFAULT-VALUE}).")
    String shape;

    @Override
    public Integer call() throws RunnerException {
      ConvShape s = ConvShapes.get(shape); // unknown names fail here, listing the known ones
      opts.check();
      double flops = s.trainingFlops();
      if (!opts.device.equals("cpu")) {
        JsonObject r = DeviceBench.conv(s, flops, opts, spec.commandLine().getErr());
        return deviceReport(spec, opts, r, Peer.convArgs(s, flops, opts));
      }
      JmhRun.Measurement m =
          JmhRun.run(
              ConvBenchmark.class.getName(),
              "forwardBackward",
              Map.of("shape", s.name(), "threads", Integer.toString(opts.threads)),
              opts,
              System.err);
      JsonObject peer = opts.peer ? runPeer(Peer.convArgs(s, flops, opts), opts.threads) : null;
      report(spec, opts, BenchReport.conv(s, opts.threads, flops, m, peer));
      return 0;
    }
  }

  /**
   * Lists the shapes of {@link ConvShapes} under {@code jcnn bench conv --help}; the list is built
   * from the table itself, so it cannot go stale.
   */
  static void listShapes(CommandLine conv) {
    List<String> lines = new ArrayList<>();
    lines.add("%nShapes: x [N, C, H, W] * w [K, C/groups, R, S]");
    for (ConvShape s : ConvShapes.all()) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  %-16s [%d, %d, %d, %d] * [%d, %d, %d, %d], stride %d, pad %d, groups %d",
              s.name(),
              s.n(),
              s.c(),
              s.h(),
              s.w(),
              s.k(),
              s.c() / s.groups(),
              s.r(),
              s.s(),
              s.stride(),
              s.pad(),
              s.groups()));
    }
    conv.getCommandSpec().usageMessage().footer(lines.toArray(new String[0]));
  }

  private static JsonObject runPeer(List<String> args, int threads) {
    System.err.println("jcnn: timing the PyTorch peer...");
    return Peer.run(Home.root(), args, threads);
  }

  /**
   * Prints a device benchmark: the per-kernel lines went to stderr as they were measured; stdout
   * gets the summary (best kernel, PyTorch on the same GPU with --peer, their ratio) or the JSON.
   * Exits 1 if any kernel disagreed with the CPU.
   */
  private static int deviceReport(
      CommandSpec spec, BenchOptions opts, JsonObject r, List<String> peerArgs) {
    JsonObject peer = opts.peer ? runPeer(peerArgs, opts.threads) : null;
    boolean allMatch = true;
    double best = 0;
    String bestKernel = null;
    for (var e : r.getAsJsonArray("kernels")) {
      JsonObject k = e.getAsJsonObject();
      if (k.get("available").getAsBoolean()) {
        allMatch &= k.get("matches_cpu").getAsBoolean();
        if (k.get("gflops").getAsDouble() > best) {
          best = k.get("gflops").getAsDouble();
          bestKernel = k.get("kernel").getAsString();
        }
      }
    }
    if (bestKernel == null) {
      JsonObject first = r.getAsJsonArray("kernels").get(0).getAsJsonObject();
      throw new DeviceException(first.get("reason").getAsString());
    }
    r.addProperty("best_kernel", bestKernel);
    r.addProperty("best_gflops", best);
    r.addProperty("all_match_cpu", allMatch);
    if (peer != null) {
      r.add("peer", peer);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (opts.json) {
      Json.print(out, r);
    } else {
      out.printf(Locale.ROOT, "best: %s at %.1f GFLOP/s%n", bestKernel, best);
      if (peer != null && peer.has("gflops")) {
        double pg = peer.get("gflops").getAsDouble();
        out.printf(
            Locale.ROOT,
            "pytorch %s on %s: %.1f GFLOP/s; jcnn/pytorch %.2f%n",
            peer.get("version").getAsString(),
            peer.get("device").getAsString(),
            pg,
            best / pg);
      } else if (peer != null) {
        out.println("pytorch: " + Json.line(peer));
      }
      out.flush();
    }
    return allMatch ? 0 : Main.EXIT_FAILURE;
  }

  private static void report(CommandSpec spec, BenchOptions opts, JsonObject result) {
    PrintWriter out = spec.commandLine().getOut();
    if (opts.json) {
      Json.print(out, result);
    } else {
      out.print(BenchReport.table(result));
      out.flush();
    }
  }
}
