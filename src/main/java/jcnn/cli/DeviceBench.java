package jcnn.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.backend.ConvSpec;
import jcnn.backend.DeviceException;
import jcnn.backend.cuda.CudaBackend;
import jcnn.bench.ConvShapes.ConvShape;
import jcnn.tensor.Tensor;

/**
 * {@code jcnn bench sgemm|conv --device cuda}: JMH cannot see a GPU's queue, so this times a loop
 * that waits for the device ({@link Backend#sync}) before reading the clock, with the same warm-up
 * and iteration schedule as the CPU benchmarks. Every CUDA SGEMM kernel (v1 naive ... v4 TF32, and
 * cuBLAS where it loads) is timed, and its result checked against the fast CPU backend (itself
 * tested against the reference) before its time is believed. Napkin math for each line: the FLOP
 * count of the op over the measured time.
 */
final class DeviceBench {
  private DeviceBench() {}

  static final String[] KERNELS = {"v1", "v2", "v3", "v4", "cublas"};

  /** The kernels {@code --kernel} names: one, or all. */
  static List<String> kernels(String kernel) {
    if (kernel.equals("all")) {
      return List.of(KERNELS);
    }
    for (String k : KERNELS) {
      if (k.equals(kernel)) {
        return List.of(k);
      }
    }
    throw new IllegalArgumentException(
        "--kernel must be v1, v2, v3, v4, cublas or all, got '" + kernel + "'");
  }

  /** One timed op on a device backend: {@code run} computes {@code result}. */
  private record Op(Runnable run, Tensor result) {}

  static JsonObject sgemm(int size, double flops, BenchOptions o, PrintWriter log) {
    Tensor a = Tensor.randn(1, 1f, size, size); // [size, size]
    Tensor b = Tensor.randn(2, 1f, size, size); // [size, size]
    Tensor want = Tensor.zeros(size, size);
    Backends.cpu(Runtime.getRuntime().availableProcessors()).matmul(a, false, b, false, want, 1, 0);
    JsonObject out = header("sgemm", o, flops);
    out.addProperty("size", size);
    out.add(
        "kernels",
        eachKernel(
            "sgemm " + size + "^3",
            want,
            size,
            dev -> {
              Tensor c = Tensor.zeros(size, size);
              return new Op(() -> dev.matmul(a, false, b, false, c, 1, 0), c);
            },
            flops,
            o,
            log));
    return out;
  }

  static JsonObject conv(ConvShape s, double flops, BenchOptions o, PrintWriter log) {
    Tensor x = Tensor.randn(1, 1f, s.n(), s.c(), s.h(), s.w()); // [N, C, H, W]
    Tensor w = Tensor.randn(2, 0.1f, s.k(), s.c() / s.groups(), s.r(), s.s()); // [K, C/g, R, S]
    ConvSpec spec = s.spec();
    Tensor yWant = Tensor.zeros(s.n(), s.k(), s.p(), s.q()); // [N, K, P, Q]
    Backends.cpu(Runtime.getRuntime().availableProcessors()).conv2dForward(x, w, null, spec, yWant);
    Tensor gy = Tensor.randn(3, 1f, s.n(), s.k(), s.p(), s.q()); // [N, K, P, Q]
    JsonObject out = header("conv", o, flops);
    out.addProperty("shape", s.name());
    out.add(
        "kernels",
        eachKernel(
            "conv " + s.name() + " fwd+bwd",
            yWant,
            s.c() / s.groups() * s.r() * s.s(),
            dev -> {
              Tensor y = Tensor.zeros(yWant.shape());
              Tensor gx = Tensor.zeros(x.shape());
              Tensor gw = Tensor.zeros(w.shape());
              Runnable step =
                  () -> {
                    dev.conv2dForward(x, w, null, spec, y);
                    dev.conv2dBackwardData(gy, w, spec, gx);
                    dev.conv2dBackwardWeight(x, gy, spec, gw);
                  };
              return new Op(step, y);
            },
            flops,
            o,
            log));
    return out;
  }

  private static JsonObject header(String op, BenchOptions o, double flops) {
    JsonObject out = new JsonObject();
    out.addProperty("op", op);
    out.addProperty("device", o.device);
    out.addProperty("flops", flops);
    return out;
  }

  /**
   * For each SGEMM kernel {@code --kernel} names: builds the op on the device backend, runs it
   * once, checks its result against {@code want} (a sum of {@code reduce} products per value: fp32
   * error grows like 1e-4 sqrt(reduce) for unit-size terms, TF32's like 1e-2 sqrt(reduce)), then
   * times it. A kernel that cannot run here is listed with the reason.
   */
  private static JsonArray eachKernel(
      String what,
      Tensor want,
      int reduce,
      Function<Backend, Op> make,
      double flops,
      BenchOptions o,
      PrintWriter log) {
    JsonArray results = new JsonArray();
    Backend dev = null;
    for (String k : kernels(o.kernel)) {
      JsonObject r = new JsonObject();
      r.addProperty("kernel", k);
      try {
        if (dev == null) {
          dev = Backends.forDevice(o.device, o.threads);
        }
        ((CudaBackend) dev).useGemm(k);
        Op op = make.apply(dev);
        op.run().run();
        check(r, want, op.result(), (k.equals("v4") ? 1e-2 : 1e-4) * Math.sqrt(reduce));
        time(r, op.run(), dev, flops, o);
      } catch (DeviceException | IllegalArgumentException e) {
        r.addProperty("available", false);
        r.addProperty("reason", e.getMessage());
      }
      log.println(line(what, r));
      log.flush();
      results.add(r);
    }
    return results;
  }

  /** Max |got - want| over the tensor, and whether it is within {@code tol}. */
  private static void check(JsonObject r, Tensor want, Tensor got, double tol) {
    float[] w = want.dataForRead();
    float[] g = got.dataForRead();
    double worst = 0;
    for (int i = 0; i < w.length; i++) {
      worst = Math.max(worst, Math.abs((double) g[i] - w[i]));
    }
    r.addProperty("available", true);
    r.addProperty("max_abs_error", worst);
    r.addProperty("matches_cpu", worst <= tol);
  }

  private static void time(JsonObject r, Runnable op, Backend dev, double flops, BenchOptions o) {
    List<Double> ms = new ArrayList<>();
    for (int it = 0; it < o.warmup + o.iterations; it++) {
      int reps = 0;
      long start = System.nanoTime();
      long elapsed;
      do {
        op.run();
        dev.sync();
        reps++;
        elapsed = System.nanoTime() - start;
      } while (elapsed < o.seconds * 1e9);
      if (it >= o.warmup) {
        ms.add(elapsed / 1e6 / reps);
      }
    }
    double mean = ms.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    r.addProperty("ms_per_op", mean);
    r.addProperty("gflops", flops / (mean * 1e6));
  }

  private static String line(String what, JsonObject r) {
    String k = r.get("kernel").getAsString();
    if (!r.get("available").getAsBoolean()) {
      return String.format(
          Locale.ROOT, "%-28s %-7s unavailable: %s", what, k, r.get("reason").getAsString());
    }
    return String.format(
        Locale.ROOT,
        "%-28s %-7s %9.3f ms  %9.1f GFLOP/s  max |gpu - cpu| %.2e %s",
        what,
        k,
        r.get("ms_per_op").getAsDouble(),
        r.get("gflops").getAsDouble(),
        r.get("max_abs_error").getAsDouble(),
        r.get("matches_cpu").getAsBoolean() ? "ok" : "MISMATCH");
  }
}
