package jcnn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import jcnn.compress.quant.QuantSpec;
import jcnn.compress.quant.WeightMode;
import jcnn.data.Datasets;
import jcnn.models.Models;
import jcnn.train.ModelFile;
import jcnn.train.RunResult;
import jcnn.train.TrainConfig;
import jcnn.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jcnn train}: trains one of the named networks on a dataset and writes, under {@code
 * --out}, the last and best-on-validation model files, a resumable checkpoint and metrics.json.
 * Tested by {@code TrainCommandTest}.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train a network; writes model, best model, checkpoint and metrics.json to --out.")
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      description = "One of: ${COMPLETION-CANDIDATES}.",
      completionCandidates = ModelNames.class)
  String model;

  @Option(
      names = "--width",
      description =
          "Width multiplier alpha of a compact network (squeezenet, mobilenet1, mobilenet2, sepnet;"
              + " e.g. 0.25, 0.5, 0.75; default: ${DEFAULT-VALUE}): every layer's channels times"
              + " alpha. The model is then named e.g. mobilenet2-0.5x.")
  double width = 1.0;

  @Option(
      names = "--resolution",
      description =
          "Resolution multiplier rho of a compact network, in (0, 1] (default: ${DEFAULT-VALUE}):"
              + " the network's first layer resizes each image to rho times its side (32 -> 24 at"
              + " 0.75), cutting multiply-adds by about rho^2. The model is then named e.g."
              + " mobilenet2-r0.75, and every command that runs its file resizes the same way.")
  double resolution = 1.0;

  @Option(
      names = "--weights",
      description =
          "How the weights are represented in training: float (default), binary (BinaryConnect:"
              + " sign), binary-stochastic (+1 with probability hardSigmoid(w), seeded), ternary"
              + " (TWN: threshold 0.7 mean|w|, one scale per layer), ttq (trained ternary: two"
              + " learned scales per layer, threshold 0.05 max|w|) or pattern (SEP-Net: kxk"
              + " filters binary, 1x1 float). Binary and ternary layers train their real-valued"
              + " latent weights through a straight-through gradient; --init a float model file"
              + " to fine-tune it. The model is then named e.g. resnet20+ttq.")
  String weights = "float";

  @Option(
      names = "--activations",
      description =
          "float (default) or binary (BNN: every ReLU after a batch norm becomes sign(x) with"
              + " the hard-tanh gradient; the network's input and output stay real). Binary"
              + " activations need a plain network with a batch norm before every activation,"
              + " such as bnn-mlp and bnn-convnet.")
  String activations = "float";

  @Option(
      names = "--binary-scale",
      description =
          "channel (default: each output channel of a binary weight times its mean |w|, as"
              + " XNOR-Net) or none (plain +-1, as BinaryConnect and BNN; needs a batch norm"
              + " after the layer).")
  String binaryScale = "channel";

  @Option(
      names = "--dataset",
      description =
          "mnist, fashion-mnist or cifar10 (default: the model's usual one; with --init the one"
              + " that file was trained on).")
  String dataset;

  @Option(names = "--epochs", description = "Default: ${DEFAULT-VALUE}.")
  int epochs = 10;

  @Option(names = "--batch", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batch = 64;

  @Option(
      names = "--lr",
      description = "Initial learning rate (default: 0.05 for sgd, 0.001 for adam).")
  Double lr;

  @Option(
      names = "--optimizer",
      description =
          "sgd or adam (default: sgd; adam for binary and ternary weights, as BinaryConnect and"
              + " BNN train: a binary layer's gradient is scaled by its small weights, so SGD at"
              + " the float rate barely moves them, and a TTQ scale's gradient sums the whole"
              + " layer's, so SGD at that rate throws it off).")
  String optimizer;

  @Option(names = "--momentum", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
  double momentum = 0.9;

  @Option(names = "--weight-decay", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay = 5e-4;

  @Option(
      names = "--schedule",
      description = "constant, cosine or step (default: ${DEFAULT-VALUE}).")
  String schedule = "cosine";

  @Option(
      names = "--seed",
      description =
          "Seeds weights, data order, augmentation and dropout (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Mixin DeviceOptions dev = new DeviceOptions();
  @Mixin RunOptions run = new RunOptions();

  @Option(
      names = "--val",
      description = "Validation images carved from the training set (default: ${DEFAULT-VALUE}).")
  int val = 5000;

  @Option(
      names = "--augment",
      description = "Random crop and flip: on, off or auto (auto: on for cifar10).")
  String augment = "auto";

  @Option(
      names = "--checkpoint-every",
      description = "Also checkpoint every N batches (default: epoch ends only).")
  int checkpointEvery;

  @Option(names = "--limit", description = "Train on only N images (a smoke test; default: all).")
  int limit;

  @Option(
      names = "--resume",
      description = "Continue from the checkpoint in --out if there is one.")
  boolean resume;

  @Option(names = "--out", description = "Output folder (default: runs/<model>-<dataset>).")
  Path out;

  @Option(
      names = "--init",
      paramLabel = "FILE",
      description =
          "Start from the weights of this jcnn model file (the same model) instead of fresh"
              + " ones; optimizer and schedule start anew: fine-tuning, or a warm restart.")
  Path init;

  @Option(
      names = "--swa-epochs",
      paramLabel = "K",
      description =
          "Stochastic weight averaging over the last K of the --epochs: they run at the constant"
              + " --swa-lr (the schedule before them ends at it), the weights after each are"
              + " averaged, and the average, with batch-norm statistics recomputed on the training"
              + " split, is written to swa.safetensors (default: 0, none).")
  int swaEpochs;

  @Option(
      names = "--swa-lr",
      description = "The learning rate of the averaging epochs (needed with --swa-epochs).")
  Double swaLr;

  @Override
  public Integer call() throws Exception {
    TrainConfig cfg = config();
    dev.install();
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        Locale.ROOT,
        "training %s on %s: %d epochs, batch %d, %s lr %.4g %s, %d thread(s), seed %d -> %s%n",
        cfg.model(),
        cfg.dataset(),
        cfg.epochs(),
        cfg.batch(),
        cfg.optimizer(),
        cfg.lr(),
        cfg.schedule(),
        cfg.threads(),
        cfg.seed(),
        cfg.outDir());
    if (cfg.swaEpochs() > 0) {
      o.printf(
          Locale.ROOT,
          "weight averaging: the last %d epochs at lr %.4g, averaged into %s%n",
          cfg.swaEpochs(),
          cfg.swaLr(),
          Trainer.SWA);
    }
    if (cfg.initFrom() != null) {
      o.println("starting from the weights of " + cfg.initFrom());
    }
    o.flush();
    RunResult r = new Trainer(cfg, new ProgressListener(o, !run.quiet)).run(resume);
    printSummary(o, r);
    if (run.json) {
      Json.print(o, r.toJson());
    }
    return 0;
  }

  TrainConfig config() throws IOException {
    Models.Spec m = Models.spec(model);
    String name = Models.withQuantization(Models.variant(model, width, resolution), quantization());
    // a width that breaks a layer, or a resolution too small for the network, fails here, before
    // anything is written
    Models.checkInput(name, 10, false, m.height());
    String ds =
        init != null // the dataset of the weights we start from, unless told another that fits
            ? ModelFile.load(init).data().choose(dataset, Errors.warner(spec))
            : dataset == null ? m.dataset() : dataset;
    Datasets.info(ds);
    boolean aug = augmentFlag(augment, ds.equals("cifar10"));
    QuantSpec q = Models.quantization(name);
    String opt = optimizer != null ? optimizer : q.weights() != WeightMode.FLOAT ? "adam" : "sgd";
    double rate = lr != null ? lr : opt.equals("adam") ? 0.001 : 0.05;
    if (swaEpochs > 0 && swaLr == null) {
      throw new IllegalArgumentException(
          "--swa-epochs needs --swa-lr, the constant rate of the averaging epochs (Izmailov et"
              + " al. used a fifth to a half of the initial rate on CIFAR)");
    }
    Path dir = out != null ? out : Path.of("runs", name + "-" + ds);
    return new TrainConfig(
        name,
        ds,
        epochs,
        batch,
        rate,
        opt,
        momentum,
        weightDecay,
        schedule,
        seed,
        dev.threads,
        val,
        aug,
        checkpointEvery,
        limit,
        run.dataDir == null ? null : run.dataDir.toString(),
        dir.toString(),
        init == null ? null : init.toString(),
        swaEpochs,
        swaLr == null ? 0 : swaLr);
  }

  /** The spec of --weights, --activations and --binary-scale. */
  private QuantSpec quantization() {
    WeightMode mode = WeightMode.parse(weights);
    boolean binaryActs =
        switch (activations) {
          case "float" -> false;
          case "binary" -> true;
          default ->
              throw new IllegalArgumentException(
                  "--activations must be float or binary, got '" + activations + "'");
        };
    boolean scaled =
        switch (binaryScale) {
          case "channel" -> true;
          case "none" -> false;
          default ->
              throw new IllegalArgumentException(
                  "--binary-scale must be channel or none, got '" + binaryScale + "'");
        };
    return new QuantSpec(mode, scaled, binaryActs);
  }

  /** The value of an {@code --augment on|off|auto} flag, {@code auto} standing for autoValue. */
  static boolean augmentFlag(String value, boolean autoValue) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      case "auto" -> autoValue;
      default ->
          throw new IllegalArgumentException("--augment must be on, off or auto, got " + value);
    };
  }

  static void printSummary(PrintWriter o, RunResult r) {
    o.printf(
        Locale.ROOT,
        "%s on %s: test accuracy %.2f%% (best on validation, epoch %d; last epoch %.2f%%), "
            + "%d parameters, %.0f img/s, %.1f s of training%n",
        r.config().model(),
        r.config().dataset(),
        100 * r.testAccuracy(),
        r.bestEpoch(),
        100 * r.lastTestAccuracy(),
        r.params(),
        r.imagesPerSecond(),
        r.trainSeconds());
    if (r.config().swaEpochs() > 0) {
      o.printf(
          Locale.ROOT,
          "weight average of the last %d epochs (%s): validation %s, test %.2f%%%n",
          r.config().swaEpochs(),
          Trainer.SWA,
          Double.isFinite(r.swaValAccuracy())
              ? String.format(Locale.ROOT, "%.2f%%", 100 * r.swaValAccuracy())
              : "-",
          100 * r.swaTestAccuracy());
    }
    if (r.config().dataset().equals("cifar10")) {
      o.println(
          "(our CIFAR-10 copy is decoded from JPEG, quality 75: accuracies run slightly below"
              + " published CIFAR-10 figures)");
    }
    o.println("files: " + Path.of(r.config().outDir()).toAbsolutePath());
    o.flush();
  }

  /** The model names, for picocli's help. */
  static final class ModelNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Models.names().iterator();
    }
  }
}
