package jcnn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import jcnn.backend.Backends;
import jcnn.train.RunResult;
import jcnn.train.TrainConfig;
import jcnn.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jcnn demo}, the README's first command: trains LeNet-5 on the MNIST shipped in {@code
 * datasets/} and prints a summary. Needs no network and nothing but the repository.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Train LeNet-5 on the shipped MNIST and print a summary (a few minutes).")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--epochs", description = "Default: ${DEFAULT-VALUE}.")
  int epochs = 4;

  @Option(
      names = "--threads",
      description = "CPU threads (default: ${DEFAULT-VALUE}, all processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("runs", "demo");

  @Option(
      names = "--data-dir",
      description = "Folder holding mnist/ (default: the shipped datasets/).")
  Path dataDir;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    TrainConfig cfg =
        new TrainConfig(
            "lenet5",
            "mnist",
            epochs,
            64,
            0.05,
            "sgd",
            0.9,
            5e-4,
            "cosine",
            1,
            threads,
            5000,
            false,
            0,
            0,
            dataDir == null ? null : dataDir.toString(),
            out.toString());
    Backends.use(Backends.cpu(cfg.threads()));
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        Locale.ROOT,
        "jcnn demo: LeNet-5 (431,080 parameters) on MNIST, %d epochs of 55,000 images (5,000 held"
            + " out for validation), SGD with momentum, cosine schedule, %d thread(s)%n",
        epochs,
        threads);
    o.flush();
    RunResult r = new Trainer(cfg, new ProgressListener(o, !quiet)).run(false);
    TrainCommand.printSummary(o, r);
    o.printf("next: ./jcnn eval --model-file %s%n", out.resolve("best.safetensors"));
    if (json) {
      Json.print(o, r.toJson());
    }
    return 0;
  }
}
