package jcnn.compress.pipeline;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jcnn.compress.prune.IterativePruning.Ramp;

/**
 * The settings of one compression run ({@link CompressionPipeline}), set fluently and checked by
 * {@link #validate} with messages that name the command-line flags, since that is where they come
 * from. Three schedules: a {@link #target} alone is one-shot pruning then retraining; a target with
 * a {@link #step} ramps to it in steps, retraining after each (Han et al.'s iterative pruning, no
 * stopping rule; {@link #ramp} cubic spaces the same number of rounds along Zhu & Gupta's cubic,
 * large steps first); {@link #maxDrop} (with a step, default 0.05) is the Tzelepis loop, which
 * stops and rolls back when validation accuracy falls too far. A target and a max drop together are
 * refused. Tested in {@code CompressionPipelineTest} and {@code CompressCommandTest}.
 */
public final class CompressOptions {
  /** The pruning criteria by their command-line names. */
  public static final List<String> CRITERIA = List.of("global", "uniform", "layer", "std");

  /** How the pruning curve of the report is made. */
  public static final List<String> CURVES = List.of("oneshot", "retrain", "none");

  String criterion = "global";
  double target = Double.NaN;
  double maxDrop = Double.NaN;
  double step = Double.NaN; // NaN: 0.05 for the loop, one-shot for a target
  Ramp ramp = Ramp.LINEAR;
  int retrainEpochs = 3;
  int finetuneEpochs = -1; // -1: the same as retrainEpochs
  boolean quantize = true;
  String clusters = "dynamic";
  boolean shareBiases = true;
  double lr = 0.01;
  double finetuneLr = 0.001;
  double weightDecay = Double.NaN; // NaN: the training run's
  int batch = 64;
  long seed = 1;
  String dataset; // null: the model's own
  Path dataDir;
  int trainLimit;
  String curve = "oneshot";
  Map<String, Double> layerFractions; // null: from a sensitivity scan

  /** global, uniform, layer or std ({@link #CRITERIA}). */
  public CompressOptions criterion(String c) {
    this.criterion = c;
    return this;
  }

  /** One-shot pruning to this fraction of the conv and linear weights, then retraining. */
  public CompressOptions target(double t) {
    this.target = t;
    return this;
  }

  /** The Tzelepis loop: stop when validation accuracy falls more than this below the start. */
  public CompressOptions maxDrop(double d) {
    this.maxDrop = d;
    return this;
  }

  /** The increase of the pruned fraction per round: of the loop (default 0.05) or of a ramp. */
  public CompressOptions step(double s) {
    this.step = s;
    return this;
  }

  /** How the rounds of a ramp or the loop are spaced: even steps, or the cubic (fewer late). */
  public CompressOptions ramp(Ramp r) {
    this.ramp = r;
    return this;
  }

  /** Epochs of masked retraining after one-shot pruning, or per round of the loop. */
  public CompressOptions retrainEpochs(int e) {
    this.retrainEpochs = e;
    return this;
  }

  /** Epochs of centroid fine-tuning after weight sharing (default: the retrain epochs). */
  public CompressOptions finetuneEpochs(int e) {
    this.finetuneEpochs = e;
    return this;
  }

  /** k-means weight sharing (true) or none. */
  public CompressOptions quantize(boolean on) {
    this.quantize = on;
    return this;
  }

  /** "dynamic" (Tzelepis Eq. 1), a count K, or "C/F" (C for conv layers, F for the others). */
  public CompressOptions clusters(String spec) {
    this.clusters = spec;
    return this;
  }

  /** Also share (cluster and code) the conv and linear biases; default on. */
  public CompressOptions shareBiases(boolean on) {
    this.shareBiases = on;
    return this;
  }

  /** Learning rate of masked retraining (cosine to 0 in each call). */
  public CompressOptions lr(double v) {
    this.lr = v;
    return this;
  }

  /** Learning rate of centroid fine-tuning: centroid gradients are sums over whole clusters. */
  public CompressOptions finetuneLr(double v) {
    this.finetuneLr = v;
    return this;
  }

  /** Weight decay of masked retraining (default: the training run's, else 5e-4). */
  public CompressOptions weightDecay(double v) {
    this.weightDecay = v;
    return this;
  }

  public CompressOptions batch(int b) {
    this.batch = b;
    return this;
  }

  public CompressOptions seed(long s) {
    this.seed = s;
    return this;
  }

  /** The dataset to use (default: the one the model was trained on). */
  public CompressOptions dataset(String d) {
    this.dataset = d;
    return this;
  }

  public CompressOptions dataDir(Path d) {
    this.dataDir = d;
    return this;
  }

  /** Retrain on only the first N images of the training split (0: all); for smoke tests. */
  public CompressOptions trainLimit(int n) {
    this.trainLimit = n;
    return this;
  }

  /** oneshot, retrain (one epoch per point) or none ({@link #CURVES}). */
  public CompressOptions curve(String c) {
    this.curve = c;
    return this;
  }

  /**
   * For the layer criterion: each layer's fraction pruned at a network-wide fraction equal to their
   * weighted mean (e.g. Han et al.'s published per-layer rates), instead of a sensitivity scan.
   */
  public CompressOptions layerFractions(Map<String, Double> f) {
    this.layerFractions = f == null ? null : new LinkedHashMap<>(f);
    return this;
  }

