package jcnn.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.compress.quant.QuantSpec;
import jcnn.compress.quant.Quantization;
import jcnn.data.Batch;
import jcnn.data.Batches;
import jcnn.data.DataLoader;
import jcnn.data.Dataset;
import jcnn.data.Datasets;
import jcnn.models.Models;
import jcnn.nn.Module;
import jcnn.optim.Adam;
import jcnn.optim.CosineLr;
import jcnn.optim.LrSchedule;
import jcnn.optim.Optimizer;
import jcnn.optim.Sgd;
import jcnn.optim.StepLr;
import jcnn.tensor.Tensor;

/**
 * The training loop: per epoch, shuffled mini-batches with the call order {@code zeroGrad ->
 * forward -> loss -> backward -> step}, then an evaluation on the validation split (carved from the
 * training set; the test set is never used to select anything). It keeps the best model on
 * validation ({@code best.safetensors}), writes a resumable {@link Checkpoint} atomically at the
 * end of each epoch (and every {@code checkpointEvery} batches) followed by {@code metrics.json}
 * with the history so far ({@code "finished": false}), and finally evaluates the best model on the
 * test set and writes {@code model.safetensors} (the last weights) and the finished {@code
 * metrics.json}.
 *
 * <p>With {@code swaEpochs} K > 0 (stochastic weight averaging, Izmailov et al. 2018) the last K
 * epochs run at the constant rate {@code swaLr}, the schedule of the epochs before them ending at
 * that rate (a cosine to it, PyTorch's {@code SWALR} annealing folded into the schedule), and the
 * weights after each of those epochs are averaged (a running mean, saved in the checkpoint). At the
 * end the average gets batch-norm statistics from one pass over the training split ({@link
 * WeightAveraging#updateBatchNorm}), is measured on validation and test, and is written to {@code
 * swa.safetensors}; whether it beats {@code best.safetensors} is for validation to say.
 *
 * <p>A binary or ternary network (a model name with a quantization suffix, see {@code Models})
 * trains through the same loop: the optimizer steps {@link Module#trainableParameters} (TTQ's
 * scales included) and {@link Module#afterStep} follows each step (BinaryConnect's clip).
 *
 * <p>Tested in {@code TrainerTest} (learning, bit-identical reruns, resume equals an uninterrupted
 * run).
 */
public final class Trainer {
  /** The run's summary and per-epoch history, in the output folder. */
  public static final String METRICS = "metrics.json";

  /** Receives progress; the CLI draws a progress bar from it. */
  public interface Listener {
    default void epochStart(int epoch, int epochs, int batches, int startBatch) {}

    /** After each training step: running mean loss and accuracy of the epoch so far. */
    default void step(int batch, double loss, double accuracy, double imagesPerSecond) {}

    default void epochEnd(EpochStats stats) {}
  }

  /** The weight-averaged model of a run with {@code swaEpochs} > 0. */
  public static final String SWA = "swa.safetensors";

  private final TrainConfig cfg;
  private final Listener listener;

  /** The running mean of the parameters over the averaging epochs so far, by name. */
  private final Map<String, Tensor> swa = new LinkedHashMap<>();

  public Trainer(TrainConfig cfg, Listener listener) {
    this.cfg = cfg;
    this.listener = listener;
  }

  /** Runs (or, with resume and a checkpoint in the out dir, continues) the whole training. */
  public RunResult run(boolean resume) throws IOException {
    Datasets.info(cfg.dataset());
    Models.Spec spec = Models.spec(cfg.model());
    Dataset full = Datasets.load(cfg.dataset(), true, cfg.dataPath());
    Dataset test = Datasets.load(cfg.dataset(), false, cfg.dataPath());
    checkFits(spec, full);
    Dataset.Split split = cfg.valCount() > 0 ? full.split(cfg.valCount(), cfg.seed()) : null;
    Dataset train = split == null ? full : split.train();
    if (cfg.trainLimit() > 0 && cfg.trainLimit() < train.size()) {
      train = train.subset(IntStream.range(0, cfg.trainLimit()).toArray());
    }
    Dataset val = split == null ? null : split.validation();

    Module model =
        cfg.initFrom() == null
            ? Models.create(cfg.model(), full.numClasses(), cfg.seed())
            : initFrom(Path.of(cfg.initFrom()), full.numClasses());
    Optimizer opt = optimizer(model);
    LrSchedule schedule = schedule();
    Path out = cfg.out();
    Files.createDirectories(out);
    Checkpoint.Position pos = new Checkpoint.Position();
    swa.clear();
    if (resume && Files.exists(out.resolve(Checkpoint.FILE))) {
      pos = Checkpoint.load(out, model, opt, swa);
    }
    DataLoader loader = loader(train);
    for (int epoch = pos.epoch; epoch < cfg.epochs(); epoch++) {
      opt.setLr(schedule.lr(epoch));
      trainEpoch(model, opt, loader, epoch, pos);
      EpochStats stats = finishEpoch(model, val, epoch, opt.lr(), pos);
      if (val == null || stats.valAccuracy() > pos.bestValAccuracy) {
        pos.bestValAccuracy = stats.valAccuracy();
        pos.bestEpoch = epoch;
        ModelFile.save(
            out.resolve("best.safetensors"), model, cfg.model(), full.numClasses(), cfg.toJson());
      }
      pos.history.add(stats);
      if (epoch >= cfg.epochs() - cfg.swaEpochs()) {
        pos.swaCount++;
        addToAverage(model, pos.swaCount);
      }
      pos.epoch = epoch + 1;
      pos.batch = 0;
      Checkpoint.save(out, cfg, model, opt, pos, swa);
      RunResult.inProgress(
              cfg, model.numParameters(), pos.history, pos.bestEpoch + 1, pos.bestValAccuracy)
          .writeMetrics(out.resolve(METRICS));
      listener.epochEnd(stats);
    }
    return finish(model, train, val, test, full.numClasses(), pos);
  }

