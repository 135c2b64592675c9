package jcnn.optim;

import java.util.Arrays;

/**
 * lr = base * gamma^(number of milestones <= epoch), PyTorch's MultiStepLR: with milestones {30,
 * 60} and gamma 0.1 the rate drops tenfold at epochs 30 and 60. Tested in {@code LrScheduleTest}.
 */
public final class MultiStepLr implements LrSchedule {
  private final double base;
  private final int[] milestones;
  private final double gamma;

  public MultiStepLr(double base, int[] milestones, double gamma) {
    for (int i = 1; i < milestones.length; i++) {
      if (milestones[i] <= milestones[i - 1]) {
        throw new IllegalArgumentException(
            "MultiStepLr: milestones must increase, got " + Arrays.toString(milestones));
      }
    }
    this.base = base;
    this.milestones = milestones.clone();
    this.gamma = gamma;
  }

  @Override
  public double lr(int epoch) {
    int passed = 0;
    for (int m : milestones) {
      passed += epoch >= m ? 1 : 0;
    }
    return base * Math.pow(gamma, passed);
  }
}
