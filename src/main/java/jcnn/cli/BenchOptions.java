package jcnn.cli;

import picocli.CommandLine.Option;

/**
 * Options every {@code jcnn bench} command shares: thread count, the JMH run length, and the output
 * and peer switches. The peer gets the same warm-up and measurement schedule as JMH, so the two
 * numbers are taken the same way.
 */
final class BenchOptions {
  @Option(
      names = "--threads",
      paramLabel = "T",
      description =
          "Worker threads of the benchmarked backend (default: ${DEFAULT-VALUE}, all processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--device",
      paramLabel = "D",
      description = {
        "cpu (default: JMH), cuda or cuda:N (a timing loop that waits for the GPU;",
        "every CUDA SGEMM kernel is timed and checked against the CPU)."
      })
  String device = "cpu";

  @Option(
      names = "--kernel",
      paramLabel = "K",
      description =
          "With --device cuda: the SGEMM to use, v1, v2, v3, v4, cublas or all (default).")
  String kernel = "all";

  @Option(
      names = "--warmup",
      paramLabel = "N",
      defaultValue = "3",
      description = "Warm-up iterations, discarded (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--iterations",
      paramLabel = "N",
      defaultValue = "5",
      description = "Measured iterations (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(
      names = "--time",
      paramLabel = "SECONDS",
      defaultValue = "1",
      description = "Length of each iteration in seconds (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--forks",
      paramLabel = "N",
      defaultValue = "1",
      description = {
        "JMH forks: fresh JVMs the benchmark runs in;",
        "0 runs in this JVM (default: ${DEFAULT-VALUE})."
      })
  int forks;

  @Option(
      names = "--peer",
      description = {
        "Also time the same op in PyTorch on the CPU, same threads",
        "(benchmarks/peers/torch_bench.py)."
      })
  boolean peer;

  @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
  boolean json;

  /** Rejects values JMH would fail on later with a less clear message. */
  void check() {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
    }
    if (warmup < 0 || iterations < 1 || forks < 0) {
      throw new IllegalArgumentException(
          "need --warmup >= 0, --iterations >= 1 and --forks >= 0; got "
              + warmup
              + ", "
              + iterations
              + ", "
              + forks);
    }
    if (!(seconds > 0 && seconds <= 600)) {
      throw new IllegalArgumentException("--time must be in (0, 600] seconds, got " + seconds);
    }
  }
}
