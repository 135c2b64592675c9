package jcnn.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import jcnn.bench.ConvShapes.ConvShape;

/**
 * The peer measurement of {@code jcnn bench --peer}: runs {@code benchmarks/peers/torch_bench.py}
 * with the system Python and reads the one JSON line it prints. The shape and FLOP count are passed
 * on its command line, so {@code ConvShapes} stays the single source of both.
 *
 * <p>A missing Python or PyTorch is not an error: the peer entry then reads {@code
 * {"available":false,"reason":...}} and the benchmark result stands on its own. Tested by {@code
 * PeerTest} (argument building and output parsing; one real run where Python is installed).
 */
final class Peer {
  static final String PYTHON = "/usr/bin/python3";
  static final Path SCRIPT = Path.of("benchmarks", "peers", "torch_bench.py");

  // Generous: torch's first import can take tens of seconds on a cold disk.
  private static final long TIMEOUT_SECONDS = 600;

  private Peer() {}

  /** Arguments for the sgemm peer: C[size x size] = A * B. */
  static List<String> sgemmArgs(int size, double flops, BenchOptions o) {
    List<String> a = new ArrayList<>(List.of("sgemm", "--size", Integer.toString(size)));
    addCommon(a, flops, o);
    return a;
  }

  /** Arguments for the conv peer: every dimension of the layer, spelled out. */
  static List<String> convArgs(ConvShape s, double flops, BenchOptions o) {
    List<String> a = new ArrayList<>(List.of("conv"));
    int[] values = {s.n(), s.c(), s.k(), s.h(), s.w(), s.r(), s.s(), s.stride(), s.pad()};
    String[] names = {"n", "c", "k", "h", "w", "r", "s", "stride", "pad"};
    for (int i = 0; i < names.length; i++) {
      a.add("--" + names[i]);
      a.add(Integer.toString(values[i]));
    }
    a.add("--groups");
    a.add(Integer.toString(s.groups()));
    addCommon(a, flops, o);
    return a;
  }

  private static void addCommon(List<String> a, double flops, BenchOptions o) {
    a.addAll(
        List.of(
            "--threads", Integer.toString(o.threads),
            "--warmup", Integer.toString(o.warmup),
            "--iterations", Integer.toString(o.iterations),
            "--time", Double.toString(o.seconds),
            "--flops", String.format(Locale.ROOT, "%.0f", flops)));
    if (!o.device.equals("cpu")) {
      a.addAll(List.of("--device", "cuda")); // PyTorch on the same GPU, float32
    }
  }

  /**
   * Runs the peer script from the repository at {@code home} with {@code threads} threads; never
   * throws for a missing peer.
   */
  static JsonObject run(Path home, List<String> args, int threads) {
    return run(home, SCRIPT, args, threads);
  }

  /**
   * PyTorch's best figure per case: the script run once with the BLAS on {@code threads} threads
   * and once on one. Small products are fastest with a one-thread BLAS (no pool of its own beside
   * torch's OpenMP one: LeNet-5 at batch 1 took 1.7 ms against 0.35 ms here), large ones with
   * {@code threads}. Each case keeps its lower time, and {@code blas_threads} says which won.
   */
  static JsonObject runBest(Path home, Path scriptPath, List<String> args, int threads) {
    JsonObject many = run(home, scriptPath, args, threads);
    if (threads == 1) {
      return many;
    }
    JsonObject one = run(home, scriptPath, args, 1);
    return best(many, threads, one);
  }

  /**
   * Case by case, the lower of two runs' times (run {@code many} had {@code threads} BLAS threads).
   */
  static JsonObject best(JsonObject many, int threads, JsonObject one) {
    if (!available(many)) {
      return one;
    }
    if (!available(one)) {
      return many;
    }
    JsonObject out = many.deepCopy();
    JsonObject cases = out.getAsJsonObject("cases");
    JsonObject oneCases = one.getAsJsonObject("cases");
    JsonObject blas = new JsonObject();
    for (String name : cases.keySet()) {
      double t = time(cases, name);
      double u = time(oneCases, name);
      boolean oneWins = !Double.isNaN(u) && (Double.isNaN(t) || u < t); // NaN never enters
      if (oneWins) {
        cases.addProperty(name, u);
      }
      blas.addProperty(name, oneWins ? 1 : threads);
    }
    out.add("blas_threads", blas);
    return out;
  }

  private static double time(JsonObject cases, String name) {
    JsonElement e = cases.get(name);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()
        ? e.getAsDouble()
        : Double.NaN;
  }

  private static boolean available(JsonObject r) {
    return r.has("available")
        && r.get("available").getAsBoolean()
        && r.has("cases")
        && r.get("cases").isJsonObject();
  }

  /**
   * The same for another peer script, {@code script} relative to the repository, with the BLAS on
   * {@code blasThreads} threads (the script's own {@code --threads} is in {@code args}).
   */
  static JsonObject run(Path home, Path scriptPath, List<String> args, int blasThreads) {
    Path script = home.resolve(scriptPath);
    if (!Files.isRegularFile(script)) {
      return Json.unavailable("peer script not found: " + script);
    }
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return Json.unavailable(PYTHON + " not found");
    }
    List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // The script sets torch's own pool; torch.mm goes to the system BLAS in one call, which must
    // get the same thread count or the peer's sgemm would run on one thread (see the script).
    pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(blasThreads));
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      List<String> lines = readLines(p);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Json.unavailable("peer timed out after " + TIMEOUT_SECONDS + " s");
      }
      return parseOutput(lines, p.exitValue());
    } catch (IOException e) {
      return Json.unavailable("could not run " + PYTHON + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Json.unavailable("interrupted");
    }
  }

  private static List<String> readLines(Process p) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /**
   * The peer's result from its output lines: the last line that is a JSON object. Anything else (a
   * crash, a traceback) becomes an unavailable entry whose reason is the last line printed.
   */
  static JsonObject parseOutput(List<String> lines, int exitCode) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).strip();
      if (line.startsWith("{")) {
        try {
          return JsonParser.parseString(line).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
          break;
        }
      }
    }
    String last = "no output";
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) {
        last = lines.get(i).strip();
        break;
      }
    }
    return Json.unavailable("peer exited with code " + exitCode + ": " + last);
  }
}
