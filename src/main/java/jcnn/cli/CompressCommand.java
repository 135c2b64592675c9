package jcnn.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import jcnn.compress.pipeline.CompressOptions;
import jcnn.compress.pipeline.CompressedModel;
import jcnn.compress.pipeline.CompressionPipeline;
import jcnn.compress.pipeline.CompressionResult;
import jcnn.compress.prune.IterativePruning;
import jcnn.report.CompressionSummary;
import jcnn.report.Published;
import jcnn.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jcnn compress}: prunes, retrains, shares weights, codes a trained model file into a {@code
 * .jcz} file, checks the file against the in-memory model bit for bit, and writes report.md with
 * its charts ({@code jcnn.compress.pipeline.CompressionPipeline}). Tested by {@code
 * CompressCommandTest}.
 */
@Command(
    name = "compress",
    mixinStandardHelpOptions = true,
    description =
        "Prune, retrain, share weights and code a trained model into model.jcz, with report.md"
            + " and charts, in --out.")
final class CompressCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model-file", required = true, description = "A .safetensors model file.")
  Path file;

  @Option(names = "--dataset", description = "Default: the one the model was trained on.")
  String dataset;

  @Option(
      names = "--prune",
      description = "Criterion: global (class-blind), uniform, layer or std (default: global).")
  String prune = "global";

  @Option(names = "--target", description = "One-shot: prune this fraction, e.g. 0.95.")
  Double target;

  @Option(
      names = "--max-drop",
      description = "The Tzelepis loop: stop when validation accuracy drops more, e.g. 0.005.")
  Double maxDrop;

  @Option(
      names = "--step",
      description =
          "Fraction step: of the loop (default 0.05), or with --target a ramp in steps"
              + " (default with --target: one-shot).")
  Double step;

  @Option(
      names = "--ramp",
      description =
          "How the rounds of a ramp or the loop are spaced: linear (even steps) or cubic (Zhu &"
              + " Gupta's gradual schedule: as many rounds, large steps first, small ones near the"
              + " end; default: ${DEFAULT-VALUE}).")
  String ramp = "linear";

  @Option(
      names = "--retrain-epochs",
      description =
          "Retraining epochs after pruning (per round of the loop) and of centroid"
              + " fine-tuning (default: ${DEFAULT-VALUE}).")
  int retrainEpochs = 3;

  @Option(
      names = "--finetune-epochs",
      description = "Centroid fine-tuning epochs (default: --retrain-epochs).")
  Integer finetuneEpochs;

  @Option(names = "--quantize", description = "none or kmeans (default: ${DEFAULT-VALUE}).")
  String quantize = "kmeans";

  @Option(
      names = "--clusters",
      description =
          "dynamic (Tzelepis Eq. 1), a count K, or C/F for conv/other layers, e.g. 256/32"
              + " (default: ${DEFAULT-VALUE}).")
  String clusters = "dynamic";

  @Option(
      names = "--share-biases",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Cluster and code the biases too (default: on).")
  boolean shareBiases;

  @Option(
      names = "--curve",
      description = "Pruning curve for the report: oneshot, retrain or none (default: oneshot).")
  String curve = "oneshot";

  @Option(names = "--lr", description = "Retraining learning rate (default: ${DEFAULT-VALUE}).")
  double lr = 0.01;

  @Option(
      names = "--finetune-lr",
      description = "Centroid fine-tuning learning rate (default: ${DEFAULT-VALUE}).")
  double finetuneLr = 0.001;

  @Option(names = "--batch", description = "Default: ${DEFAULT-VALUE}.")
  int batch = 64;

  @Option(names = "--seed", description = "Default: ${DEFAULT-VALUE}.")
  long seed = 1;

  @Mixin DeviceOptions dev = new DeviceOptions();
  @Mixin RunOptions run = new RunOptions();

  @Option(names = "--limit", description = "Retrain on only N training images (a smoke test).")
  int limit;

  @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("runs", "compressed");

  @Override
  public Integer call() throws Exception {
    CompressOptions o = options();
    if (dev.threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, got " + dev.threads);
    }
    if (Files.exists(file) && CompressedModel.isJcz(file)) {
      throw new IllegalArgumentException(
          file
              + " is a compressed .jcz file; compress takes a trained .safetensors model file"
              + " (eval reads .jcz files)");
    }
    dev.install();
    PrintWriter w = spec.commandLine().getOut();
    CompressionResult r = new CompressionPipeline(o, listener(w, run.quiet)).run(file, out);
    printSummary(w, r.summary());
    if (run.json) {
      Json.print(w, r.summary().toJson());
    }
    return 0;
  }

  CompressOptions options() {
    if (!quantize.equals("none") && !quantize.equals("kmeans")) {
      throw new IllegalArgumentException(
          "--quantize must be none or kmeans, got '" + quantize + "'");
    }
    CompressOptions o =
        new CompressOptions()
            .criterion(prune)
            .retrainEpochs(retrainEpochs)
            .quantize(quantize.equals("kmeans"))
            .clusters(clusters)
            .shareBiases(shareBiases)
            .curve(curve)
            .lr(lr)
            .finetuneLr(finetuneLr)
            .batch(batch)
            .seed(seed)
            .dataset(dataset)
            .dataDir(run.dataDir)
            .trainLimit(limit);
    if (target != null) {
      o.target(target);
    }
    if (maxDrop != null) {
      o.maxDrop(maxDrop);
    }
    if (step != null) {
      o.step(step);
    }
    o.ramp(IterativePruning.Ramp.byName(ramp));
    if (finetuneEpochs != null) {
      o.finetuneEpochs(finetuneEpochs);
    }
    return o.validate();
  }

  /** Log lines on stdout; retraining epochs as ProgressListener draws them. */
  static CompressionPipeline.Listener listener(PrintWriter w, boolean quiet) {
    ProgressListener progress = new ProgressListener(w, !quiet);
    return new CompressionPipeline.Listener() {
      @Override
      public void log(String line) {
        w.println(line);
        w.flush();
      }

      @Override
      public Trainer.Listener training() {
        return progress;
      }
    };
  }

  /** Our Table II and III row, and the published one beside it when there is one. */
  static void printSummary(PrintWriter w, CompressionSummary s) {
    boolean cifar = s.jpegDataset();
    String tag = cifar ? " (CIFAR-10, JPEG-decoded copy)" : "";
    CompressionSummary.Accuracies a = s.accuracy();
    w.printf(
        Locale.ROOT,
        "%-10s test accuracy initial %.4f -> pruned %.4f -> quantized %.4f (from the file %.4f)%s;"
            + " %.2f%% pruned; %,d -> %,d bytes on disk (%.1fx), Eq. 2 %,.0f bytes (%.1fx)%n",
        "ours:",
        a.initial().test(),
        a.pruned().test(),
        a.quantized().test(),
        a.fromFile().test(),
        tag,
        100 * s.pruning().fraction(),
        s.sizes().dense(),
        s.sizes().file(),
        s.sizes().fileRate(),
        s.sizes().eq2(),
        s.sizes().eq2Rate());
    Published p = s.published();
    if (p != null) {
      w.printf(
          Locale.ROOT,
          "%-10s accuracy initial %.4f -> pruned %s -> quantized %.4f; %.0f%% pruned; %,.0f -> %,.0f"
              + " bytes (%.1fx, %s) [%s]%n",
          "published:",
          p.initial(),
          Double.isNaN(p.pruned()) ? "-" : String.format(Locale.ROOT, "%.4f", p.pruned()),
          p.quantized(),
          p.prunedPercent(),
          p.bytesDense(),
          p.bytesCompressed(),
          p.rate(),
          p.sizeNote(),
          p.source());
    }
    if (cifar) {
      w.println(
          "(our CIFAR-10 copy is decoded from JPEG, quality 75: accuracies run slightly below"
              + " published CIFAR-10 figures)");
    }
    w.flush();
  }
}
