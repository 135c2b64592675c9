package jcnn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import jcnn.backend.DeviceException;
import jcnn.compress.codec.CorruptStreamException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How errors reach the user: one line {@code jcnn: error: <message>} on stderr and an exit code,
 * never a stack trace (STYLE.md rule 11) unless {@code --debug} asked for one.
 *
 * <p>Exit codes: 2 for bad usage or bad input (picocli parameter errors and {@link
 * IllegalArgumentException}, which every jcnn op throws for wrong shapes), 1 for everything else.
 * Tested by {@code MainTest}.
 */
final class Errors {
  private Errors() {}

  /** Bad options or arguments: one line and a pointer to the command's help. */
  static final class BadUsage implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
      CommandLine cl = ex.getCommandLine();
      String help = cl.getCommandSpec().qualifiedName() + " --help";
      print(cl.getErr(), oneLine(ex.getMessage()) + " (see '" + help + "')");
      return Main.EXIT_USAGE;
    }
  }

  /** An exception thrown while a command ran. */
  static final class Failed implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
      PrintWriter err = cl.getErr();
      if (debugRequested(parsed)) {
        ex.printStackTrace(err);
      }
      print(err, message(ex));
      return exitCode(ex);
    }
  }

  /**
   * The exit code for an exception thrown by a command: bad arguments and damaged input files (a
   * .jcz that does not decode) are the user's to fix, exit 2; anything else failed the run.
   */
  static int exitCode(Throwable ex) {
    return ex instanceof IllegalArgumentException || ex instanceof CorruptStreamException
        ? Main.EXIT_USAGE
        : Main.EXIT_FAILURE;
  }

  /**
   * The one-line message for {@code ex}. Errors the user can act on (bad input, I/O) show their own
   * message; anything else is a bug in jcnn and says so, naming the exception class.
   */
  static String message(Throwable ex) {
    String msg = ex.getMessage() == null ? "" : oneLine(ex.getMessage());
    if (ex instanceof IllegalArgumentException
        || ex instanceof IOException
        || ex instanceof DeviceException
        || ex instanceof UncheckedIOException) {
      return msg.isEmpty() ? ex.getClass().getSimpleName() : msg;
    }
    return "internal error: "
        + ex.getClass().getSimpleName()
        + (msg.isEmpty() ? "" : ": " + msg)
        + " (run with --debug for the stack trace)";
  }

  private static boolean debugRequested(ParseResult parsed) {
    for (ParseResult pr = parsed; pr != null; pr = pr.subcommand()) {
      if (pr.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where a command's warnings go: one line {@code jcnn: warning: <message>} each on stderr, so
   * that stdout (and its last-line JSON) stays the result.
   */
  static Consumer<String> warner(CommandSpec spec) {
    return msg -> {
      PrintWriter err = spec.commandLine().getErr();
      err.println("jcnn: warning: " + oneLine(msg));
      err.flush();
    };
  }

  /** Collapses a multi-line message (JMH writes some) into one line. */
  static String oneLine(String s) {
    return s.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  private static void print(PrintWriter err, String message) {
    err.println("jcnn: error: " + message);
    err.flush();
  }
}
