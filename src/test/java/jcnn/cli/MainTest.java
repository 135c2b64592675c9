package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jcnn.bench.ConvShapes;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command-line contract: every command answers --help, errors are one line {@code jcnn: error:
 * ...} with exit code 2 for bad input, and no command runs a benchmark when its arguments are
 * wrong. Runs {@link Main#run} in-process; nothing here starts JMH.
 */
class MainTest {
  /** Every command path under {@code jcnn}, e.g. [bench, conv]. */
  private static List<List<String>> commandPaths(CommandLine cl, List<String> prefix) {
    List<List<String>> paths = new ArrayList<>();
    paths.add(prefix);
    for (var e : cl.getSubcommands().entrySet()) {
      List<String> p = new ArrayList<>(prefix);
      p.add(e.getKey());
      paths.addAll(commandPaths(e.getValue(), p));
    }
    return paths;
  }

  @Test
  void everyCommandAnswersHelp() {
    CommandLine root =
        Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    List<List<String>> paths = commandPaths(root, List.of());
    for (List<String> want :
        List.of(
            List.of("bench", "sgemm"),
            List.of("bench", "conv"),
            List.of("selfcheck"),
            List.of("demo"),
            List.of("train"),
            List.of("eval"),
            List.of("inspect"),
            List.of("summary"))) {
      assertTrue(paths.contains(want), "missing command " + want + " in " + paths);
    }
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      // picocli reports a help text it cannot format (a bare '%') on System.err, not on our writer.
      PrintStream stderr = System.err;
      ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
      Cli.Run r;
      try {
        System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
        r = Cli.run(args.toArray(new String[0]));
      } finally {
        System.setErr(stderr);
      }
      assertEquals("", picocliWarnings.toString(StandardCharsets.UTF_8), "help text of " + args);
      assertEquals(0, r.exitCode(), "exit code of " + args + "\n" + r.err());
      String usage = "Usage: " + String.join(" ", prefixWithJcnn(path));
      assertTrue(r.out().contains(usage), args + " printed:\n" + r.out());
      assertEquals("", r.err(), "stderr of " + args);
    }
  }

  private static List<String> prefixWithJcnn(List<String> path) {
    List<String> p = new ArrayList<>(List.of("jcnn"));
    p.addAll(path);
    return p;
  }

  @Test
  void unknownShapeIsOneLineListingTheKnownShapes() {
    Cli.Run r = Cli.run("bench", "conv", "--shape", "lenet5.conv9", "--threads", "1");
    assertEquals(2, r.exitCode());
    assertEquals(1, r.errLines().size(), r.err());
    String line = r.errLines().get(0);
    assertTrue(line.startsWith("jcnn: error: unknown conv shape 'lenet5.conv9'"), line);
    assertTrue(line.contains("lenet5.conv1") && line.contains("resnet20.stage1"), line);
    assertEquals("", r.out());
  }

  @Test
  void convHelpListsEveryShape() {
    String help = Cli.run("bench", "conv", "--help").out();
    for (ConvShapes.ConvShape s : ConvShapes.all()) {
      assertTrue(help.contains("  " + s.name() + " "), s.name() + " missing from:\n" + help);
    }
    assertTrue(help.contains("[64, 20, 12, 12] * [50, 20, 5, 5], stride 1, pad 0"), help);
  }

  @Test
  void badOptionValuesFailBeforeAnyBenchmarkRuns() {
    String[][] cases = {
      {"bench", "sgemm", "--threads", "0"},
      {"bench", "sgemm", "--size", "0"},
      {"bench", "sgemm", "--iterations", "0"},
      {"bench", "conv", "--time", "-1"},
      {"bench", "sgemm", "--threads", "two"},
      {"bench", "sgemm", "--no-such-option"},
      {"selfcheck", "--threads", "0"},
      {"no-such-command"},
    };
    for (String[] args : cases) {
      Cli.Run r = Cli.run(args);
      String what = String.join(" ", args);
      assertEquals(2, r.exitCode(), what + ": " + r.err());
      assertEquals(1, r.errLines().size(), what + " printed:\n" + r.err());
      assertTrue(r.err().startsWith("jcnn: error: "), what + ": " + r.err());
    }
  }

  @Test
  void debugPrintsTheStackTraceBeforeTheOneLine() {
    Cli.Run r = Cli.run("selfcheck", "--threads", "0", "--debug");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("at jcnn.cli.SelfCheckCommand.call"), r.err());
    List<String> lines = r.errLines();
    assertEquals("jcnn: error: --threads must be at least 1, got 0", lines.get(lines.size() - 1));
  }

  @Test
  void noCommandShowsUsageAndFails() {
    Cli.Run r = Cli.run();
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("Usage: jcnn"), r.err());
    assertTrue(r.err().contains("bench") && r.err().contains("demo"), r.err());
  }

  @Test
  void versionNamesJcnnAndJava() {
    for (String[] args : new String[][] {{"--version"}, {"info", "--version"}}) {
      Cli.Run r = Cli.run(args);
      assertEquals(0, r.exitCode());
      assertTrue(r.out().startsWith("jcnn "), r.out());
      assertTrue(r.out().contains("Java " + System.getProperty("java.version")), r.out());
    }
  }

  @Test
  void internalErrorsSayHowToSeeMore() {
    String m = Errors.message(new NullPointerException("x was null"));
    assertEquals(
        "internal error: NullPointerException: x was null (run with --debug for the stack trace)",
        m);
    assertEquals("no such file: a.bin", Errors.message(new IOException("no such file: a.bin")));
    assertEquals(1, Errors.exitCode(new IOException("x")));
    assertEquals(2, Errors.exitCode(new IllegalArgumentException("x")));
    assertEquals("a b c", Errors.oneLine("a\n  b\r\nc\n"));
  }
}
