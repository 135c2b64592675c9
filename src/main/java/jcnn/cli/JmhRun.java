package jcnn.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs one JMH benchmark method in-process through JMH's Runner API and returns its average time
 * per operation in milliseconds. The benchmark classes live in {@code benchmarks/src}; JMH's
 * annotation processor lists them in the jar, so {@code ./jcnn bench} and {@code java -jar} see the
 * same set.
 *
 * <p>JMH's progress goes to stderr so that stdout carries only jcnn's table or JSON line. Not unit
 * tested (a JMH run takes seconds); exercised by {@code ./jcnn bench}.
 */
final class JmhRun {
  /** The forked JVMs need the Vector API like this one. */
  static final List<String> VECTOR_FLAGS = List.of("--add-modules", "jdk.incubator.vector");

  /** One benchmark's result: mean ms/op and JMH's 99.9% confidence half-width (NaN if n < 2). */
  record Measurement(double msPerOp, double msError) {}

  private JmhRun() {}

  /**
   * Runs {@code benchmarkClass.method} with the given {@code @Param} values and returns the one
   * result. Forcing AverageTime in ms makes the unit fixed whatever the class declares.
   */
  static Measurement run(
      String benchmarkClass,
      String method,
      Map<String, String> params,
      BenchOptions opts,
      PrintStream progress)
      throws RunnerException {
    ChainedOptionsBuilder b =
        builder(opts).include("^" + Pattern.quote(benchmarkClass + "." + method) + "$");
    params.forEach(b::param);
    Runner runner =
        new Runner(
            b.build(), OutputFormatFactory.createFormatInstance(progress, VerboseMode.NORMAL));
    Collection<RunResult> results = runner.run();
    if (results.size() != 1) {
      throw new IllegalStateException(
          "expected one JMH result for "
              + benchmarkClass
              + "."
              + method
              + ", got "
              + results.size());
    }
    Result<?> r = results.iterator().next().getPrimaryResult();
    return new Measurement(r.getScore(), r.getScoreError());
  }

  /** One result of {@link #runAll}: the method, its @Param values and its mean ms/op. */
  record Row(String method, Map<String, String> params, double msPerOp, double msError) {}

  /**
   * Runs every method of {@code benchmarkClass} matching {@code methods} (a regex alternation such
   * as "csr|coded") over the product of the given @Param values; one result per combination.
   */
  static List<Row> runAll(
      String benchmarkClass,
      String methods,
      Map<String, List<String>> params,
      BenchOptions opts,
      PrintStream progress)
      throws RunnerException {
    ChainedOptionsBuilder b =
        builder(opts).include("^" + Pattern.quote(benchmarkClass) + "\\.(" + methods + ")$");
    params.forEach((k, v) -> b.param(k, v.toArray(new String[0])));
    Runner runner =
        new Runner(
            b.build(), OutputFormatFactory.createFormatInstance(progress, VerboseMode.NORMAL));
    List<Row> out = new ArrayList<>();
    for (RunResult r : runner.run()) {
      String label = r.getParams().getBenchmark();
      Map<String, String> p = new LinkedHashMap<>();
      for (String k : r.getParams().getParamsKeys()) {
        p.put(k, r.getParams().getParam(k));
      }
      Result<?> res = r.getPrimaryResult();
      out.add(
          new Row(
              label.substring(label.lastIndexOf('.') + 1), p, res.getScore(), res.getScoreError()));
    }
    return out;
  }

  private static ChainedOptionsBuilder builder(BenchOptions opts) {
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .mode(Mode.AverageTime)
            .timeUnit(TimeUnit.MILLISECONDS)
            .warmupIterations(opts.warmup)
            .warmupTime(iterationTime(opts.seconds))
            .measurementIterations(opts.iterations)
            .measurementTime(iterationTime(opts.seconds))
            .forks(opts.forks)
            .shouldFailOnError(true);
    if (!hostHasVectorModule()) {
      b.jvmArgsAppend(VECTOR_FLAGS.toArray(new String[0]));
    }
    return b;
  }

  private static TimeValue iterationTime(double seconds) {
    return TimeValue.milliseconds(Math.max(1, Math.round(seconds * 1000)));
  }

  /**
   * True when this JVM was started with {@code --add-modules jdk.incubator.vector} in some form.
   */
  static boolean hostHasVectorModule() {
    List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--add-modules=") && a.contains("jdk.incubator.vector")) {
        return true;
      }
      if (a.equals("--add-modules")
          && i + 1 < args.size()
          && args.get(i + 1).contains("jdk.incubator.vector")) {
        return true;
      }
    }
    return false;
  }
}