  /** Folds the current parameters into the running mean as its count-th member. */
  private void addToAverage(Module model, int count) {
    model
        .namedParameters()
        .forEach(
            (name, p) -> {
              float[] w = p.value().dataForRead();
              Tensor mean = swa.get(name);
              if (mean == null || count == 1) {
                swa.put(name, Tensor.of(w.clone(), p.value().shape().dims()));
                return;
              }
              float[] a = mean.data();
              for (int i = 0; i < a.length; i++) {
                a[i] += (w[i] - a[i]) / count;
              }
            });
  }

  /**
   * The network to train, with the weights of a model file. The file must hold the same network
   * with the same class count, or, for a binary or ternary run, its float network (fine-tuning a
   * float model into TTQ, say): the quantization is then applied to the loaded weights, so that its
   * thresholds and scales start from them. If the file was trained on this dataset, its validation
   * split must be this run's (same seed and size): another split would put images that model
   * trained on into this run's validation set, and selection would read high.
   */
  private Module initFrom(Path file, int classes) throws IOException {
    ModelFile.Loaded init = ModelFile.load(file);
    QuantSpec q = Models.quantization(cfg.model());
    boolean fromFloat = !q.isFloat() && init.name().equals(Models.floatName(cfg.model()));
    if (!(init.name().equals(cfg.model()) || fromFloat) || init.classes() != classes) {
      throw new IOException(
          String.format(
              "%s: holds %s with %d classes; this run trains %s with %d classes",
              file, init.name(), init.classes(), cfg.model(), classes));
    }
    TrainConfig before = init.config();
    if (before != null
        && init.data().dataset().equals(cfg.dataset())
        && cfg.valCount() > 0
        && (before.seed() != cfg.seed() || before.valCount() != cfg.valCount())) {
      throw new IOException(
          String.format(
              "%s: was trained with --seed %d --val %d; this run's validation split (--seed %d"
                  + " --val %d) would hold images that model trained on. Use --seed %d --val %d",
              file,
              before.seed(),
              before.valCount(),
              cfg.seed(),
              cfg.valCount(),
              before.seed(),
              before.valCount()));
    }
    Module model = init.model();
    if (fromFloat) {
      Quantization.apply(model, q, cfg.seed());
    }
    return model;
  }

  private void trainEpoch(
      Module model, Optimizer opt, DataLoader loader, int epoch, Checkpoint.Position pos)
      throws IOException {
    model.train();
    listener.epochStart(epoch, cfg.epochs(), loader.numBatches(), pos.batch);
    long start = System.nanoTime();
    double secondsBefore = pos.trainSeconds;
    long seenBefore = pos.seen;
    try (Batches it = loader.epoch(epoch)) {
      for (int b = 0; it.hasNext(); b++) {
        Batch batch = it.next();
        if (b < pos.batch) {
          continue; // resuming inside this epoch: these batches were trained before the stop
        }
        opt.zeroGrad();
        Variable logits = model.forward(Variable.constant(batch.x()));
        Variable loss = F.softmaxCrossEntropy(logits, batch.y());
        loss.backward();
        opt.step();
        model.afterStep(); // e.g. BinaryConnect's clip of the latent weights
        pos.lossSum += loss.value().item() * batch.size();
        pos.correct += Evaluator.countCorrect(logits.value(), batch.y());
        pos.seen += batch.size();
        pos.batch = b + 1;
        pos.trainSeconds = secondsBefore + (System.nanoTime() - start) / 1e9;
        double ips = (pos.seen - seenBefore) / Math.max(1e-9, pos.trainSeconds - secondsBefore);
        listener.step(b + 1, pos.lossSum / pos.seen, (double) pos.correct / pos.seen, ips);
        if (cfg.checkpointEvery() > 0 && pos.batch % cfg.checkpointEvery() == 0 && it.hasNext()) {
          Checkpoint.save(cfg.out(), cfg, model, opt, pos, swa);
        }
      }
    }
  }

