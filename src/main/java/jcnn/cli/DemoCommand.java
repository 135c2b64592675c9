package jcnn.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import jcnn.compress.pipeline.CompressOptions;
import jcnn.compress.pipeline.CompressionPipeline;
import jcnn.compress.pipeline.CompressionResult;
import jcnn.report.Published;
import jcnn.train.RunResult;
import jcnn.train.TrainConfig;
import jcnn.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jcnn demo}, the README's first command: trains LeNet-5 on the MNIST shipped in {@code
 * datasets/}, prunes it class-blind to 95%, retrains, shares its weights by k-means (Tzelepis Eq.
 * 1), fine-tunes the centroids, codes it into {@code model.jcz}, evaluates the network decoded from
 * that file, and writes report.md with its charts, all under {@code --out}. Needs no network and
 * nothing but the repository; about four minutes on two cores. Tested by {@code DemoCommandTest}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Train LeNet-5 on the shipped MNIST, prune, share, code it into model.jcz, evaluate it"
            + " from the file and write report.md (a few minutes).")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--epochs", description = "Training epochs (default: ${DEFAULT-VALUE}).")
  int epochs = 3;

  @Option(
      names = "--retrain-epochs",
      description = "Retraining and fine-tuning epochs (default: ${DEFAULT-VALUE}).")
  int retrainEpochs = 1;

  @Option(names = "--target", description = "Fraction of weights pruned (default: 0.95).")
  double target = 0.95;

  @Mixin DeviceOptions dev = new DeviceOptions();
  @Mixin RunOptions run = new RunOptions();

  @Option(names = "--limit", description = "Train on only N images (a smoke run).")
  int limit;

  @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("runs", "demo");

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
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
            dev.threads,
            5000,
            false,
            0,
            limit,
            run.dataDir == null ? null : run.dataDir.toString(),
            out.toString(),
            null,
            0,
            0);
    CompressOptions opts =
        new CompressOptions()
            .criterion("global")
            .target(target)
            .retrainEpochs(retrainEpochs)
            .clusters("dynamic")
            .dataDir(run.dataDir)
            .trainLimit(limit)
            .validate();
    dev.install();
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        Locale.ROOT,
        "jcnn demo: LeNet-5 (431,080 parameters) on MNIST, %d epochs of 55,000 images (5,000 held"
            + " out for validation), SGD with momentum, cosine schedule, %d thread(s); then"
            + " class-blind pruning to %.0f%%, %d retraining epoch(s), k-means sharing (Tzelepis"
            + " Eq. 1), centroid fine-tuning, Huffman-coded .jcz%n",
        epochs,
        dev.threads,
        100 * target,
        retrainEpochs);
    o.flush();
    RunResult r = new Trainer(cfg, new ProgressListener(o, !run.quiet)).run(false);
    TrainCommand.printSummary(o, r);
    CompressionResult c =
        new CompressionPipeline(opts, CompressCommand.listener(o, run.quiet))
            .published(Published.TZELEPIS_MNIST)
            .run(out.resolve("best.safetensors"), out);
    CompressCommand.printSummary(o, c.summary());
    double seconds = (System.nanoTime() - t0) / 1e9;
    o.printf(Locale.ROOT, "demo done in %.1f s; files: %s%n", seconds, out.toAbsolutePath());
    o.printf("next: ./jcnn eval --model-file %s%n", c.jczFile());
    if (run.json) {
      JsonObject j = c.summary().toJson();
      j.add("train", r.toJson());
      j.addProperty("jcz", c.jczFile().toString());
      j.addProperty("report", c.report().report().toString());
      j.addProperty("total_seconds", seconds);
      Json.print(o, j);
    }
    return 0;
  }
}
