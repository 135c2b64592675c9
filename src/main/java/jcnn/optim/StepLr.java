package jcnn.optim;

/**
 * lr = base * gamma^floor(epoch / stepSize), PyTorch's StepLR. Tested in {@code LrScheduleTest}.
 */
public final class StepLr implements LrSchedule {
  private final double base;
  private final int stepSize;
  private final double gamma;

  public StepLr(double base, int stepSize, double gamma) {
    if (stepSize < 1) {
      throw new IllegalArgumentException("StepLr: stepSize must be >= 1, got " + stepSize);
    }
    this.base = base;
    this.stepSize = stepSize;
    this.gamma = gamma;
  }

  @Override
  public double lr(int epoch) {
    return base * Math.pow(gamma, Math.floorDiv(epoch, stepSize));
  }
}
