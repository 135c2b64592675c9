package jcnn.compress.pipeline;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import jcnn.compress.codec.JczWriter;
import jcnn.compress.codec.SizeReport;
import jcnn.compress.prune.Curve;
import jcnn.compress.prune.IterativePruning;
import jcnn.compress.prune.OneShot;
import jcnn.compress.prune.PruneCriterion;
import jcnn.compress.prune.Pruning;
import jcnn.compress.prune.PruningCurve;
import jcnn.compress.prune.SensitivityScan;
import jcnn.compress.prune.Validator;
import jcnn.compress.quant.Quantization;
import jcnn.compress.share.KMeans1D;
import jcnn.compress.share.SharedWeight;
import jcnn.compress.share.WeightSharing;
import jcnn.data.Dataset;
import jcnn.nn.Module;
import jcnn.report.CompressionSummary.Accuracy;
import jcnn.train.Evaluator;
import jcnn.train.Finetune;
import jcnn.train.ModelFile;

/**
 * The stages of one {@link CompressionPipeline} run, in call order: {@link #measureInitial}, {@link
 * #curves}, {@link #prune}, {@link #quantize}, {@link #encodeAndCheck}. It holds what each stage
 * leaves for the report (accuracies, curves, rounds, weights per stage), which {@link Summaries}
 * reads. Tested through {@code CompressionPipelineTest}.
 */