  private EpochStats finishEpoch(
      Module model, Dataset val, int epoch, double lr, Checkpoint.Position pos) {
    Evaluator.Result v = val == null ? null : Evaluator.evaluate(model, val, 256);
    EpochStats s =
        new EpochStats(
            epoch + 1,
            lr,
            pos.lossSum / Math.max(1, pos.seen),
            (double) pos.correct / Math.max(1, pos.seen),
            v == null ? Double.NaN : v.loss(),
            v == null ? Double.NaN : v.accuracy(),
            pos.trainSeconds,
            pos.seen / Math.max(1e-9, pos.trainSeconds));
    pos.lossSum = 0;
    pos.correct = 0;
    pos.seen = 0;
    pos.trainSeconds = 0;
    return s;
  }

  private RunResult finish(
      Module model, Dataset train, Dataset val, Dataset test, int classes, Checkpoint.Position pos)
      throws IOException {
    Path out = cfg.out();
    ModelFile.save(out.resolve("model.safetensors"), model, cfg.model(), classes, cfg.toJson());
    Evaluator.Result last = Evaluator.evaluate(model, test, 256);
    Evaluator.Result bestTest = last;
    if (pos.bestEpoch != pos.history.size() - 1) {
      Module best = ModelFile.load(out.resolve("best.safetensors")).model();
      bestTest = Evaluator.evaluate(best, test, 256);
    }
    double swaVal = Double.NaN;
    double swaTest = Double.NaN;
    if (cfg.swaEpochs() > 0) {
      Module avg = averagedModel(model, train, classes);
      swaVal = val == null ? Double.NaN : Evaluator.evaluate(avg, val, 256).accuracy();
      swaTest = Evaluator.evaluate(avg, test, 256).accuracy();
      ModelFile.save(out.resolve(SWA), avg, cfg.model(), classes, cfg.toJson());
    }
    RunResult r =
        new RunResult(
            cfg,
            model.numParameters(),
            pos.history,
            pos.bestEpoch + 1,
            pos.bestValAccuracy,
            bestTest.accuracy(),
            last.accuracy(),
            true,
            swaVal,
            swaTest);
    r.writeMetrics(out.resolve(METRICS));
    return r;
  }

  /** The averaged parameters in a copy of model, with batch-norm statistics from train. */
  private Module averagedModel(Module model, Dataset train, int classes) {
    Module avg = Models.create(cfg.model(), classes, cfg.seed());
    avg.loadStateDict(model.stateDict());
    avg.namedParameters().forEach((name, p) -> p.value().copyFrom(swa.get(name)));
    WeightAveraging.updateBatchNorm(
        avg, train, Math.max(2, cfg.batch()), 0, cfg.augmentation(), cfg.seed());
    return avg;
  }

  private Optimizer optimizer(Module model) {
    return cfg.optimizer().equals("adam")
        ? new Adam(model.trainableParameters(), cfg.lr(), 0.9, 0.999, 1e-8, cfg.weightDecay())
        : new Sgd(model.trainableParameters(), cfg.lr(), cfg.momentum(), cfg.weightDecay(), false);
  }

  /** The schedule over the epochs before the averaging ones, then swaLr for those. */
  private LrSchedule schedule() {
    int before = cfg.epochs() - cfg.swaEpochs();
    double swaLr = cfg.swaLr();
    if (before == 0) {
      return LrSchedule.constant(swaLr);
    }
    LrSchedule s =
        switch (cfg.schedule()) {
          case "cosine" -> new CosineLr(cfg.lr(), before, cfg.swaEpochs() > 0 ? swaLr : 0);
          case "step" -> new StepLr(cfg.lr(), Math.max(1, before / 3), 0.1);
          default -> LrSchedule.constant(cfg.lr());
        };
    return cfg.swaEpochs() == 0 ? s : epoch -> epoch < before ? s.lr(epoch) : swaLr;
  }

  private DataLoader loader(Dataset train) {
    return DataLoader.builder(train)
        .batchSize(cfg.batch())
        .shuffle(true)
        .dropLast(true)
        .seed(cfg.seed())
        .augment(cfg.augmentation())
        .build();
  }

  private static void checkFits(Models.Spec spec, Dataset d) {
    if (d.channels() != spec.channels()
        || d.height() != spec.height()
        || d.width() != spec.width()) {
      throw new IllegalArgumentException(
          "model "
              + spec.name()
              + " takes ["
              + spec.channels()
              + ", "
              + spec.height()
              + ", "
              + spec.width()
              + "] images but "
              + d.name()
              + " has ["
              + d.channels()
              + ", "
              + d.height()
              + ", "
              + d.width()
              + "]");
    }
  }
}
