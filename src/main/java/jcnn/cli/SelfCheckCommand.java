package jcnn.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.bench.ConvShapes;
import jcnn.bench.ConvShapes.ConvShape;
import jcnn.bench.SgemmBenchmark;
import jcnn.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jcnn selfcheck}: a quick self-check that this machine runs jcnn correctly. The fast CPU
 * backend is compared with the reference oracle on the LeNet-5 convolution shapes and a matmul,
 * then a 512^3 sgemm is timed by a plain loop for a rough GFLOP/s figure (a quick estimate, not a
 * benchmark: {@code jcnn bench sgemm} is the measurement). Exits 1 when a check fails.
 *
 * <p>Takes a few seconds. The comparison rule is tested in {@code ParityTest}; the command's
 * options in {@code MainTest}.
 */
@Command(
    name = "selfcheck",
    mixinStandardHelpOptions = true,
    description = "Check the fast CPU backend against the reference oracle and estimate speed.")
final class SelfCheckCommand implements Callable<Integer> {
  // Float accumulation over C*R*S = 500 terms against the double-accumulating oracle.
  static final double ATOL = 1e-4;
  static final double RTOL = 1e-3;

  // A small batch keeps the single-threaded oracle fast; the layer dims are the real ones.
  private static final int BATCH = 8;

  @Spec CommandSpec spec;

  @Mixin DeviceOptions dev = new DeviceOptions();

  @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Backend ref = Backends.reference();
    Backend fast = Backends.forDevice(dev.device, dev.threads);
    out.printf(
        "jcnn selfcheck: backend %s with %d thread(s) of %d processors, SIMD %s%n",
        fast.name(),
        dev.threads,
        Runtime.getRuntime().availableProcessors(),
        FloatVector.SPECIES_PREFERRED);
    out.printf("checking %s against the %s oracle...%n", fast.name(), ref.name());
    JsonArray checks = new JsonArray();
    boolean ok = true;
    for (String name : new String[] {"lenet5.conv1", "lenet5.conv2"}) {
      ok &= report(out, checks, "conv " + name, checkConv(ref, fast, ConvShapes.get(name)));
    }
    ok &= report(out, checks, "matmul 256^3", checkMatmul(ref, fast, 256));
    double gflops = estimateSgemm(fast, 512);
    out.printf(
        Locale.ROOT,
        "sgemm 512^3: %.1f GFLOP/s (quick estimate, not a benchmark; see 'jcnn bench sgemm')%n",
        gflops);
    out.println(ok ? "all checks passed" : "FAILED: the fast backend disagrees with the oracle");
    if (json) {
      Json.print(out, summary(fast.name(), dev.threads, checks, gflops, ok));
    }
    out.flush();
    return ok ? 0 : Main.EXIT_FAILURE;
  }

  /** One forward convolution, with bias, on both backends. */
  static Parity.Result checkConv(Backend ref, Backend fast, ConvShape shape) {
    ConvShape s = shape.withBatch(BATCH);
    Tensor x = Tensor.randn(1, 1f, s.n(), s.c(), s.h(), s.w()); // [N, C, H, W]
    Tensor w = Tensor.randn(2, 0.2f, s.k(), s.c() / s.groups(), s.r(), s.s()); // [K, C/g, R, S]
    Tensor bias = Tensor.randn(3, 0.1f, s.k()); // [K]
    Tensor want = Tensor.zeros(s.n(), s.k(), s.p(), s.q()); // [N, K, P, Q]
    Tensor got = Tensor.zeros(s.n(), s.k(), s.p(), s.q()); // [N, K, P, Q]
    ref.conv2dForward(x, w, bias, s.spec(), want);
    fast.conv2dForward(x, w, bias, s.spec(), got);
    return Parity.compare(got, want, ATOL, RTOL);
  }

  /** C = A * B for n x n matrices on both backends. */
  static Parity.Result checkMatmul(Backend ref, Backend fast, int n) {
    Tensor a = Tensor.randn(4, 1f, n, n);
    Tensor b = Tensor.randn(5, 1f, n, n);
    Tensor want = Tensor.zeros(n, n);
    Tensor got = Tensor.zeros(n, n);
    ref.matmul(a, false, b, false, want, 1f, 0f);
    fast.matmul(a, false, b, false, got, 1f, 0f);
    // Sums of n products of unit normals grow like sqrt(n): scale atol with it.
    return Parity.compare(got, want, ATOL * Math.sqrt(n), RTOL);
  }

  /** GFLOP/s of repeated n^3 matmuls over about one second, after two warm-up calls. */
  static double estimateSgemm(Backend fast, int n) {
    Tensor a = Tensor.randn(6, 1f, n, n);
    Tensor b = Tensor.randn(7, 1f, n, n);
    Tensor c = Tensor.zeros(n, n);
    for (int i = 0; i < 2; i++) {
      fast.matmul(a, false, b, false, c, 1f, 0f);
    }
    int reps = 0;
    long start = System.nanoTime();
    long elapsed;
    do {
      fast.matmul(a, false, b, false, c, 1f, 0f);
      reps++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < 1_000_000_000L && reps < 1000);
    c.dataForRead(); // a device backend queues its kernels: wait for them
    elapsed = System.nanoTime() - start;
    return BenchReport.gflops(SgemmBenchmark.flops(n), elapsed / 1e6 / reps);
  }

  private static boolean report(PrintWriter out, JsonArray checks, String name, Parity.Result r) {
    out.printf(
        Locale.ROOT,
        "  %-20s max |error| %.2e  %s%n",
        name,
        r.maxAbsError(),
        r.ok() ? "ok" : "MISMATCH (" + r.mismatches() + " values, first at " + r.firstBad() + ")");
    JsonObject o = new JsonObject();
    o.addProperty("name", name);
    Json.addNumber(o, "max_abs_error", r.maxAbsError());
    o.addProperty("mismatches", r.mismatches());
    o.addProperty("ok", r.ok());
    checks.add(o);
    return r.ok();
  }

  private static JsonObject summary(
      String backend, int threads, JsonArray checks, double gflops, boolean ok) {
    JsonObject o = new JsonObject();
    o.addProperty("backend", backend);
    o.addProperty("threads", threads);
    o.add("checks", checks);
    o.addProperty("sgemm512_gflops_estimate", gflops);
    o.addProperty("ok", ok);
    return o;
  }
}
