package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs the command line in-process for tests, capturing stdout, stderr and the exit code. */
final class Cli {
  record Run(int exitCode, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
    }

    /** The last line of stdout: the JSON object under {@code --json}. */
    String lastOutLine() {
      String[] lines = out.strip().split("\\R");
      return lines[lines.length - 1];
    }
  }

  private Cli() {}

  /** A failed run: non-zero exit, one line on stderr, {@code jcnn: error: ...} containing part. */
  static void assertOneLineError(Run r, String part) {
    assertNotEquals(0, r.exitCode());
    assertEquals(1, r.errLines().size(), r.err());
    String line = r.errLines().get(0);
    assertTrue(line.startsWith("jcnn: error: ") && line.contains(part), line);
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }
}
