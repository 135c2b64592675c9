package jcnn.optim;

/**
 * Cosine annealing (Loshchilov and Hutter 2017, without restarts): lr = minLr + (base - minLr) * (1
 * + cos(pi * epoch / totalEpochs)) / 2, from base at epoch 0 down to minLr at totalEpochs, and
 * minLr after. Tested in {@code LrScheduleTest}.
 */
public final class CosineLr implements LrSchedule {
  private final double base;
  private final int totalEpochs;
  private final double minLr;

  public CosineLr(double base, int totalEpochs, double minLr) {
    if (totalEpochs < 1) {
      throw new IllegalArgumentException("CosineLr: totalEpochs must be >= 1, got " + totalEpochs);
    }
    this.base = base;
    this.totalEpochs = totalEpochs;
    this.minLr = minLr;
  }

  @Override
  public double lr(int epoch) {
    if (epoch >= totalEpochs) {
      return minLr;
    }
    return minLr + (base - minLr) * (1 + Math.cos(Math.PI * epoch / totalEpochs)) / 2;
  }
}
