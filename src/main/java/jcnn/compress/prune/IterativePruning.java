package jcnn.compress.prune;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;

/**
 * The iterative pruning loop of Tzelepis et al. 2019, done right (REFERENCE.md): measure the
 * unpruned validation accuracy; then, round by round, raise the pruned fraction by {@code step},
 * prune to it (masks are monotone), retrain a few epochs with the masks, validate; as soon as the
 * accuracy has dropped more than {@code maxDrop} below the unpruned one, stop and roll back to the
 * last round within the threshold (its weights and masks, from a state-dict snapshot). Selection
 * uses the {@link Validator}, which must be a validation split, never the test set.
 *
 * <p>Every prunable parameter gets an all-ones mask before the first validation, so that every
 * snapshot has the same keys and a rollback to round 0 is a plain restore; the result's masks are
 * therefore present even where nothing was pruned. Rounds go to {@code maxFraction} (default 1) and
 * stop there if the threshold is never passed.
 *
 * <p>The fractions rise by even steps ({@link Ramp#LINEAR}, Tzelepis' 5%) or, with the same number
 * of rounds, along the cubic of Zhu &amp; Gupta 2017, "To prune, or not to prune" ({@link
 * Ramp#CUBIC}, the schedule of Distiller's AGP and TF-MOT's {@code PolynomialDecay}): round k of n
 * prunes to {@code maxFraction * (1 - (1 - k/n)^3)}, large steps while there are many redundant
 * weights and small ones near the end, where each removed weight costs more. Usage:
 *
 * <pre>{@code
 * IterativePruning.Result r = new IterativePruning(retrainer, validator)
 *     .criterion(PruneCriterion.global()).step(0.05).maxDrop(0.005).retrainEpochs(3)
 *     .run(model);
 * }</pre>
 *
 * Tested in {@code IterativePruningTest} with scripted callbacks.
 */
public final class IterativePruning {
  /** One round: its index (0 = unpruned), requested fraction, measured sparsity, accuracy. */
  public record Round(
      int index, double target, double sparsity, double accuracy, boolean accepted) {}

  /** How the fraction rises from round to round (see the class comment). */
  public enum Ramp {
    LINEAR,
    CUBIC;

    /** By command-line name: linear or cubic. */
    public static Ramp byName(String name) {
      for (Ramp r : values()) {
        if (r.name().equalsIgnoreCase(name)) {
          return r;
        }
      }
      throw new IllegalArgumentException("--ramp must be linear or cubic, got '" + name + "'");
    }
  }

  /**
   * The outcome: the unpruned accuracy, every round run (the last one rejected if the threshold was
   * passed), the index of the round the model was left at, and its masks and sparsity.
   */
  public record Result(
      double baseline,
      List<Round> history,
      int chosen,
      LinkedHashMap<String, Tensor> masks,
      Sparsity sparsity) {

    public Round chosenRound() {
      return history.get(chosen);
    }
  }

  private final Retrainer retrainer;
  private final Validator validator;
  private PruneCriterion criterion = PruneCriterion.global();
  private double step = 0.05;
  private Ramp ramp = Ramp.LINEAR;
  private double maxDrop = 0.005;
  private double maxFraction = 1;
  private int retrainEpochs = 3;
  private boolean includeAll;
  private Consumer<Round> listener = r -> {};

  public IterativePruning(Retrainer retrainer, Validator validator) {
    if (retrainer == null || validator == null) {
      throw new IllegalArgumentException("IterativePruning: retrainer and validator are required");
    }
    this.retrainer = retrainer;
    this.validator = validator;
  }

  /** The criterion each round prunes with (default class-blind, {@link PruneCriterion#global}). */
  public IterativePruning criterion(PruneCriterion c) {
    this.criterion = c;
    return this;
  }

  /** How much the fraction rises per round, in (0, 1]; default 0.05 (Tzelepis' 5%). */
  public IterativePruning step(double s) {
    if (!(s > 0 && s <= 1)) {
      throw new IllegalArgumentException("IterativePruning: step must be in (0, 1], got " + s);
    }
    this.step = s;
    return this;
  }

  /** Even steps (default) or the cubic with the same number of rounds. */
  public IterativePruning ramp(Ramp r) {
    if (r == null) {
      throw new IllegalArgumentException("IterativePruning: ramp must not be null");
    }
    this.ramp = r;
    return this;
  }

