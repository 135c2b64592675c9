package jcnn.optim;

/**
 * A learning rate per epoch (0-based), set at the start of each epoch with {@code
 * optimizer.setLr(schedule.lr(epoch))}. Implementations: {@link StepLr}, {@link MultiStepLr},
 * {@link CosineLr}; {@link #withWarmup} ramps any of them up linearly. Tested in {@code
 * LrScheduleTest}.
 */
@FunctionalInterface
public interface LrSchedule {

  double lr(int epoch);

  /** The same rate every epoch. */
  static LrSchedule constant(double lr) {
    return epoch -> lr;
  }

  /**
   * This schedule scaled by (epoch + 1) / (warmupEpochs + 1) during the first warmupEpochs epochs
   * (Goyal et al. 2017's gradual warmup): with 4 warmup epochs the factors are 0.2, 0.4, 0.6, 0.8,
   * then 1.
   */
  default LrSchedule withWarmup(int warmupEpochs) {
    if (warmupEpochs < 0) {
      throw new IllegalArgumentException("warmup: epochs must be >= 0, got " + warmupEpochs);
    }
    LrSchedule inner = this;
    return epoch ->
        epoch < warmupEpochs
            ? inner.lr(epoch) * (epoch + 1) / (warmupEpochs + 1.0)
            : inner.lr(epoch);
  }
}
