package jcnn.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code jcnn} entry point: the top command and its subcommands. The {@code ./jcnn} launcher at
 * the repository root builds the jar and runs this class; {@link #run} is what tests call, so
 * nothing here calls {@code System.exit} except {@link #main}.
 *
 * <p>Tested by {@code MainTest} (help of every command, exit codes, one-line errors).
 */
@Command(
    name = "jcnn",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = "A pure-Java convolutional-network framework with model compression built in.",
    subcommands = {
      DemoCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      PredictCommand.class,
      CompressCommand.class,
      AverageCommand.class,
      ReproduceCommand.class,
      InspectCommand.class,
      SummaryCommand.class,
      BenchCommand.class,
      SelfCheckCommand.class,
      InfoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {
  /** Exit code for bad usage or bad input: something the user can fix on the command line. */
  static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

  /** Exit code for a failed run: a check that did not pass, an I/O error, an internal error. */
  static final int EXIT_FAILURE = CommandLine.ExitCode.SOFTWARE;

  @Spec CommandSpec spec;

  // INHERIT makes --debug legal on every subcommand too: `jcnn bench conv --debug ...`.
  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "On error, print the full stack trace instead of one line.")
  boolean debug;

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err));
  }

  /** Runs the command line {@code args}, writing to {@code out} and {@code err}; the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    int code = commandLine(out, err).execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The configured command tree, with jcnn's one-line error handlers. */
  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(new Errors.BadUsage());
    cl.setExecutionExceptionHandler(new Errors.Failed());
    shareVersion(cl);
    BenchCommand.listShapes(cl.getSubcommands().get("bench").getSubcommands().get("conv"));
    return cl;
  }

  /** Gives every subcommand the top command's version, so {@code jcnn info -V} prints it too. */
  private static void shareVersion(CommandLine cl) {
    cl.getCommandSpec().versionProvider(new VersionInfo());
    for (CommandLine sub : cl.getSubcommands().values()) {
      shareVersion(sub);
    }
  }

  /** {@code jcnn} with no command: show what there is, and fail (a script did something wrong). */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EXIT_USAGE;
  }
}