  /** An independent copy (recipes hand out copies of their settings). */
  public CompressOptions copy() {
    CompressOptions c = new CompressOptions();
    c.criterion = criterion;
    c.target = target;
    c.maxDrop = maxDrop;
    c.step = step;
    c.ramp = ramp;
    c.retrainEpochs = retrainEpochs;
    c.finetuneEpochs = finetuneEpochs;
    c.quantize = quantize;
    c.clusters = clusters;
    c.shareBiases = shareBiases;
    c.lr = lr;
    c.finetuneLr = finetuneLr;
    c.weightDecay = weightDecay;
    c.batch = batch;
    c.seed = seed;
    c.dataset = dataset;
    c.dataDir = dataDir;
    c.trainLimit = trainLimit;
    c.curve = curve;
    c.layerFractions = layerFractions == null ? null : new LinkedHashMap<>(layerFractions);
    return c;
  }

  /** The Tzelepis loop (a max drop was given). */
  public boolean iterative() {
    return !Double.isNaN(maxDrop);
  }

  /** A ramp to the target in steps (a target and a step were given). */
  public boolean ramp() {
    return !Double.isNaN(target) && !Double.isNaN(step);
  }

  /** The step of the loop or the ramp. */
  double stepOrDefault() {
    return Double.isNaN(step) ? 0.05 : step;
  }

  int finetuneEpochs() {
    return finetuneEpochs < 0 ? retrainEpochs : finetuneEpochs;
  }

  /** Throws IllegalArgumentException naming the flag of the first bad setting. */
  public CompressOptions validate() {
    require(
        CRITERIA.contains(criterion),
        "--prune must be one of " + CRITERIA + ", got '" + criterion + "'");
    require(CURVES.contains(curve), "--curve must be one of " + CURVES + ", got '" + curve + "'");
    boolean hasTarget = !Double.isNaN(target);
    require(
        !(hasTarget && iterative()),
        "give either --target (one-shot) or --max-drop (the Tzelepis loop), not both");
    require(hasTarget || iterative(), "give --target X (one-shot) or --max-drop D (the loop)");
    require(!hasTarget || (target >= 0 && target < 1), "--target must be in [0, 1), got " + target);
    require(
        !iterative() || (maxDrop >= 0 && maxDrop <= 1),
        "--max-drop must be in [0, 1], got " + maxDrop);
    require(Double.isNaN(step) || (step > 0 && step <= 1), "--step must be in (0, 1], got " + step);
    require(ramp != null, "--ramp must be linear or cubic");
    require(
        ramp == Ramp.LINEAR || iterative() || ramp(),
        "--ramp cubic spaces the rounds of a ramp: give --step too (it sets how many rounds)");
    require(retrainEpochs >= 0, "--retrain-epochs must be >= 0, got " + retrainEpochs);
    require(lr > 0 && finetuneLr > 0, "--lr must be > 0, got " + lr);
    require(
        Double.isNaN(weightDecay) || weightDecay >= 0,
        "weight decay must be >= 0, got " + weightDecay);
    require(batch >= 1, "--batch must be >= 1, got " + batch);
    require(trainLimit >= 0, "--limit must be >= 0, got " + trainLimit);
    Clusters.parse(clusters); // throws with its own message
    return this;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  private String rounds() {
    String steps = String.format(Locale.ROOT, "steps of %.3f", stepOrDefault());
    return ramp == Ramp.LINEAR ? steps : "cubic ramp, as many rounds as " + steps;
  }

  /** The settings as printable pairs, for the report, with the weight decay retraining used. */
  Map<String, String> describe(double retrainWeightDecay) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(
        "pruning criterion",
        criterion + (layerFractions != null ? " (given per-layer rates)" : ""));
    if (iterative()) {
      m.put(
          "schedule",
          String.format(
              Locale.ROOT,
              "Tzelepis loop: %s, max drop %.4f (validation), rollback",
              rounds(),
              maxDrop));
    } else if (ramp()) {
      m.put("schedule", String.format(Locale.ROOT, "iterative: %s up to %.4f", rounds(), target));
    } else {
      m.put("schedule", String.format(Locale.ROOT, "one-shot to %.4f", target));
    }
    m.put(
        "retrain epochs",
        iterative() || ramp() ? retrainEpochs + " per round" : Integer.toString(retrainEpochs));
    m.put(
        "retrain optimizer",
        String.format(
            Locale.ROOT,
            "SGD momentum 0.9, lr %.4g cosine, weight decay %.4g, batch %d, best epoch on validation kept",
            lr,
            retrainWeightDecay,
            batch));
    m.put(
        "quantization",
        quantize
            ? "k-means, clusters " + clusters + (shareBiases ? ", biases shared too" : "")
            : "none (non-zeros stored exactly)");
    if (quantize) {
      m.put(
          "centroid fine-tuning",
          String.format(
              Locale.ROOT,
              "%d epochs, SGD momentum 0.9, lr %.4g cosine, no weight decay",
              finetuneEpochs(),
              finetuneLr));
    }
    m.put("seed", Long.toString(seed));
    if (trainLimit > 0) {
      m.put("training slice", trainLimit + " images (smoke run)");
    }
    return m;
  }
}