  /** The largest accuracy drop (points of accuracy in [0, 1]) still accepted; default 0.005. */
  public IterativePruning maxDrop(double d) {
    if (!(d >= 0) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("IterativePruning: maxDrop must be >= 0, got " + d);
    }
    this.maxDrop = d;
    return this;
  }

  /** The last fraction tried, in (0, 1]; default 1. */
  public IterativePruning maxFraction(double f) {
    if (!(f > 0 && f <= 1)) {
      throw new IllegalArgumentException(
          "IterativePruning: maxFraction must be in (0, 1], got " + f);
    }
    this.maxFraction = f;
    return this;
  }

  /** Epochs of masked retraining per round, >= 0; default 3. */
  public IterativePruning retrainEpochs(int e) {
    if (e < 0) {
      throw new IllegalArgumentException("IterativePruning: retrainEpochs must be >= 0, got " + e);
    }
    this.retrainEpochs = e;
    return this;
  }

  /** Also prune biases and batch-norm parameters (default: conv and linear weights only). */
  public IterativePruning includeAll(boolean on) {
    this.includeAll = on;
    return this;
  }

  /** Called after each round with its outcome, e.g. to log progress. */
  public IterativePruning listener(Consumer<Round> l) {
    this.listener = l;
    return this;
  }

  /**
   * The fractions of rounds 1, 2, ..., n. Linear: step, 2 step, ... below maxFraction, then
   * maxFraction. Cubic: as many rounds, round k at maxFraction * (1 - (1 - k/n)^3).
   */
  public List<Double> targets() {
    List<Double> out = new ArrayList<>();
    for (int k = 1; k * step < maxFraction - 1e-9; k++) {
      out.add(rounded(k * step)); // 3 * 0.05 prints as 0.15
    }
    out.add(maxFraction);
    if (ramp == Ramp.CUBIC) {
      int n = out.size();
      for (int k = 1; k < n; k++) {
        double left = 1 - (double) k / n;
        out.set(k - 1, rounded(maxFraction * (1 - left * left * left)));
      }
    }
    return out;
  }

  private static double rounded(double x) {
    return Math.round(x * 1e12) / 1e12;
  }

  /** Runs the loop on model (pruned in place, left at the chosen round). */
  public Result run(Module model) {
    Collection<String> names = Pruning.prunableParameters(model, includeAll).keySet();
    installOnes(model, names);
    double baseline = validator.accuracy(model);
    if (!Double.isFinite(baseline)) {
      throw new IllegalStateException("IterativePruning: validator gave " + baseline);
    }
    List<Round> history = new ArrayList<>();
    history.add(new Round(0, 0, Pruning.sparsity(model).global(), baseline, true));
    listener.accept(history.get(0));
    LinkedHashMap<String, Tensor> best = Pruning.snapshot(model);
    int chosen = 0;
    List<Double> targets = targets();
    for (int r = 1; r <= targets.size(); r++) {
      Round round = round(model, names, r, targets.get(r - 1), baseline);
      history.add(round);
      listener.accept(round);
      if (!round.accepted()) {
        Pruning.restore(model, best);
        break;
      }
      best = Pruning.snapshot(model);
      chosen = r;
    }
    return new Result(
        baseline, List.copyOf(history), chosen, Pruning.masks(model), Pruning.sparsity(model));
  }

  /** Prune to target, retrain, validate; accepted when the drop is within maxDrop. */
  private Round round(Module model, Collection<String> names, int r, double target, double base) {
    double sparsity = OneShot.prune(model, criterion, target, names).global();
    retrainer.retrain(model, retrainEpochs);
    double acc = validator.accuracy(model);
    boolean ok = base - acc <= maxDrop; // false for NaN: a diverged retrain is rolled back
    return new Round(r, target, sparsity, acc, ok);
  }

  private static void installOnes(Module model, Collection<String> names) {
    Map<String, Tensor> ones = new LinkedHashMap<>();
    for (String n : names) {
      if (!Pruning.isPruned(model, n)) {
        Tensor w = Pruning.values(model, List.of(n)).get(n);
        ones.put(n, Tensor.full(1f, w.shape().dims()));
      }
    }
    Pruning.applyMasks(model, ones);
  }
}
