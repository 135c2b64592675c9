package jcnn.nn;

/**
 * The SEP module of SEP-Net (Li et al. 2017, Fig. 4): a 1x1 convolution reduces C channels to m
 * (batch norm, ReLU), two {@link PatternResidualBlock}s of m channels and N groups work on the
 * narrow maps, a 1x1 convolution recovers C channels (batch norm), the input is added, then ReLU.
 * [N, C, H, W] -> [N, C, H, W]. A {@link Residual} whose body is children 0-6: reduce conv, BN,
 * ReLU, PRB, PRB, recover conv, BN; so the weights are {@code body.0.weight}, {@code
 * body.3.pattern.weight}, ... Gradient-checked in {@code CompactLayersTest}.
 */
public class SepModule extends Residual {
  private final String settings;

  public SepModule(int channels, int reduced, int groups, long seed) {
    super(body(channels, reduced, groups, seed), null, new ReLU());
    this.settings = channels + " -> " + reduced + " (2 PRBs, " + groups + " groups) -> " + channels;
  }

  private static Sequential body(int c, int m, int groups, long seed) {
    if (c < 1 || m < 1) {
      throw new IllegalArgumentException(
          "SepModule: channels must be positive, got " + c + " -> " + m);
    }
    return new Sequential(
        new Conv2d(c, m, 1, 1, 0, 1, false, seed),
        new BatchNorm2d(m),
        new ReLU(),
        new PatternResidualBlock(m, groups, seed + 1),
        new PatternResidualBlock(m, groups, seed + 3),
        new Conv2d(m, c, 1, 1, 0, 1, false, seed + 5),
        new BatchNorm2d(c));
  }

  @Override
  protected String extraRepr() {
    return settings;
  }
}