final class PipelineRun {
  /** The pruning curve's target fractions (Tzelepis et al. plot up to 90%). */
  static final double[] CURVE_FRACTIONS = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95};

  /** Sensitivity-scan fractions for the layer criterion. */
  static final double[] SCAN_FRACTIONS = {0.3, 0.5, 0.7, 0.8, 0.9, 0.95};

  /** The layer criterion's tolerance on one layer's one-shot accuracy drop. */
  static final double SCAN_TOLERANCE = 0.01;

  /** Images of the validation split the sensitivity scan uses (the first ones). */
  static final int SCAN_IMAGES = 2000;

  final CompressOptions opts;
  final CompressionPipeline.Listener listener;
  final ModelFile.Loaded src;
  final Module model;
  final PipelineData data;
  final Validator validator;
  final double weightDecay; // of masked retraining
  final Finetune retrain;
  Accuracy initial;
  Accuracy pruned;
  Accuracy quantized;
  Accuracy fromFile;
  Module decoded;
  List<Curve> curves = List.of();
  String curveNote = "No pruning curve was asked for (--curve none).";
  List<IterativePruning.Round> rounds = List.of();
  final Map<String, float[]> before = new LinkedHashMap<>();
  final Map<String, float[]> afterPruning = new LinkedHashMap<>();
  final Map<String, float[]> afterSharing = new LinkedHashMap<>();
  final Map<String, float[]> centroids = new LinkedHashMap<>();

  PipelineRun(
      CompressOptions opts,
      CompressionPipeline.Listener listener,
      ModelFile.Loaded src,
      PipelineData data) {
    this.opts = opts;
    this.listener = listener;
    this.src = src;
    this.model = src.model();
    this.data = data;
    this.validator = m -> Evaluator.evaluate(m, data.val(), 256).accuracy();
    this.weightDecay = Double.isNaN(opts.weightDecay) ? data.weightDecay() : opts.weightDecay;
    this.retrain = finetune(opts.lr, weightDecay, opts.seed, true);
  }

  /**
   * SGD with momentum 0.9, cosine lr, on the training split, validating on the validation split.
   */
  private Finetune finetune(double lr, double wd, long seed, boolean keepBest) {
    return new Finetune(
            data.train(),
            data.val(),
            new Finetune.Settings(opts.batch, lr, 0.9, wd, seed, data.augment(), keepBest))
        .listener(listener.training());
  }

  void log(String fmt, Object... args) {
    listener.log(String.format(Locale.ROOT, fmt, args));
  }

  Accuracy measure(Module m) {
    return new Accuracy(
        Evaluator.evaluate(m, data.val(), 256).accuracy(),
        Evaluator.evaluate(m, data.test(), 256).accuracy());
  }

  void measureInitial() {
    initial = measure(model);
    log("initial: validation %.4f, test %.4f", initial.val(), initial.test());
    copyWeights(before);
  }

  /** The report's pruning curves (global against uniform) on the trained model; it is restored. */
  void curves() {
    if (opts.curve.equals("none")) {
      return;
    }
    PruneCriterion[] both = {PruneCriterion.global(), PruneCriterion.uniform()};
    if (opts.curve.equals("oneshot")) {
      curves = PruningCurve.oneShot(model, CURVE_FRACTIONS, validator, both);
      curveNote =
          "The curves are one-shot: each point prunes the trained model to the fraction and"
              + " measures validation accuracy without retraining, so they show what each"
              + " criterion alone does (Tzelepis et al. plot retrained rounds).";
    } else {
      Finetune f = finetune(opts.lr, weightDecay, opts.seed + 1, false);
      double[] fractions = Arrays.copyOfRange(CURVE_FRACTIONS, 1, CURVE_FRACTIONS.length);
      curves =
          PruningCurve.withRetraining(
              model, fractions, validator, (m, e) -> f.run(m, m.parameters(), e), 1, both);
      curveNote =
          "The curves are iterative with short retraining: each point prunes further from the"
              + " previous one and retrains one epoch with the masks before measuring validation"
              + " accuracy, as in Tzelepis et al., Figs. 3-7.";
    }
    curveNote +=
        " Both are on the validation split. Uniform prunes the same fraction in every layer, the"
            + " layer-wise baseline of Tzelepis et al.";
    if (opts.iterative() || opts.ramp()) {
      curveNote += " The diamonds are the rounds of this run's iterative pruning, each retrained.";
    }
    for (Curve c : curves) {
      log("curve %s", c);
    }
  }

  /** One-shot to the target and retrain, a ramp, or the Tzelepis loop; then measure and bake. */
  void prune() {
    if (Pruning.prunableParameters(model).isEmpty()) { // every conv and linear weight is low-bit
      log("pruning: nothing to prune (every conv and linear weight is binary or ternary)");
      pruned = initial;
      copyWeights(afterPruning);
      return;
    }
    PruneCriterion criterion = criterion();
    if (opts.iterative() || opts.ramp()) {
      IterativePruning loop =
          new IterativePruning((m, e) -> retrain.run(m, m.parameters(), e), validator)
              .criterion(criterion)
              .step(opts.stepOrDefault())
              .ramp(opts.ramp)
              .retrainEpochs(opts.retrainEpochs)
              .listener(this::logRound);
      if (opts.ramp()) {
        loop.maxFraction(opts.target).maxDrop(1); // accuracy is in [0, 1]: no round is refused
      } else {
        loop.maxDrop(opts.maxDrop);
      }
      IterativePruning.Result r = loop.run(model);
      rounds = r.history();
      log("kept round %d: %.4f pruned", r.chosen(), r.sparsity().global());
    } else {
      double s = OneShot.prune(model, criterion, opts.target).global();
      log(
          "pruned one-shot to %.4f (%s); retraining %d epochs",
          s, criterion.name(), opts.retrainEpochs);
      retrain.run(model, model.parameters(), opts.retrainEpochs);
    }
    pruned = measure(model);
    log("pruned: validation %.4f, test %.4f", pruned.val(), pruned.test());
    Pruning.bake(model);
    copyWeights(afterPruning);
  }

  private void logRound(IterativePruning.Round x) {
    log(
        "round %d: target %.3f, pruned %.4f, validation %.4f%s",
        x.index(),
        x.target(),
        x.sparsity(),
        x.accuracy(),
        x.accepted() ? "" : " (beyond --max-drop: rolled back)");
  }

  private PruneCriterion criterion() {
    if (!opts.criterion.equals("layer")) {
      return PruneCriterion.byName(opts.criterion);
    }
    if (opts.layerFractions != null) {
      return new LayerCriterion(opts.layerFractions);
    }
    Dataset val = data.val();
    Dataset scanVal =
        val.size() > SCAN_IMAGES ? val.subset(IntStream.range(0, SCAN_IMAGES).toArray()) : val;
    Validator v = m -> Evaluator.evaluate(m, scanVal, 256).accuracy();
    double base = v.accuracy(model);
    LayerCriterion c =
        LayerCriterion.fromScan(
            SensitivityScan.scan(model, SCAN_FRACTIONS, v), base, SCAN_TOLERANCE);
    log("layer criterion: base fractions from a sensitivity scan %s", c.base());
    return c;
  }

  /** k-means sharing per layer, centroid fine-tuning, measure. */
  void quantize() {
    if (!opts.quantize) {
      quantized = pruned;
      return;
    }
    WeightSharing sharing =
        new WeightSharing(Clusters.parse(opts.clusters), KMeans1D.linear(opts.seed));
    Set<String> lowBit = Quantization.quantized(model).keySet(); // stored at 1 or 2 bits
    Map<String, SharedWeight> shared =
        sharing.apply(
            model,
            (path, p) ->
                !lowBit.contains(path)
                    && (WeightSharing.isConvOrLinearWeight(path, p)
                        || (opts.shareBiases && path.endsWith(".bias") && p.shape().rank() == 1)));
    shared.forEach((k, sw) -> log("shared %s: %d clusters", k, sw.clusters()));
    finetune(opts.finetuneLr, 0, opts.seed + 2, true)
        .run(model, WeightSharing.trainableParameters(model), opts.finetuneEpochs());
    quantized = measure(model);
    log("quantized: validation %.4f, test %.4f", quantized.val(), quantized.test());
    Map<String, float[]> eff = CompressedModel.effectiveValues(model);
    for (String name : afterPruning.keySet()) {
      afterSharing.put(name, eff.get(name));
      SharedWeight sw = shared.get(name);
      if (sw != null) {
        centroids.put(name, sw.centroids());
      }
    }
  }

  /**
   * Writes the .jcz file, reads it back into a fresh network, checks the decoded tensors against
   * the in-memory model bit for bit (IllegalStateException if they differ) and measures the decoded
   * network. Returns the file's size report.
   */
  SizeReport encodeAndCheck(Path jcz) throws IOException {
    SizeReport sizes =
        JczWriter.write(jcz, CompressedModel.toJcz(model, src.name(), src.classes(), metadata()));
    CompressedModel.Loaded back = CompressedModel.load(jcz);
    List<String> diff =
        CompressedModel.mismatches(
            CompressedModel.effectiveValues(model), CompressedModel.values(back.model()));
    if (!diff.isEmpty()) {
      throw new IllegalStateException(
          jcz + ": decoded tensors differ from the in-memory model: " + diff);
    }
    decoded = back.model();
    fromFile = measure(decoded);
    log(
        "wrote %s: %,d bytes; decoded bit-identical; from the file: validation %.4f, test %.4f",
        jcz, Files.size(jcz), fromFile.val(), fromFile.test());
    return sizes;
  }

  private String metadata() {
    JsonObject o = new JsonObject();
    o.addProperty("model", src.name());
    o.addProperty("dataset", data.dataset());
    o.addProperty("criterion", opts.criterion);
    o.addProperty(
        "schedule", opts.iterative() ? "tzelepis-loop" : opts.ramp() ? "ramp" : "one-shot");
    if (opts.iterative() || opts.ramp()) {
      o.addProperty("ramp", opts.ramp.name().toLowerCase(Locale.ROOT));
    }
    o.addProperty("clusters", opts.quantize ? opts.clusters : "none");
    o.addProperty("seed", opts.seed);
    o.addProperty("val_accuracy", quantized.val());
    o.addProperty("test_accuracy", quantized.test());
    return o.toString();
  }

  /** Copies of the conv and linear weights (plain: no masks are installed when this is called). */
  private void copyWeights(Map<String, float[]> into) {
    Pruning.values(model, Pruning.prunableParameters(model).keySet())
        .forEach((k, t) -> into.put(k, t.data().clone()));
  }
}
