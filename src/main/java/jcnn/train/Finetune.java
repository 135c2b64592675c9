package jcnn.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.data.Augment;
import jcnn.data.Batch;
import jcnn.data.Batches;
import jcnn.data.DataLoader;
import jcnn.data.Dataset;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.optim.CosineLr;
import jcnn.optim.LrSchedule;
import jcnn.optim.Sgd;
import jcnn.tensor.Tensor;

/**
 * Retrains an existing model for a few epochs with a given parameter list: the retraining step of
 * the compression pipeline (masked retraining after pruning, centroid fine-tuning after weight
 * sharing, where the list is {@code WeightSharing.trainableParameters}). SGD with momentum and
 * weight decay, the learning rate cosine-annealed from {@code lr} to 0 over the call's epochs, a
 * fresh optimizer per call (so momentum gathered before a prune never moves a pruned weight; see
 * {@code Pruning}). Each epoch ends with an evaluation on the validation split, never the test set.
 *
 * <p>With {@link Settings#keepBest} the weights of the epoch with the best validation accuracy are
 * kept at the end, as Tzelepis et al. 2019 (Sec. III-A) keep "the set of weights producing the
 * highest accuracy between the epochs". The data order continues across calls (epoch numbers keep
 * counting), so successive rounds do not replay the same batches; a run is a pure function of the
 * seed, the calls made and the thread count.
 *
 * <p>Call order: {@code new Finetune(train, val, settings)} -> {@code run(model, params, epochs)}
 * any number of times. Tested in {@code FinetuneTest}.
 */
public final class Finetune {
  /**
   * The optimizer and data settings.
   *
   * @param batch mini-batch size
   * @param lr the learning rate at the first epoch of each call
   * @param momentum SGD momentum
   * @param weightDecay L2 weight decay (pruned weights stay 0: their value and gradient are 0)
   * @param seed seeds the data order and augmentation
   * @param augment random crop and flip (CIFAR)
   * @param keepBest keep the epoch with the best validation accuracy rather than the last
   */
  public record Settings(
      int batch,
      double lr,
      double momentum,
      double weightDecay,
      long seed,
      boolean augment,
      boolean keepBest) {
    public Settings {
      if (batch < 1 || !(lr > 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
        throw new IllegalArgumentException(
            String.format(
                "Finetune: need batch >= 1, lr > 0, 0 <= momentum < 1, weight decay >= 0;"
                    + " got batch %d, lr %s, momentum %s, weight decay %s",
                batch, lr, momentum, weightDecay));
      }
    }
  }

  private final Dataset train;
  private final Dataset val;
  private final Settings settings;
  private final DataLoader loader;
  private Trainer.Listener listener = new Trainer.Listener() {};
  private int epochsDone;

  /** Retraining on {@code train}, validating on {@code val} (null: no validation, no keepBest). */
  public Finetune(Dataset train, Dataset val, Settings settings) {
    if (settings.keepBest() && val == null) {
      throw new IllegalArgumentException("Finetune: keepBest needs a validation split");
    }
    this.train = train;
    this.val = val;
    this.settings = settings;
    DataLoader.Builder b =
        DataLoader.builder(train)
            .batchSize(settings.batch())
            .shuffle(true)
            .dropLast(true)
            .seed(settings.seed());
    if (settings.augment()) {
      b.augment(Augment.cifar());
    }
    this.loader = b.build();
  }

  /** Receives progress (a progress bar in the CLI); the epoch numbers are those of each call. */
  public Finetune listener(Trainer.Listener l) {
    this.listener = l;
    return this;
  }

  public Dataset trainSet() {
    return train;
  }

  /**
   * Trains {@code params} of {@code model} for {@code epochs} epochs (0: nothing) and returns one
   * {@link EpochStats} per epoch. Parameters not in the list are not stepped, although their
   * gradients are computed.
   */
  public List<EpochStats> run(Module model, List<Parameter> params, int epochs) {
    if (epochs < 0) {
      throw new IllegalArgumentException("Finetune: epochs must be >= 0, got " + epochs);
    }
    List<EpochStats> history = new ArrayList<>();
    if (epochs == 0) {
      return history;
    }
    Sgd opt = new Sgd(params, settings.lr(), settings.momentum(), settings.weightDecay(), false);
    LrSchedule schedule = new CosineLr(settings.lr(), epochs, 0);
    Map<String, Tensor> best = null;
    double bestAcc = Double.NEGATIVE_INFINITY;
    for (int e = 0; e < epochs; e++) {
      opt.setLr(schedule.lr(e));
      EpochStats s = epoch(model, opt, e, epochs);
      history.add(s);
      listener.epochEnd(s);
      if (settings.keepBest() && s.valAccuracy() > bestAcc) {
        bestAcc = s.valAccuracy();
        best = e == epochs - 1 ? null : copy(model.stateDict());
      }
    }
    if (best != null) {
      model.loadStateDict(best); // an earlier epoch was better than the last
    }
    return history;
  }

  /** One epoch of zeroGrad -> forward -> loss -> backward -> step, then validation. */
  private EpochStats epoch(Module model, Sgd opt, int e, int epochs) {
    model.train();
    listener.epochStart(e, epochs, loader.numBatches(), 0);
    long start = System.nanoTime();
    double lossSum = 0;
    long correct = 0;
    long seen = 0;
    try (Batches it = loader.epoch(epochsDone++)) {
      for (int b = 0; it.hasNext(); b++) {
        Batch batch = it.next();
        opt.zeroGrad();
        Variable logits = model.forward(Variable.constant(batch.x()));
        Variable loss = F.softmaxCrossEntropy(logits, batch.y());
        loss.backward();
        opt.step();
        model.afterStep();
        lossSum += loss.value().item() * batch.size();
        correct += Evaluator.countCorrect(logits.value(), batch.y());
        seen += batch.size();
        double secs = (System.nanoTime() - start) / 1e9;
        listener.step(b + 1, lossSum / seen, (double) correct / seen, seen / Math.max(1e-9, secs));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Evaluator.Result v = val == null ? null : Evaluator.evaluate(model, val, 256);
    return new EpochStats(
        e + 1,
        opt.lr(),
        lossSum / Math.max(1, seen),
        (double) correct / Math.max(1, seen),
        v == null ? Double.NaN : v.loss(),
        v == null ? Double.NaN : v.accuracy(),
        seconds,
        seen / Math.max(1e-9, seconds));
  }

  private static Map<String, Tensor> copy(Map<String, Tensor> state) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    state.forEach((k, t) -> out.put(k, t.copy()));
    return out;
  }
}
